package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.eval.Evaluation;
import dev.mp3.method.PositionMask;
import dev.mp3.nn.Losses;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

/**
 * Keyword classification: cross entropy with label smoothing of the logits on the cls frame, the
 * position embedding on {@code positionFraction} of each clip's frames (1, every frame, unless the
 * recipe says otherwise). Validates on keyword accuracy. Serves finetuning and the supervised
 * baseline alike.
 */
public final class SpeechClassification extends SpeechTask<SpeechTransformer> {

    public SpeechClassification(SpeechTransformer model, SpeechSplit train, SpeechSplit validation,
                                SpeechRecipe recipe, Device device) {
        super(model, model.config, train, validation, recipe, device);
        if (model.head == null) {
            throw new IllegalArgumentException("speech classification needs a model with a classifier head");
        }
        if (train.classes().size() != model.config.numClasses()) {
            throw new IllegalArgumentException("the data has " + train.classes().size() + " classes but the "
                    + "model's head has " + model.config.numClasses());
        }
    }

    @Override
    public Var loss(SpeechBatch batch, Rng masks) {
        Tensor features = batch.features().to(device);
        Tensor mask = PositionMask.sample(masks, features.dim(0), model.config.frames(), recipe.positionFraction());
        return Losses.crossEntropy(model.classify(features, mask), batch.labels().to(device), recipe.labelSmoothing());
    }

    @Override
    public String metric() {
        return "validation_accuracy";
    }

    @Override
    public double validate() {
        return Evaluation.accuracy(model, validation, recipe.positionFraction(), Evaluation.BATCH, validationSeed(),
                device);
    }
}

package dev.mp3.method;

import dev.mp3.autograd.Var;
import dev.mp3.eval.Evaluation;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.train.SpeechTask;

/**
 * MP3 pretraining on speech (paper Section 4.3): eta = 0, so every frame attends to every frame;
 * the sinusoidal position embedding goes to a random {@code positionFraction} (5%) of each clip's
 * frames ({@link PositionMask}); the position head scores every frame index for every frame, and
 * the loss is the mean cross entropy over all frames. Validates on top-1 position accuracy.
 */
public final class SpeechPretraining extends SpeechTask<SpeechTransformer> {

    public SpeechPretraining(SpeechTransformer model, SpeechSplit train, SpeechSplit validation, SpeechRecipe recipe,
                             Device device) {
        super(model, model.config, train, validation, recipe, device);
        if (model.positionHead == null) {
            throw new IllegalArgumentException("speech pretraining needs a model with a position head "
                    + "(PositionPrediction.pretrainingModel)");
        }
    }

    @Override
    public Var loss(SpeechBatch batch, Rng masks) {
        Tensor features = batch.features().to(device);
        int frames = model.config.frames();
        Tensor mask = PositionMask.sample(masks, features.dim(0), frames, recipe.positionFraction());
        return PositionPrediction.loss(PositionPrediction.logits(model, features, mask),
                PositionPrediction.targets(features.dim(0), frames, device), recipe.labelSmoothing());
    }

    @Override
    public String metric() {
        return "validation_position_top1";
    }

    @Override
    public double validate() {
        return PositionAccuracy.speech(model, validation, recipe.positionFraction(), Evaluation.BATCH,
                validationSeed(), device).top1();
    }
}

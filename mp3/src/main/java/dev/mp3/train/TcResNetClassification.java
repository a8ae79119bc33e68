package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.eval.Evaluation;
import dev.mp3.nn.Losses;
import dev.mp3.nn.TcResNet8;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;

/**
 * The paper's convolutional baseline (Table 5): TC-ResNet8 classifying keywords from the same
 * batches, augmentation and MFCCs as the Transformers, with cross entropy (label smoothing as the
 * recipe says; TC-ResNet's own uses none). The MFCCs [B, frames, coefficients] are turned into its
 * [B, coefficients, frames] (coefficients as channels, convolving over time). Validates on keyword
 * accuracy.
 */
public final class TcResNetClassification extends SpeechTask<TcResNet8> {

    public TcResNetClassification(TcResNet8 model, SpeechSplit train, SpeechSplit validation, SpeechRecipe recipe,
                                  Device device) {
        super(model, model.config, train, validation, recipe, device);
        if (train.classes().size() != model.config.numClasses()) {
            throw new IllegalArgumentException("the data has " + train.classes().size() + " classes but TC-ResNet8's"
                    + " classifier has " + model.config.numClasses());
        }
    }

    @Override
    public Var loss(SpeechBatch batch, Rng masks) {
        Var logits = model.forward(Var.constant(Evaluation.channelsFirst(batch.features()).to(device)));
        return Losses.crossEntropy(logits, batch.labels().to(device), recipe.labelSmoothing());
    }

    @Override
    public String metric() {
        return "validation_accuracy";
    }

    @Override
    public double validate() {
        return Evaluation.accuracy(model, validation, Evaluation.BATCH, device);
    }
}

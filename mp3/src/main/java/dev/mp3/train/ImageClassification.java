package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.data.Batch;
import dev.mp3.data.ImageDataset;
import dev.mp3.eval.Evaluation;
import dev.mp3.nn.Losses;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;

/**
 * Image classification: cross entropy with label smoothing of the ViT's class logits. It serves
 * MP3's finetuning (the model starts from a pretrained encoder) and the supervised baseline (it
 * starts from random weights) alike: the two differ only in the starting weights.
 *
 * <p>A batch that Mixup or CutMix mixed ({@link Batch#mix()}) has soft targets, {@code lam} of each
 * image's smoothed label and {@code 1 - lam} of its partner's (timm's mixup_target). Cross entropy
 * is linear in the target, so the loss is {@code lam CE(labels) + (1 - lam) CE(partners)}: two
 * of the ordinary losses, no soft-target kernel needed.
 */
public final class ImageClassification extends ImageTask {
    private final float labelSmoothing;
    private final ImageDataset validation;

    public ImageClassification(VisionTransformer model, ImageDataset data, ImageRecipe recipe, Device device) {
        this(model, data, null, recipe, device);
    }

    /**
     * Classification of {@code data}, validated on {@code validation} after every epoch when it is not
     * null (the trainer then keeps the best epoch's weights, and stops after the recipe's patience).
     */
    public ImageClassification(VisionTransformer model, ImageDataset data, ImageDataset validation,
                               ImageRecipe recipe, Device device) {
        super(model, data, recipe, device);
        this.validation = validation;
        if (model.head == null) {
            throw new IllegalArgumentException("classification needs a model with a classifier head");
        }
        if (data.numClasses() != model.config.numClasses()) {
            throw new IllegalArgumentException("dataset " + data.name() + " has " + data.numClasses()
                    + " classes but the model's head has " + model.config.numClasses());
        }
        this.labelSmoothing = recipe.labelSmoothing();
    }

    @Override
    public String metric() {
        return validation == null ? null : "val_accuracy";
    }

    @Override
    public double validate() {
        return validation == null ? Double.NaN : Evaluation.accuracy(model, validation, Evaluation.BATCH, device);
    }

    @Override
    public Var loss(Batch batch, Rng masks) {
        Var logits = model.classify(batch.images().to(device));
        Var own = Losses.crossEntropy(logits, batch.labels().to(device), labelSmoothing);
        Batch.Mix mix = batch.mix();
        if (mix == null) {
            return own;
        }
        Var partners = Losses.crossEntropy(logits, mix.partnerLabels().to(device), labelSmoothing);
        return own.mul(mix.lam()).add(partners.mul(1f - mix.lam()));
    }
}

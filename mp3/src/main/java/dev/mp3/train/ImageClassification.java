package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.data.Batch;
import dev.mp3.data.ImageDataset;
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

    public ImageClassification(VisionTransformer model, ImageDataset data, ImageRecipe recipe, Device device) {
        super(model, data, recipe, device);
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

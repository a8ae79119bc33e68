package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Losses;
import dev.mp3.nn.Module;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;

/**
 * Image classification: cross entropy with label smoothing of the ViT's class logits. It serves
 * MP3's finetuning (the model starts from a pretrained encoder) and the supervised baseline (it
 * starts from random weights) alike: the two differ only in the starting weights.
 */
public final class ImageClassification implements Task<Batch> {
    private final VisionTransformer model;
    private final Batches batches;
    private final float labelSmoothing;
    private final Device device;

    public ImageClassification(VisionTransformer model, ImageDataset data, ImageRecipe recipe, Device device) {
        if (model.head == null) {
            throw new IllegalArgumentException("classification needs a model with a classifier head");
        }
        if (data.numClasses() != model.config.numClasses()) {
            throw new IllegalArgumentException("dataset " + data.name() + " has " + data.numClasses()
                    + " classes but the model's head has " + model.config.numClasses());
        }
        this.model = model;
        this.batches = recipe.batches(data);
        this.labelSmoothing = recipe.labelSmoothing();
        this.device = device;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Record modelConfig() {
        return model.config;
    }

    @Override
    public int stepsPerEpoch() {
        return batches.stepsPerEpoch();
    }

    @Override
    public Batch batch(long step) {
        return batches.batch((int) (step / stepsPerEpoch()), (int) (step % stepsPerEpoch()));
    }

    @Override
    public Var loss(Batch batch, Rng masks) {
        return Losses.crossEntropy(model.classify(batch.images().to(device)), batch.labels().to(device),
                labelSmoothing);
    }

    @Override
    public String unit() {
        return "images";
    }
}

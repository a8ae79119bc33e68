package dev.mp3.train;

import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Module;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;

/**
 * What every image task shares: a ViT, the recipe's seeded batches of a dataset (batch s is batch
 * s mod E of epoch s / E), and the device the batches go to. Subclasses say what the loss is.
 */
public abstract class ImageTask implements Task<Batch> {
    protected final VisionTransformer model;
    protected final Device device;
    private final Batches batches;

    protected ImageTask(VisionTransformer model, ImageDataset data, ImageRecipe recipe, Device device) {
        this.model = model;
        this.device = device;
        this.batches = recipe.batches(data);
    }

    @Override
    public final Module model() {
        return model;
    }

    @Override
    public final Record modelConfig() {
        return model.config;
    }

    @Override
    public final int stepsPerEpoch() {
        return batches.stepsPerEpoch();
    }

    @Override
    public final Batch batch(long step) {
        return batches.batch((int) (step / stepsPerEpoch()), (int) (step % stepsPerEpoch()));
    }

    @Override
    public final String unit() {
        return "images";
    }
}

package dev.mp3.method;

import dev.mp3.autograd.Var;
import dev.mp3.data.Batch;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Context;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.ImageTask;

/**
 * MP3 pretraining on images, one update as Algorithm 1's {@code forward}: sample a context of M =
 * N - floor(eta N) patches per image, run the position-free encoder with keys and values from the
 * context only, and score every patch's position against its own index. Labels are not used.
 */
public final class ImagePretraining extends ImageTask {
    private final float eta;
    private Tensor targets;

    public ImagePretraining(VisionTransformer model, ImageDataset data, ImageRecipe recipe, Device device) {
        super(model, data, recipe, device);
        if (model.positionHead == null) {
            throw new IllegalArgumentException("pretraining needs a model with a position head "
                    + "(PositionPrediction.pretrainingModel)");
        }
        this.eta = recipe.eta();
    }

    @Override
    public Var loss(Batch batch, Rng masks) {
        Tensor images = batch.images().to(device);
        int n = model.config.numPatches();
        // A data-parallel rank draws the contexts of the whole batch and keeps its rows', so every
        // image gets the context it would get in a single process.
        Context context = ContextMasking.sample(masks, shardBatch(), n, eta, device, shardFrom(), shardFrom() + batch.size());
        if (targets == null) {
            targets = MemoryScope.keep(PositionPrediction.targets(batch.size(), n, device));  // reused every step
        }
        return PositionPrediction.loss(PositionPrediction.logits(model, images, context), targets, 0f);
    }
}

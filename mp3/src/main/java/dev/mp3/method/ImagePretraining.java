package dev.mp3.method;

import dev.mp3.autograd.Var;
import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Context;
import dev.mp3.nn.Module;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.Task;

/**
 * MP3 pretraining on images, one update as Algorithm 1's {@code forward}: sample a context of M =
 * N - floor(eta N) patches per image, run the position-free encoder with keys and values from the
 * context only, and score every patch's position against its own index. Labels are not used.
 */
public final class ImagePretraining implements Task<Batch> {
    private final VisionTransformer model;
    private final Batches batches;
    private final float eta;
    private final Device device;
    private Tensor targets;

    public ImagePretraining(VisionTransformer model, ImageDataset data, ImageRecipe recipe, Device device) {
        if (model.positionHead == null) {
            throw new IllegalArgumentException("pretraining needs a model with a position head "
                    + "(PositionPrediction.pretrainingModel)");
        }
        this.model = model;
        this.batches = recipe.batches(data);
        this.eta = recipe.eta();
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
        Tensor images = batch.images().to(device);
        int n = model.config.numPatches();
        Context context = ContextMasking.sample(masks, batch.size(), n, eta, device);
        if (targets == null) {
            targets = PositionPrediction.targets(batch.size(), n, device);
        }
        return PositionPrediction.loss(PositionPrediction.logits(model, images, context), targets, 0f);
    }

    @Override
    public String unit() {
        return "images";
    }
}

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
    private int from;
    private int to;

    protected ImageTask(VisionTransformer model, ImageDataset data, ImageRecipe recipe, Device device) {
        this.model = model;
        this.device = device;
        this.batches = recipe.batches(data);
        this.to = batches.batchSize();
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
        return batches.batch((int) (step / stepsPerEpoch()), (int) (step % stepsPerEpoch()), from, to);
    }

    /** Trains on rank's share of every batch: rows [rank B / ranks, (rank + 1) B / ranks). */
    @Override
    public final void shard(int rank, int ranks) {
        int b = batches.batchSize();
        if (ranks < 1 || rank < 0 || rank >= ranks || b % ranks != 0) {
            throw new IllegalArgumentException("data parallel: the batch of " + b + " images must split evenly over "
                    + ranks + " processes (rank " + rank + "); choose a --batch that is a multiple of " + ranks);
        }
        this.from = rank * (b / ranks);
        this.to = from + b / ranks;
    }

    /** The first row of every batch this process trains on (0 unless sharded). */
    protected final int shardFrom() {
        return from;
    }

    /** The size of the whole batch the shard is cut from. */
    protected final int shardBatch() {
        return batches.batchSize();
    }

    @Override
    public final String unit() {
        return "images";
    }
}

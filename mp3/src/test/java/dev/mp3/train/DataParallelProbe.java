package dev.mp3.train;

import dev.mp3.data.Augmentation;
import dev.mp3.method.PositionPrediction;
import dev.mp3.mpi.MpiCollective;
import dev.mp3.nn.Safetensors;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Rng;

import java.nio.file.Path;
import java.util.Map;

/**
 * One rank of {@link DataParallelTest}'s runs, started by {@code mpirun -np N}: trains
 * {@link #model(String)} on {@link #recipe(String)} with {@link Trainer.Parallelism} over MPI's
 * world, checking after every update that the replicas are identical; rank 0 writes the weights.
 *
 * <p>Arguments: {@code TASK OUT.safetensors BUCKET_BYTES OVERLAP [fail=RANK] [stop=STEP,CHECKPOINT]}.
 * With {@code fail}, that rank throws in its third update's loss, and the probe fails as the
 * command line does: one line naming the rank, then MPI_Abort for the whole group. With
 * {@code stop}, the group stops after update STEP with a checkpoint (written by rank 0), and every
 * rank resumes from it, as {@code mpirun ... --resume} does.
 */
public final class DataParallelProbe {
    public static void main(String[] args) throws Exception {
        String task = args[0];
        Path out = Path.of(args[1]);
        long bucketBytes = Long.parseLong(args[2]);
        boolean overlap = Boolean.parseBoolean(args[3]);
        int failRank = -1;
        long stopAt = -1;
        Path checkpoint = null;
        for (int i = 4; i < args.length; i++) {
            if (args[i].startsWith("fail=")) {
                failRank = Integer.parseInt(args[i].substring(5));
            } else if (args[i].startsWith("stop=")) {
                String[] v = args[i].substring(5).split(",", 2);
                stopAt = Long.parseLong(v[0]);
                checkpoint = Path.of(v[1]);
            }
        }
        MpiCollective group = MpiCollective.world();
        try {
            VisionTransformer net = model(task);
            ImageRecipe recipe = recipe(task);
            Trainer.Parallelism parallelism = new Trainer.Parallelism(group, bucketBytes, overlap, 1);
            if (checkpoint == null) {
                new Trainer(task(net, recipe, group.rank() == failRank), recipe, "probe").quiet()
                        .parallelism(parallelism).run();
            } else {
                new Trainer(task(net, recipe, false), recipe, "probe").quiet().parallelism(parallelism)
                        .checkpointTo(checkpoint, 0).run(null, stopAt);
                group.barrier();   // rank 0 has written the checkpoint
                Checkpoint saved = Checkpoint.load(checkpoint, dev.mp3.nn.ViTConfig.class);
                net = new VisionTransformer(saved.model(dev.mp3.nn.ViTConfig.class), new Rng(99));
                new Trainer(task(net, recipe, false), recipe, "probe").quiet().parallelism(parallelism)
                        .checkpointTo(checkpoint, 0).run(saved, Long.MAX_VALUE);
            }
            if (group.rank() == 0) {
                Safetensors.save(net, out, Map.of());
            }
        } catch (RuntimeException e) {
            System.err.println("error: rank " + group.rank() + " of " + group.size() + ": " + e.getMessage());
            group.abort(2);
        }
        group.close();
    }

    /** The tiny ViT of TrainerTest without dropout or drop path, whose draws would differ per rank. */
    static VisionTransformer model(String task) {
        var c = TrainerTest.tinyModel();
        var config = new dev.mp3.nn.ViTConfig(c.imageSize(), c.patchSize(), c.channels(), c.dim(), c.depth(),
                c.heads(), c.mlpRatio(), c.numClasses(), c.clsToken(), c.posEmbed(), c.positionHead(), 0f, 0f,
                c.layerNormEps());
        return new VisionTransformer(task.equals("pretrain") ? PositionPrediction.pretrainingModel(config) : config,
                new Rng(21));
    }

    /**
     * Eight updates of 16 images: MP3 at eta 0.5 with DeiT's pretraining augmentation, or
     * classification with pad-and-crop, flip and Mixup/CutMix on every batch (pairs across shards).
     */
    static ImageRecipe recipe(String task) {
        return task.equals("pretrain")
                ? ImageRecipe.pretrain(2, 0.5f).withBatchSize(16).withSeed(11).withAugment(Augmentation.pretraining())
                        .withPeakLr(1e-3f).withWarmup(0)
                : ImageRecipe.classify(2).withBatchSize(16).withSeed(12).withAugment(MIXING).withPeakLr(1e-3f)
                        .withWarmup(0);
    }

    static final Augmentation MIXING = new Augmentation(Augmentation.Crop.PAD, 1f, 0.5f, "none", 0.8f, 1.0f, 1f,
            0.5f, 0f, 1, "bicubic");

    static Task<?> task(VisionTransformer net, ImageRecipe recipe, boolean failing) {
        Trainer t = TrainerTest.trainer(net, recipe, recipe.task() == ImageRecipe.Task.PRETRAIN
                ? TrainerTest.positionalData() : TrainerTest.tinyData());
        Task<?> inner = t.task();
        return failing ? new Failing<>(inner) : inner;
    }

    /** A task whose third loss throws, as a rank whose data or device fails mid-run. */
    private record Failing<B>(Task<B> inner) implements Task<B> {
        public dev.mp3.nn.Module model() { return inner.model(); }
        public Record modelConfig() { return inner.modelConfig(); }
        public int stepsPerEpoch() { return inner.stepsPerEpoch(); }
        public B batch(long step) { return inner.batch(step); }
        public void shard(int rank, int ranks) { inner.shard(rank, ranks); }
        public String unit() { return inner.unit(); }

        public dev.mp3.autograd.Var loss(B batch, Rng masks) {
            if (((dev.mp3.data.Batch) batch).step() == 2) {
                throw new IllegalStateException("this rank's data failed at update 2");
            }
            return inner.loss(batch, masks);
        }
    }

    private DataParallelProbe() {
    }
}

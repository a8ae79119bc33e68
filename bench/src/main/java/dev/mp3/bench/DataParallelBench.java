package dev.mp3.bench;

import dev.mp3.data.FashionMnist;
import dev.mp3.data.ImageDataset;
import dev.mp3.method.ImagePretraining;
import dev.mp3.method.PositionPrediction;
import dev.mp3.mpi.MpiCollective;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.nn.parallel.Collective;
import dev.mp3.nn.parallel.DataParallel;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.cpu.Parallel;
import dev.mp3.train.ImageClassification;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.Task;
import dev.mp3.train.Trainer;

import java.util.Map;

/**
 * The cost of data parallelism on the fmnist ViT (128 wide, 6 deep, 4 heads, patch 4 on 28x28):
 * the mean time of a training update at a global batch of 128 (MP3 pretraining at eta 0.75, or
 * supervised classification), started alone or under {@code mpirun -np N}, and how much of it the
 * training thread spent waiting for the gradient sums ({@link DataParallel.Stats}). Run by
 * {@code bench/mpi-bench.sh}, which compares 1 process with 2 ranks, with and without overlap.
 *
 * <p>Arguments (--key value): task=pretrain|supervised, steps=20, warmup=5, threads (default: cores /
 * ranks on this machine), overlap=true, bucket-mb=1.
 */
public final class DataParallelBench {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = StepBench.parse(args);
        String task = opt.getOrDefault("task", "pretrain");
        int steps = Integer.parseInt(opt.getOrDefault("steps", "20"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
        boolean overlap = Boolean.parseBoolean(opt.getOrDefault("overlap", "true"));
        double bucketMb = Double.parseDouble(opt.getOrDefault("bucket-mb", "1"));
        Collective group = MpiCollective.launchedByMpi(System.getenv()) ? MpiCollective.world() : Collective.single();
        int threads = Integer.parseInt(opt.getOrDefault("threads",
                String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors() / group.localSize()))));
        Parallel.setThreads(threads);
        Trainer.Parallelism parallelism = new Trainer.Parallelism(group, (long) (bucketMb * (1 << 20)), overlap, 0);

        int batch = 128;
        ImageDataset all = FashionMnist.embedded().train();
        run(task, all, batch, warmup, parallelism);                  // JIT warm-up
        Trainer.Result r = run(task, all, batch, steps, parallelism);
        if (group.rank() == 0) {
            DataParallel.Stats p = r.parallel();
            System.out.printf("%s ranks=%d threads=%d overlap=%s step_s=%.4f exposed_s=%.4f pack_s=%.4f"
                    + " buckets=%d mb=%.2f%n", task, group.size(), threads, group.distributed() ? overlap : "-",
                    r.meanStepSeconds(), p == null ? 0 : p.exposedPerStep(), p == null ? 0 : p.packSeconds() / p.steps(),
                    p == null ? 0 : p.buckets(), p == null ? 0 : p.bytesPerStep() / 1e6);
        }
        group.close();
    }

    /** {@code updates} updates of {@code batch} images (one epoch of a subset that size). */
    private static Trainer.Result run(String task, ImageDataset all, int batch, int updates,
                                      Trainer.Parallelism parallelism) throws Exception {
        int[] first = new int[batch * updates];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        ImageDataset data = all.subset(first);
        ViTConfig encoder = ViTConfig.fashionMnist().withWidth(128, 6, 4);
        Task<?> t;
        ImageRecipe recipe;
        if (task.equals("pretrain")) {
            recipe = ImageRecipe.pretrain(1, 0.75f).withBatchSize(batch);
            t = new ImagePretraining(new VisionTransformer(PositionPrediction.pretrainingModel(encoder), new Rng(1)),
                    data, recipe, Device.CPU);
        } else {
            recipe = ImageRecipe.classify(1).withBatchSize(batch);
            t = new ImageClassification(new VisionTransformer(encoder.forFinetuning(PositionEmbedding.LEARNED,
                    data.numClasses()), new Rng(1)), data, recipe, Device.CPU);
        }
        return new Trainer(t, recipe, task).quiet().parallelism(parallelism).run();
    }

    private DataParallelBench() {
    }
}

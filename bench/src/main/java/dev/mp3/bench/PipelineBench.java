package dev.mp3.bench;

import dev.mp3.data.Batches;
import dev.mp3.data.FashionMnist;
import dev.mp3.data.ImageDataset;
import dev.mp3.data.Normalization;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.cpu.Parallel;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.NamedRecipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Does the input pipeline keep up with training? Images per second that batch assembly with a
 * recipe's full classification augmentation (DeiT's: crops, flip, RandAugment, erasing, Mixup/CutMix,
 * repeats) delivers on 1 and 2 worker threads, against the images per second of the supervised
 * training step of the recipe's model at its batch size, measured in the same run.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.mp3.bench.PipelineBench \
 *      [--recipe fmnist] [--batches 40] [--steps 3] [--warmup 1] [--threads 2]
 * </pre>
 * fmnist reads the embedded Fashion-MNIST subset; the other recipes use random bytes at their image
 * size (augmentation costs the same whatever the pixels). The workers run with the step idle, so
 * the figure is what the pipeline can do with the cores to itself; while training they share them.
 */
public final class PipelineBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = StepBench.parse(args);
        NamedRecipe named = NamedRecipe.of(opt.getOrDefault("recipe", "fmnist"));
        int batches = Integer.parseInt(opt.getOrDefault("batches", "40"));
        int steps = Integer.parseInt(opt.getOrDefault("steps", "3"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "1"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        Parallel.setThreads(threads);

        ImageDataset data = data(named);
        ImageRecipe recipe = named.classify();
        Batches schedule = recipe.batches(data);
        int batch = recipe.batchSize();
        System.out.printf("pipeline benchmark: recipe %s, %s, batch %d, augmentation: %s%n", named.name(), data,
                batch, recipe.augment());
        assemble(schedule, Math.max(4, batches / 4), 1);   // warm-up: JIT
        double[] perSecond = new double[3];
        for (int workers = 1; workers <= 2; workers++) {
            perSecond[workers] = assemble(schedule, batches, workers);
            System.out.printf("  batch assembly, %d worker%s: %.0f images/s%n", workers, workers == 1 ? " " : "s",
                    perSecond[workers]);
        }

        ViTConfig model = model(named, data);
        Map<String, Double> step = StepBench.ourSteps(model, List.of("supervised"), batch, warmup, steps,
                Device.CPU);
        double trained = batch / step.get("supervised");
        System.out.printf("  training step (%s, supervised, %d threads): %.3f s, %.0f images/s%n", describe(model),
                threads, step.get("supervised"), trained);
        System.out.printf("pipeline / step: %.1fx with 1 worker, %.1fx with 2%n", perSecond[1] / trained,
                perSecond[2] / trained);
    }

    /** Images per second of building {@code count} batches on {@code workers} threads, each batch on one. */
    static double assemble(Batches schedule, int count, int workers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            int perEpoch = schedule.stepsPerEpoch();
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < count; s++) {
                int step = s;
                done.add(pool.submit(() -> schedule.batch(step / perEpoch, step % perEpoch)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return (double) count * schedule.batchSize() / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private static ImageDataset data(NamedRecipe named) {
        if (named.name().equals("fmnist")) {
            return FashionMnist.embedded().train();
        }
        int size = named.imageSize();
        int n = Math.max(2048, 2 * named.classify().batchSize());
        byte[] pixels = new byte[n * 3 * size * size];
        Rng rng = new Rng(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 100;
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < 100; c++) {
            classes.add("class " + c);
        }
        return new ImageDataset("random " + size + "x" + size, pixels, labels, 3, size, size, classes,
                Normalization.CIFAR100);
    }

    private static ViTConfig model(NamedRecipe named, ImageDataset data) {
        ViTConfig base = switch (named.model()) {
            case "small" -> ViTConfig.small();
            case "base" -> ViTConfig.base();
            default -> ViTConfig.fashionMnist().withWidth(128, 6, 4);
        };
        return base.withImage(data.height(), named.patchSize(), data.channels())
                .withRegularisation(base.dropout(), named.dropPath())
                .forFinetuning(PositionEmbedding.LEARNED, data.numClasses());
    }

    private static String describe(ViTConfig c) {
        return c.dim() + "/" + c.depth() + "/" + c.heads() + " patch " + c.patchSize() + " on " + c.imageSize() + "x"
                + c.imageSize();
    }
}

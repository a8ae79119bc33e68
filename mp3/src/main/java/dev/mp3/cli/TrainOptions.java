package dev.mp3.cli;

import dev.mp3.train.ImageRecipe;
import picocli.CommandLine.Option;

/** Recipe options shared by pretrain, finetune and train; unset options keep the task's defaults. */
final class TrainOptions {

    @Option(names = "--epochs", description = "Passes over the training data.")
    Integer epochs;

    @Option(names = "--batch", description = "Batch size (default 128).")
    Integer batch;

    @Option(names = "--lr", description = "Peak learning rate after warmup (default 1e-3).")
    Float lr;

    @Option(names = "--min-lr", description = "Final learning rate of the cosine decay (default 1e-5).")
    Float minLr;

    @Option(names = "--warmup", description = "Warmup length in epochs (default: a tenth of the run, at most 1).")
    Float warmup;

    @Option(names = "--wd", description = "AdamW weight decay (default 0.05).")
    Float weightDecay;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    /** On {@code --resume}: every recipe option given must equal the run's recipe {@code r}. */
    void check(RunFolder folder, ImageRecipe r) {
        folder.check("--epochs", epochs, r.epochs());
        folder.check("--batch", batch, r.batchSize());
        folder.check("--lr", lr, r.lr());
        folder.check("--min-lr", minLr, r.minLr());
        folder.check("--warmup", warmup, r.warmupEpochs());
        folder.check("--wd", weightDecay, r.weightDecay());
        folder.check("--seed", seed, r.seed());
    }

    ImageRecipe apply(ImageRecipe base, int defaultEpochs) {
        ImageRecipe c = base.withEpochs(epochs != null ? epochs : defaultEpochs).withSeed(seed);
        if (batch != null) c = c.withBatchSize(batch);
        if (lr != null || minLr != null) c = c.withLr(lr != null ? lr : c.lr(), minLr != null ? minLr : Math.min(c.minLr(), lr != null ? lr : c.lr()));
        if (warmup != null) c = c.withWarmup(warmup);
        if (weightDecay != null) c = c.withWeightDecay(weightDecay);
        return c;
    }
}

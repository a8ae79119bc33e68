package dev.mp3.cli;

import dev.mp3.train.SpeechRecipe;
import picocli.CommandLine.Option;

/** Recipe options of speech-pretrain, speech-finetune and speech-train; unset ones keep the paper's values. */
final class SpeechRecipeOptions {

    @Option(names = "--updates", description = "Most updates (paper: 30000 for finetuning and the supervised"
            + " baseline; pretraining defaults to 10000, Table 6's best). With --resume, a larger number extends a"
            + " finished speech-train/speech-finetune run (which then ends as a run of that length would).")
    Integer updates;

    @Option(names = "--batch", description = "Clips per update (default 256).")
    Integer batch;

    @Option(names = "--lr", description = "Learning rate after warm-up, halved every --decay-every updates (default 1e-3).")
    Float lr;

    @Option(names = "--warmup-lr", description = "Constant learning rate of the warm-up (default 1e-4).")
    Float warmupLr;

    @Option(names = "--warmup-updates", description = "Warm-up length (default 500).")
    Integer warmupUpdates;

    @Option(names = "--decay-every", description = "Updates between halvings of the learning rate, counted from"
            + " update 0 (default 10000).")
    Integer decayEvery;

    @Option(names = "--decay-factor", description = "The learning rate is multiplied by this every --decay-every"
            + " updates (default 0.5; TC-ResNet 0.1).")
    Float decayFactor;

    @Option(names = "--optimizer", description = "ADAM (the paper's Transformers) or SGD with momentum (TC-ResNet's"
            + " recipe).")
    SpeechRecipe.Method optimizer;

    @Option(names = "--momentum", description = "SGD's momentum (default 0.9).")
    Float momentum;

    @Option(names = "--weight-decay", description = "L2 weight decay added to the gradients of weights (default 0;"
            + " TC-ResNet 1e-3).")
    Float weightDecay;

    @Option(names = "--label-smoothing", description = "Default 0.1 for classification, 0 for pretraining.")
    Float labelSmoothing;

    @Option(names = "--pe-fraction", description = "Share of each clip's frames given the sinusoidal position"
            + " embedding, drawn per clip (default 0.05 for pretraining, 1 for classification).")
    Float peFraction;

    @Option(names = "--eval-every", description = "Updates between validations (default 500).")
    Integer evalEvery;

    @Option(names = "--patience", description = "Stop after this many validations without improvement; the run"
            + " keeps its best validation's weights. 0: never stop early (default 10).")
    Integer patience;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    /** On {@code --resume}: every recipe option given must equal the run's recipe {@code r}. */
    void check(RunFolder folder, SpeechRecipe r) {
        folder.check("--updates", updates, r.updates());
        folder.check("--batch", batch, r.batchSize());
        folder.check("--lr", lr, r.lr());
        folder.check("--warmup-lr", warmupLr, r.warmupLr());
        folder.check("--warmup-updates", warmupUpdates, r.warmupUpdates());
        folder.check("--decay-every", decayEvery, r.decayEvery());
        folder.check("--decay-factor", decayFactor, r.decayFactor());
        folder.check("--optimizer", optimizer, r.optimizer());
        folder.check("--momentum", momentum, r.momentum());
        folder.check("--weight-decay", weightDecay, r.weightDecay());
        folder.check("--label-smoothing", labelSmoothing, r.labelSmoothing());
        folder.check("--pe-fraction", peFraction, r.positionFraction());
        folder.check("--eval-every", evalEvery, r.evalEvery());
        folder.check("--patience", patience, r.patience());
        folder.check("--seed", seed, r.seed());
    }

    SpeechRecipe apply(SpeechRecipe base) {
        SpeechRecipe r = base.withSeed(seed);
        if (updates != null) r = r.withUpdates(updates);
        if (batch != null) r = r.withBatchSize(batch);
        r = r.withSchedule(warmupLr != null ? warmupLr : r.warmupLr(), warmupUpdates != null ? warmupUpdates
                : r.warmupUpdates(), lr != null ? lr : r.lr(), decayEvery != null ? decayEvery : r.decayEvery());
        if (decayFactor != null) r = r.withDecayFactor(decayFactor);
        if (optimizer != null || momentum != null || weightDecay != null) {
            r = r.withOptimizer(optimizer != null ? optimizer : r.optimizer(), momentum != null ? momentum : r.momentum(),
                    weightDecay != null ? weightDecay : r.weightDecay());
        }
        if (labelSmoothing != null) r = r.withLabelSmoothing(labelSmoothing);
        if (peFraction != null) r = r.withPositionFraction(peFraction);
        if (evalEvery != null || patience != null) {
            r = r.withValidation(evalEvery != null ? evalEvery : r.evalEvery(), patience != null ? patience : r.patience());
        }
        return r;
    }
}

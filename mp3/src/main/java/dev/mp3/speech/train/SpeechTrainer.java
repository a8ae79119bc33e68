package dev.mp3.speech.train;

import dev.mp3.autograd.Var;
import dev.mp3.nn.Adam;
import dev.mp3.nn.Losses;
import dev.mp3.nn.LrSchedule;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.report.ProgressBar;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The speech training loop, shared by MP3 pretraining, finetuning and the supervised baseline:
 * augmented batches in a seeded order, the task's loss, backward, Adam with the paper's step-decay
 * schedule, validation every {@code evalEvery} updates with early stopping (the run ends with its
 * best validation's weights), and checkpoints that let a killed run resume bit-exactly.
 *
 * <ul>
 *   <li>Pretraining (MP3 on speech, eta = 0): every frame attends to every frame; a random
 *       {@code positionFraction} (5%) of each clip's frames get the sinusoidal position embedding
 *       ({@link PositionMask}); the position head classifies each frame's index; the loss is the
 *       mean cross entropy over all frames.</li>
 *   <li>Classification: keyword cross entropy with label smoothing from the cls frame; every frame
 *       gets its position by default (the paper finetunes with position information).</li>
 * </ul>
 *
 * <p>Every random choice comes from the recipe's seed: the batch order of epoch e from stream
 * (ORDER, e), the augmentation of update s from stream (AUGMENT, s), so both are pure functions of
 * the update number; position masks and dropout from two generators whose counters the checkpoint
 * stores; validation masks from a fixed seed.
 */
public final class SpeechTrainer {
    private static final long ORDER_STREAM = 0x4f524452L;      // "ORDR"
    private static final long AUGMENT_STREAM = 0x41554754L;    // "AUGT"
    private static final long MASK_STREAM = 0x4d41534bL;       // "MASK"
    private static final long NOISE_STREAM = 0x4e4f4953L;      // "NOIS"
    private static final long VALIDATION_STREAM = 0x56414c44L; // "VALD"
    /** Clips per forward pass when validating (no gradients, so memory is small). */
    public static final int EVAL_BATCH = 256;

    /**
     * One validation: after update {@code step}, the mean training loss since the previous one, the
     * learning rate of the last update, the validation metric (keyword or top-1 position accuracy)
     * and the seconds since the run (or its resume) started.
     */
    public record Validation(long step, double trainLoss, double lr, double metric, double seconds) {}

    /**
     * @param history          every validation, resumed runs included
     * @param bestMetric       the best validation metric; the model holds its weights after run()
     * @param bestStep         the update it came at
     * @param steps            updates taken in all
     * @param stoppedEarly     whether patience ran out before the last update
     * @param meanStepSeconds  forward + backward + update, per update, this session
     * @param meanBatchSeconds the front end (augmentation + MFCC of one batch), per update
     */
    public record Result(List<Validation> history, double bestMetric, long bestStep, long steps,
                         boolean stoppedEarly, double meanStepSeconds, double meanBatchSeconds) {}

    private final SpeechTransformer model;
    private final SpeechRecipe recipe;
    private final SpeechSplit train;
    private final SpeechSplit validation;
    private final Device device;
    private Path checkpoint;
    private int checkpointEvery;
    private final TreeMap<Long, Path> snapshots = new TreeMap<>();
    private boolean progress = true;
    private String label;

    public SpeechTrainer(SpeechTransformer model, SpeechRecipe recipe, SpeechSplit train, SpeechSplit validation,
                         Device device) {
        var c = model.config;
        if (recipe.task() == SpeechRecipe.Task.PRETRAIN && model.positionHead == null) {
            throw new IllegalArgumentException("speech pretraining needs a model with a position head "
                    + "(SpeechConfig.forPretraining())");
        }
        if (recipe.task() == SpeechRecipe.Task.CLASSIFY && model.head == null) {
            throw new IllegalArgumentException("speech classification needs a model with a classifier head");
        }
        if (recipe.task() == SpeechRecipe.Task.CLASSIFY && train.classes().size() != c.numClasses()) {
            throw new IllegalArgumentException("the data has " + train.classes().size() + " classes but the "
                    + "model's head has " + c.numClasses());
        }
        if (!train.augmented() || validation.augmented()) {
            throw new IllegalArgumentException("SpeechTrainer: expected the training split and an evaluation split, "
                    + "got " + train.split() + " and " + validation.split());
        }
        this.model = model;
        this.recipe = recipe;
        this.train = train;
        this.validation = validation;
        this.device = device;
        this.label = recipe.task() == SpeechRecipe.Task.PRETRAIN ? "speech-pretrain" : "speech-train";
    }

    /** Writes a checkpoint to {@code path} every {@code everySteps} updates (0: only at the end). */
    public SpeechTrainer checkpointTo(Path path, int everySteps) {
        this.checkpoint = path;
        this.checkpointEvery = everySteps;
        return this;
    }

    /**
     * Also validates after update {@code step} and writes a checkpoint there to {@code path}: its
     * best weights are exactly what a run of {@code step} updates would end with (the schedule
     * does not depend on the run's length). If the run stops earlier, the file gets the final state.
     */
    public SpeechTrainer snapshotAt(long step, Path path) {
        snapshots.put(step, path);
        return this;
    }

    public SpeechTrainer quiet() {
        this.progress = false;
        return this;
    }

    public SpeechTrainer label(String l) {
        this.label = l;
        return this;
    }

    /** Trains from the model's current weights (fresh or pretrained). */
    public Result run() throws IOException {
        return run(null, Long.MAX_VALUE);
    }

    /**
     * Trains, continuing from {@code resume} when it is not null, and stops without the final
     * validation after update {@code stopAfter} (as a killed run would; for tests of resuming).
     */
    public Result run(SpeechCheckpoint resume, long stopAfter) throws IOException {
        LrSchedule schedule = recipe.schedule();
        Adam optimizer = new Adam(model.namedParameters(), Adam.Config.adam());
        EarlyStopping stopping = new EarlyStopping(recipe.patience());
        List<Validation> history = new ArrayList<>();
        long step = 0;
        long maskCounter = 0;
        long noiseCounter = 0;
        double lossSum = 0;
        int lossCount = 0;
        boolean stopped = false;
        if (resume != null) {
            if (!resume.recipe().equals(recipe) || !resume.model().equals(model.config)) {
                throw new IllegalArgumentException("resume: the checkpoint was written by a run with recipe "
                        + resume.recipe() + " and model " + resume.model() + "; this trainer has " + recipe + " and "
                        + model.config + " (resume with the checkpoint's own recipe and model)");
            }
            model.loadStateDict(resume.modelState(), true);
            optimizer.loadStateDict(resume.optimizerState());
            stopping = new EarlyStopping(recipe.patience(), resume.bestMetric(), resume.bestStep(), resume.sinceBest(),
                    resume.bestState());
            history.addAll(resume.history());
            step = resume.step();
            maskCounter = resume.maskCounter();
            noiseCounter = resume.noiseCounter();
            lossSum = resume.lossSum();
            lossCount = resume.lossCount();
            stopped = resume.stopped();
        }
        Rng maskRng = new Rng(recipe.seed() ^ MASK_STREAM, maskCounter);
        Rng noiseRng = new Rng(recipe.seed() ^ NOISE_STREAM, noiseCounter);
        model.train(noiseRng);

        int frames = model.config.frames();
        int perEpoch = (train.size() + recipe.batchSize() - 1) / recipe.batchSize();
        int cachedEpoch = -1;
        List<int[]> order = null;
        ProgressBar bar = progress ? ProgressBar.console(label, recipe.updates(), recipe.batchSize(), "clips") : null;
        if (bar != null) {
            bar.start(step);
        }
        long start = System.nanoTime();
        double stepSeconds = 0;
        double batchSeconds = 0;
        long timed = 0;
        double lastLoss = Double.NaN;

        while (!stopped && step < recipe.updates() && step < stopAfter) {
            int epoch = (int) (step / perEpoch);
            if (epoch != cachedEpoch) {
                order = train.epoch(recipe.batchSize(), new Rng(recipe.seed() ^ ORDER_STREAM, epoch));
                cachedEpoch = epoch;
            }
            long t0 = System.nanoTime();
            SpeechBatch batch = train.batch(order.get((int) (step % perEpoch)),
                    new Rng(recipe.seed() ^ AUGMENT_STREAM, step));
            long t1 = System.nanoTime();
            int b = batch.labels().numel();
            Tensor features = batch.features().to(device);
            Tensor mask = PositionMask.sample(maskRng, b, frames, recipe.positionFraction());
            Var loss = recipe.task() == SpeechRecipe.Task.PRETRAIN
                    ? positionLoss(model, features, mask, recipe.labelSmoothing())
                    : Losses.crossEntropy(model.classify(features, mask), batch.labels().to(device),
                            recipe.labelSmoothing());
            double lr = schedule.at(step);
            double value = loss.item();
            if (!Double.isFinite(value)) {
                throw new IllegalStateException(String.format("%s: the loss became %s at update %d (learning rate "
                        + "%.3g); lower the learning rate (--lr, --warmup-lr)", label, value, step, lr));
            }
            loss.backward();
            optimizer.step((float) lr);
            optimizer.zeroGrad();
            batchSeconds += (t1 - t0) / 1e9;
            stepSeconds += (System.nanoTime() - t1) / 1e9;
            timed++;
            lastLoss = value;
            lossSum += value;
            lossCount++;
            step++;
            if (bar != null) {
                bar.update(step, value);
            }
            boolean last = step == recipe.updates();
            if (step % recipe.evalEvery() == 0 || last || snapshots.containsKey(step)) {
                history.add(new Validation(step, lossSum / lossCount, lr, validate(), (System.nanoTime() - start) / 1e9));
                lossSum = 0;
                lossCount = 0;
                stopped = stopping.record(step, history.getLast().metric(), model);
            }
            if (snapshots.containsKey(step)) {
                SpeechCheckpoint.save(snapshots.get(step), model, recipe, optimizer, step, maskRng.counter(),
                        noiseRng.counter(), stopping, stopped, lossSum, lossCount, history);
            }
            if (checkpoint != null && checkpointEvery > 0 && step % checkpointEvery == 0 && !last && !stopped) {
                SpeechCheckpoint.save(checkpoint, model, recipe, optimizer, step, maskRng.counter(), noiseRng.counter(),
                        stopping, false, lossSum, lossCount, history);
            }
        }
        // Only a run cut short by stopAfter ends unvalidated; every other end validated its last update.
        boolean interrupted = !stopped && step < recipe.updates();
        if (bar != null) {
            bar.finish(step, lastLoss);
        }
        if (checkpoint != null) {
            SpeechCheckpoint.save(checkpoint, model, recipe, optimizer, step, maskRng.counter(), noiseRng.counter(),
                    stopping, stopped, lossSum, lossCount, history);
        }
        if (!interrupted) {
            for (Map.Entry<Long, Path> s : snapshots.tailMap(step, false).entrySet()) {
                SpeechCheckpoint.save(s.getValue(), model, recipe, optimizer, step, maskRng.counter(),
                        noiseRng.counter(), stopping, stopped, lossSum, lossCount, history);
            }
            stopping.restoreBest(model);
        }
        model.eval();
        return new Result(List.copyOf(history), stopping.best(), stopping.bestStep(), step, stopped,
                timed == 0 ? Double.NaN : stepSeconds / timed, timed == 0 ? Double.NaN : batchSeconds / timed);
    }

    /**
     * MP3's loss on speech: the position head scores every frame index for every frame, and the
     * target of frame i is i; the mean cross entropy over all frames of all clips.
     */
    static Var positionLoss(SpeechTransformer model, Tensor features, Tensor mask, float smoothing) {
        Var logits = model.predictPositions(features, mask);
        return Losses.crossEntropy(logits, Losses.positionTargets(features.dim(0), model.config.frames(),
                features.device()), smoothing);
    }

    /** The validation metric in eval mode; training mode (and its noise stream) is restored after. */
    private double validate() {
        long seed = recipe.seed() ^ VALIDATION_STREAM;
        double metric = recipe.task() == SpeechRecipe.Task.PRETRAIN
                ? SpeechEvaluation.positionAccuracy(model, validation, recipe.positionFraction(), EVAL_BATCH, seed,
                        device).top1()
                : SpeechEvaluation.accuracy(model, validation, recipe.positionFraction(), EVAL_BATCH, seed, device);
        model.train();
        return metric;
    }
}

package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.nn.LrSchedule;
import dev.mp3.nn.GradientHook;
import dev.mp3.nn.Module;
import dev.mp3.nn.Optimizer;
import dev.mp3.nn.Parameter;
import dev.mp3.nn.parallel.Collective;
import dev.mp3.nn.parallel.DataParallel;
import dev.mp3.report.ProgressBar;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.cpu.OpProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one training loop, for every {@link Task} (MP3 pretraining and classification, on images
 * and on speech): the batch of each update, the task's loss, backward, the recipe's optimiser (Adam or
 * SGD) with its learning-rate schedule, a progress bar, a row of history every {@link Recipe#reportEvery}
 * updates (with a validation when the task has one), early stopping that keeps the best
 * validation's weights, and checkpoints from which a killed run resumes bit-exactly.
 *
 * <p>Every random choice comes from the recipe's seed: batches are a pure function of the update
 * number ({@link Task#batch}), MP3's contexts and position masks come from the MASK stream and
 * dropout from the NOISE stream, whose counters the checkpoint stores. Because a batch depends on
 * its update number only, the batches of the next updates are built on a worker thread while the
 * current one trains ({@link #prefetch}); the streams are drawn from on this thread alone.
 */
public final class Trainer {
    private static final long MASK_STREAM = 0x4d41534bL;   // "MASK"
    private static final long NOISE_STREAM = 0x4e4f4953L;  // "NOIS"
    /** Updates not profiled under -Dmp3.profile=true: the JIT compiles the step's code in these. */
    private static final int PROFILE_WARMUP = 5;

    /**
     * One row of the history, written after update {@code step}: the mean training loss since the
     * previous row, the learning rate of the last update, the validation metric (NaN without one),
     * and the wall seconds and examples per second since the previous row.
     */
    public record Report(long step, double trainLoss, double lr, double metric, double seconds,
                         double examplesPerSecond) {}

    /**
     * @param history          every row, a resumed run's earlier rows included
     * @param finalLoss        the loss of the last update
     * @param bestMetric       the best validation (NaN without validation); the model holds its weights after run()
     * @param bestStep         the update it came at (-1 without validation)
     * @param steps            updates taken in all
     * @param stoppedEarly     whether patience ran out before the last update
     * @param meanStepSeconds  forward + backward + update, per update, this session
     * @param meanBatchSeconds assembling one batch (augmentation, features), per update, on the prefetching
     *                         thread (so mostly while the previous update trained) or, without prefetching,
     *                         on the trainer's thread
     * @param meanBatchWaitSeconds how long each update waited for its batch: what prefetching did not hide
     *                         (without prefetching, the whole assembly)
     */
    public record Result(List<Report> history, double finalLoss, double bestMetric, long bestStep, long steps,
                         boolean stoppedEarly, double meanStepSeconds, double meanBatchSeconds,
                         double meanBatchWaitSeconds, DataParallel.Stats parallel) {}

    private final Task<?> task;
    private final Recipe recipe;
    private final Record recipeRecord;
    private Path checkpoint;
    private int checkpointEvery;
    private boolean startOver;
    private Map<String, String> run = Map.of();
    private final TreeMap<Long, Path> snapshots = new TreeMap<>();
    private boolean progress = true;
    private String label;
    private static volatile int defaultWorkers = 1;
    private static volatile Parallelism defaultParallelism = Parallelism.SINGLE;

    private int prefetch = Math.max(2, defaultWorkers);
    private int workers = defaultWorkers;
    private Parallelism parallelism = defaultParallelism;

    /**
     * How a run spreads over processes: the {@link Collective} whose ranks train replicas on
     * shards of every batch (a group of one: no data parallelism), the gradient bucket size, whether
     * buckets are summed while backward runs, and how often (in updates) the ranks check that their
     * parameters are still identical (0: at every report).
     */
    public record Parallelism(Collective group, long bucketBytes, boolean overlap, long checkEvery) {
        public static final Parallelism SINGLE = new Parallelism(Collective.single(), 1 << 20, true, 0);

        public Parallelism {
            if (bucketBytes <= 0 || checkEvery < 0) {
                throw new IllegalArgumentException("data parallel: bucket bytes must be positive and the replica check"
                        + " interval non-negative, got " + bucketBytes + " and " + checkEvery);
            }
        }
    }

    /** A run of {@code task} with {@code recipe}; the progress bar says {@code label}. */
    public <R extends Record & Recipe> Trainer(Task<?> task, R recipe, String label) {
        this.task = task;
        this.recipe = recipe;
        this.recipeRecord = recipe;
        this.label = label;
    }

    /**
     * Writes a checkpoint to {@code path} every {@code everySteps} updates (0: only at the end),
     * keeping the one before as {@link Checkpoint#previous(Path)}.
     */
    public Trainer checkpointTo(Path path, int everySteps) {
        this.checkpoint = path;
        this.checkpointEvery = everySteps;
        return this;
    }

    /**
     * The checkpoints at {@link #checkpointTo} belong to another run that this one replaces: the
     * first checkpoint of this run removes both old files instead of keeping the newer as previous.
     */
    public Trainer startingOver() {
        this.startOver = true;
        return this;
    }

    /** What every checkpoint records about the run besides its recipe ({@link Checkpoint#run()}). */
    public Trainer recording(Map<String, String> settings) {
        this.run = Map.copyOf(settings);
        return this;
    }

    /**
     * Also reports (and validates) after update {@code step} and writes a checkpoint there to
     * {@code path}: its best weights are exactly what a run of {@code step} updates would end with
     * when the schedule does not depend on the run's length. If the run stops earlier, the file
     * gets the final state.
     */
    public Trainer snapshotAt(long step, Path path) {
        snapshots.put(step, path);
        return this;
    }

    public Task<?> task() {
        return task;
    }

    /** The name the progress bar and error messages give the run. */
    public Trainer label(String name) {
        this.label = name;
        return this;
    }

    public Trainer quiet() {
        this.progress = false;
        return this;
    }

    /**
     * Builds up to {@code batches} batches ahead on a worker thread while an update trains (default
     * 2: the step's forward and backward take far longer than a batch, so one would do; the second
     * absorbs a slow batch). 0 builds each batch on this thread right before its update. Results
     * are identical either way.
     */
    public Trainer prefetch(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("prefetch: batches ahead must be >= 0, got " + batches);
        }
        this.prefetch = batches;
        return this;
    }

    /**
     * Builds batches on {@code threads} worker threads side by side (default 1), at least that many
     * ahead. Results are identical for any number: a batch is a pure function of its update number.
     */
    public Trainer workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("workers: need at least one batch-building thread, got " + threads);
        }
        this.workers = threads;
        this.prefetch = Math.max(prefetch, threads);
        return this;
    }

    /** The batch-building threads of trainers made from now on (the command line's {@code --workers}). */
    public static void setDefaultWorkers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--workers " + threads + " must be at least 1");
        }
        defaultWorkers = threads;
    }

    /** The data parallelism of trainers made from now on (the command line sets it under mpirun). */
    public static void setDefaultParallelism(Parallelism p) {
        defaultParallelism = p;
    }

    /** Trains as one rank of {@code p}'s group (see {@link Parallelism}). */
    public Trainer parallelism(Parallelism p) {
        this.parallelism = p;
        return this;
    }

    /** Trains from the model's current weights (fresh or pretrained). */
    public Result run() throws IOException {
        return run(null, Long.MAX_VALUE);
    }

    /**
     * Trains, continuing from {@code resume} when it is not null (weights, optimizer state, random
     * streams, early stopping and history), and stops after update {@code stopAfter} without a
     * final report, as a killed run would (for tests of resuming).
     */
    public Result run(Checkpoint resume, long stopAfter) throws IOException {
        return train(task, resume, stopAfter);
    }

    private <B> Result train(Task<B> task, Checkpoint resume, long stopAfter) throws IOException {
        Module model = task.model();
        int perEpoch = task.stepsPerEpoch();
        long total = recipe.updates(perEpoch);
        long reportEvery = recipe.reportEvery(perEpoch);
        LrSchedule schedule = recipe.schedule(perEpoch);
        Optimizer optimizer = recipe.newOptimizer(model.namedParameters());
        Collective group = parallelism.group();
        // Rank 0 leads: it alone shows progress, validates and writes checkpoints.
        boolean lead = group.rank() == 0;
        DataParallel parallel = null;
        if (group.distributed()) {
            task.shard(group.rank(), group.size());
            parallel = new DataParallel(group, model.namedParameters(), parallelism.bucketBytes(), parallelism.overlap());
            optimizer.setGradientHook(parallel);
        }
        boolean validates = task.metric() != null;
        EarlyStopping stopping = new EarlyStopping(recipe.patience());
        List<Report> history = new ArrayList<>();
        long step = 0;
        long maskCounter = 0;
        long noiseCounter = 0;
        double lossSum = 0;
        int lossCount = 0;
        boolean stopped = false;
        if (resume != null) {
            boolean sameRecipe = resume.recipe().equals(recipeRecord) || recipe.continues(resume.recipe());
            if (!sameRecipe || !resume.model().equals(task.modelConfig())) {
                throw new IllegalArgumentException("resume: the checkpoint was written by a run with recipe "
                        + resume.recipe() + " and model " + resume.model() + "; this run has " + recipeRecord
                        + " and " + task.modelConfig() + " (resume with the checkpoint's own recipe and model)");
            }
            Checkpoint.Progress p = resume.progress();
            model.loadStateDict(resume.modelState(), true);
            optimizer.loadStateDict(resume.optimizerState());
            stopping = new EarlyStopping(recipe.patience(), p.bestMetric(), p.bestStep(), p.sinceBest(),
                    resume.bestState());
            history.addAll(p.history());
            step = p.step();
            maskCounter = p.maskCounter();
            noiseCounter = p.noiseCounter();
            lossSum = p.lossSum();
            lossCount = p.lossCount();
            stopped = p.stopped();
        }
        // The step whose state the file at `checkpoint` already holds, so a resumed run that takes no
        // update (a finished one) leaves its checkpoints as they are.
        long saved = resume != null ? step : -1;
        Rng masks = new Rng(recipe.seed() ^ MASK_STREAM, maskCounter);
        // Dropout's stream differs per rank (its examples differ); rank 0's is a single process's.
        Rng noise = new Rng(recipe.seed() ^ NOISE_STREAM ^ (lead ? 0 : Rng.mix(group.rank())), noiseCounter);
        model.train(noise);

        ProgressBar bar = progress && lead ? ProgressBar.console(label, total, recipe.batchSize(), task.unit()) : null;
        if (bar != null) {
            bar.start(step);
        }
        long intervalStart = System.nanoTime();
        double stepSeconds = 0;
        double batchSeconds = 0;
        double waitSeconds = 0;
        long timed = 0;
        double lastLoss = Double.NaN;
        // -Dmp3.profile=true: time every backend op of the updates after the first PROFILE_WARMUP
        // (JIT warm-up), not validations, and print where the update's time went at the end.
        long profiledNanos = 0;
        long profiled = 0;

        // Closed before the final checkpoint: no batch is built past the loop, no thread outlives run().
        try (BatchPrefetch<B> batches = new BatchPrefetch<>(task::batch, step, Math.min(total, stopAfter),
                prefetch, prefetch == 0 ? 1 : workers)) {
            while (!stopped && step < total && step < stopAfter) {
                long t0 = System.nanoTime();
                BatchPrefetch.Built<B> built = batches.take(step);
                B batch = built.batch();
                long t1 = System.nanoTime();
                double lr = schedule.at(step);
                double value;
                if (OpProfile.ENABLED && lead && timed == PROFILE_WARMUP) {
                    OpProfile.reset();
                }
                // One memory scope per update: the batch's upload, activations, gradients and the update's
                // scratch give their device memory back when the update has been read, not when the
                // garbage collector runs. What outlives it (optimizer state, caches) is kept where made.
                try (MemoryScope stepMemory = MemoryScope.open()) {
                    Var loss = task.loss(batch, masks);
                    // Backward and the update are queued before the loss is read, so a device runs the
                    // whole step without waiting for the host; the loss guards the update (a loss that is
                    // not finite leaves the weights as they were) and comes back with the gradient norm
                    // in the step's one read. Data-parallel ranks sum gradient buckets as backward
                    // completes them, and guard with the mean loss over the ranks, so all decide alike.
                    Tensor guard;
                    if (parallel == null) {
                        loss.backward();
                        guard = loss.value();
                    } else {
                        loss.backward(parallel::ready);
                        guard = Tensor.full((float) parallel.mean(loss.item()), loss.value().shape())
                                .to(loss.value().device());
                    }
                    Optimizer.Update update = optimizer.queue((float) lr, guard);
                    optimizer.zeroGrad();
                    value = update.guard();
                    if (!Double.isFinite(value)) {
                        throw new IllegalStateException(String.format("%s: the loss became %s at update %d (epoch %d,"
                                + " learning rate %.3g); lower the learning rate (--lr)", label, value, step,
                                step / perEpoch + 1, lr));
                    }
                    update.checkedNorm();
                }
                batchSeconds += built.seconds();
                waitSeconds += (t1 - t0) / 1e9;
                long t2 = System.nanoTime();
                stepSeconds += (t2 - t1) / 1e9;
                if (OpProfile.ENABLED && timed >= PROFILE_WARMUP) {
                    profiledNanos += t2 - t1;
                    profiled++;
                }
                timed++;
                lastLoss = value;
                lossSum += value;
                lossCount++;
                step++;
                boolean last = step == total;
                boolean reporting = step % reportEvery == 0 || last || snapshots.containsKey(step);
                if (parallel != null && (reporting || (parallelism.checkEvery() > 0
                        && step % parallelism.checkEvery() == 0))) {
                    requireSameReplicas(group, model, step);
                }
                if (reporting) {
                    // Rank 0 validates; every rank takes its number, so all stop early alike.
                    double metric = !validates ? Double.NaN
                            : group.broadcast(lead ? validate(task) : Double.NaN, 0);
                    double seconds = (System.nanoTime() - intervalStart) / 1e9;
                    history.add(new Report(step, lossSum / lossCount, lr, metric, seconds,
                            lossCount * (double) recipe.batchSize() / seconds));
                    lossSum = 0;
                    lossCount = 0;
                    intervalStart = System.nanoTime();
                    if (validates) {
                        stopped = stopping.record(step, metric, model);
                        if (bar != null) {
                            bar.note(String.format(Locale.ROOT, "%s %.2f %% (best %.2f %% at update %d)", task.metric(),
                                    100 * metric, 100 * stopping.best(), stopping.bestStep()));
                        }
                    }
                }
                if (bar != null) {   // after the validation, so the line carries its result
                    bar.update(step, value);
                }
                boolean snapshot = snapshots.containsKey(step);
                boolean periodic = checkpoint != null && checkpointEvery > 0 && step % checkpointEvery == 0 && !last
                        && !stopped;
                if (lead && (snapshot || periodic)) {
                    Checkpoint.Progress state = new Checkpoint.Progress(step, total, masks.counter(), noise.counter(),
                            lossSum, lossCount, stopping, stopped, history);
                    try (MemoryScope saving = MemoryScope.open()) {
                        if (snapshot) {
                            Checkpoint.write(snapshots.get(step), task.model(), task.modelConfig(), recipeRecord,
                                    optimizer, state, stopping.bestWeights(), run);
                        }
                        if (periodic) {
                            save(task, optimizer, state, stopping);
                            saved = step;
                        }
                    }
                }
            }
        }
        // Only a run cut short by stopAfter ends unreported; every other end reported its last update.
        boolean interrupted = !stopped && step < total;
        if (bar != null) {
            bar.finish(step, lastLoss);
        }
        if (lead && profiled > 0) {
            System.err.printf("%s: backend ops of updates %d to %d (-Dmp3.profile=true; validation not counted),"
                    + " %.4f s per update as profiled:%n", label, step - profiled + 1, step, profiledNanos / 1e9 / profiled);
            OpProfile.print(System.err, profiledNanos, (int) profiled);
        }
        Checkpoint.Progress end = new Checkpoint.Progress(step, total, masks.counter(), noise.counter(), lossSum,
                lossCount, stopping, stopped, history);
        if (lead && checkpoint != null && (step != saved || !Files.exists(checkpoint))) {
            save(task, optimizer, end, stopping);
        }
        if (!interrupted) {
            for (Map.Entry<Long, Path> s : lead ? snapshots.tailMap(step, false).entrySet()
                    : Map.<Long, Path>of().entrySet()) {
                Checkpoint.write(s.getValue(), task.model(), task.modelConfig(), recipeRecord, optimizer, end,
                        stopping.bestWeights(), run);
            }
            stopping.restoreBest(model);
        }
        model.eval();
        DataParallel.Stats parallelStats = null;
        if (parallel != null) {
            parallelStats = parallel.stats();
            optimizer.setGradientHook(GradientHook.NONE);
            parallel.close();
        }
        return new Result(List.copyOf(history), lastLoss, stopping.best(), stopping.bestStep(), step, stopped,
                timed == 0 ? Double.NaN : stepSeconds / timed, timed == 0 ? Double.NaN : batchSeconds / timed,
                timed == 0 ? Double.NaN : waitSeconds / timed, parallelStats);
    }

    /**
     * Fails the run when the ranks' parameters are no longer bit-identical: replicas that drift
     * apart (a non-deterministic kernel, a rank that skipped an update) would silently train
     * different models. Compares one 64-bit fingerprint of every parameter's bits.
     */
    static void requireSameReplicas(Collective group, Module model, long step) {
        long fingerprint = fingerprint(model);
        long[] range = group.minMax(fingerprint);
        if (range[0] != range[1]) {
            throw new IllegalStateException(String.format("data parallel: after update %d the parameters of rank %d"
                    + " (fingerprint %016x) differ from another rank's (fingerprints range %016x to %016x); the"
                    + " replicas no longer train one model", step, group.rank(), fingerprint, range[0], range[1]));
        }
    }

    /** A 64-bit hash of the bits of every parameter, in the model's order. */
    static long fingerprint(Module model) {
        long h = 0xcbf29ce484222325L;
        for (Parameter p : model.namedParameters().values()) {
            for (float f : p.value().toFloatArray()) {
                h = (h ^ Float.floatToRawIntBits(f)) * 0x100000001b3L;
            }
        }
        return h;
    }

    /** The run's checkpoint, the one it replaces kept as previous (both removed by the first of a run started over). */
    private void save(Task<?> task, Optimizer optimizer, Checkpoint.Progress state, EarlyStopping stopping)
            throws IOException {
        Checkpoint.save(checkpoint, !startOver, task, recipeRecord, optimizer, state, stopping.bestWeights(), run);
        startOver = false;
    }

    /**
     * The task's validation metric in eval mode; training mode (and its noise stream) is restored after.
     * Its device memory is released when it returns (the evaluation loops also release each batch's).
     */
    private static double validate(Task<?> task) {
        task.model().eval();
        double metric;
        OpProfile.pause();
        try (MemoryScope validation = MemoryScope.open()) {
            metric = task.validate();
        } finally {
            OpProfile.resume();
        }
        task.model().train();
        return metric;
    }
}

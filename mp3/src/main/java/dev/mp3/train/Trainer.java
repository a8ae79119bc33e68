package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.data.Augment;
import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Adam;
import dev.mp3.nn.Context;
import dev.mp3.nn.Losses;
import dev.mp3.nn.LrSchedule;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.ProgressBar;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop shared by MP3 pretraining, finetuning and the supervised baseline: batches in a
 * seeded order, the loss of the configured task, backward, AdamW with warmup and cosine decay, a
 * progress bar, per-epoch history, and checkpoints that let a killed run resume bit-exactly.
 *
 * <p>Every random choice comes from the run's seed: the batch order and augmentation from
 * {@link Batches} (a pure function of seed, epoch and step), MP3's contexts and dropout masks from
 * two {@link Rng} streams whose counters the checkpoint stores.
 */
public final class Trainer {
    private static final long MASK_STREAM = 0x4d41534bL;   // "MASK"
    private static final long NOISE_STREAM = 0x4e4f4953L;  // "NOIS"

    /** Called after each epoch with the model in eval mode; returns a metric to record (e.g. test accuracy), or NaN. */
    @FunctionalInterface
    public interface EpochEval {
        double evaluate(VisionTransformer model, int epoch);
    }

    /** One line of the history: the epoch's mean training loss, the learning rate at its end, the metric. */
    public record EpochRecord(int epoch, long step, double trainLoss, double lr, double metric, double seconds,
                              double imagesPerSecond) {}

    public record Result(List<EpochRecord> history, double finalLoss, double meanStepSeconds) {}

    private final VisionTransformer model;
    private final TrainConfig config;
    private final ImageDataset data;
    private final Device device;
    private Path checkpoint;
    private int checkpointEverySteps;
    private EpochEval eval;
    private boolean progress = true;
    private String label;

    public Trainer(VisionTransformer model, TrainConfig config, ImageDataset data, Device device) {
        if (config.task() == TrainConfig.Task.PRETRAIN && model.positionHead == null) {
            throw new IllegalArgumentException("pretraining needs a model with a position head (ViTConfig.forPretraining())");
        }
        if (config.task() == TrainConfig.Task.CLASSIFY && model.head == null) {
            throw new IllegalArgumentException("classification needs a model with a classifier head");
        }
        if (config.task() == TrainConfig.Task.CLASSIFY && data.numClasses() != model.config.numClasses()) {
            throw new IllegalArgumentException("dataset " + data.name() + " has " + data.numClasses()
                    + " classes but the model's head has " + model.config.numClasses());
        }
        this.model = model;
        this.config = config;
        this.data = data;
        this.device = device;
        this.label = config.task() == TrainConfig.Task.PRETRAIN ? "pretrain" : "train";
    }

    /** Writes a checkpoint to {@code path} every {@code everySteps} updates (0: only at the end). */
    public Trainer checkpointTo(Path path, int everySteps) {
        this.checkpoint = path;
        this.checkpointEverySteps = everySteps;
        return this;
    }

    public Trainer evaluateEachEpoch(EpochEval e) {
        this.eval = e;
        return this;
    }

    public Trainer quiet() {
        this.progress = false;
        return this;
    }

    public Trainer label(String l) {
        this.label = l;
        return this;
    }

    /** Trains from the model's current weights (fresh or pretrained). */
    public Result run() throws IOException {
        return run(null, Long.MAX_VALUE);
    }

    /**
     * Trains, continuing from {@code resume} when it is not null (weights, optimizer state, step and
     * random streams), and stops early after update {@code stopAfter} (for tests of resuming).
     */
    public Result run(Checkpoint resume, long stopAfter) throws IOException {
        Augment augment = config.augment() ? Augment.cropAndFlip(data.height()) : Augment.NONE;
        Batches batches = Batches.training(data, config.batchSize(), augment, config.seed());
        int perEpoch = batches.stepsPerEpoch();
        long total = (long) config.epochs() * perEpoch;
        long warmup = Math.round(config.warmupEpochs() * perEpoch);
        LrSchedule schedule = LrSchedule.warmupCosine(config.lr(), warmup, total, config.minLr());
        Adam optimizer = new Adam(model.namedParameters(), Adam.Config.adamW(config.weightDecay())
                .withClipping(config.clipNorm()));

        long step = 0;
        long maskCounter = 0;
        long noiseCounter = 0;
        if (resume != null) {
            model.loadStateDict(resume.modelState(), true);
            optimizer.loadStateDict(resume.optimizerState());
            step = resume.step();
            maskCounter = resume.maskCounter();
            noiseCounter = resume.noiseCounter();
        }
        Rng maskRng = new Rng(config.seed() ^ MASK_STREAM, maskCounter);
        Rng noiseRng = new Rng(config.seed() ^ NOISE_STREAM, noiseCounter);
        model.train(noiseRng);

        int n = model.config.numPatches();
        Tensor positionTargets = null;
        ProgressBar bar = progress ? ProgressBar.console(label, total, config.batchSize(), "img") : null;
        if (bar != null) {
            bar.start(step);
        }
        List<EpochRecord> history = new ArrayList<>();
        double epochLoss = 0;
        int epochSteps = 0;
        double lastLoss = Double.NaN;
        long epochStart = System.nanoTime();
        double stepSeconds = 0;
        long timedSteps = 0;

        while (step < total && step < stopAfter) {
            int epoch = (int) (step / perEpoch);
            Batch batch = batches.batch(epoch, (int) (step % perEpoch));
            long t0 = System.nanoTime();
            Tensor images = batch.images().to(device);
            Var loss;
            if (config.task() == TrainConfig.Task.PRETRAIN) {
                Context context = ContextMasking.sample(maskRng, batch.size(), n, config.eta(), device);
                Var logits = model.predictPositions(images, context);
                if (positionTargets == null) {
                    positionTargets = Losses.positionTargets(batch.size(), n, device);
                }
                loss = Losses.crossEntropy(logits, positionTargets, 0f);
            } else {
                loss = Losses.crossEntropy(model.classify(images), batch.labels().to(device), config.labelSmoothing());
            }
            double lr = schedule.at(step);
            double value = loss.item();
            if (!Double.isFinite(value)) {
                throw new IllegalStateException(String.format("%s: the loss became %s at update %d (epoch %d, learning"
                        + " rate %.3g); lower the learning rate (--lr)", label, value, step, epoch + 1, lr));
            }
            loss.backward();
            optimizer.step((float) lr);
            optimizer.zeroGrad();
            stepSeconds += (System.nanoTime() - t0) / 1e9;
            timedSteps++;
            lastLoss = value;
            epochLoss += value;
            epochSteps++;
            step++;
            if (bar != null) {
                bar.update(step, value);
            }
            if (checkpoint != null && checkpointEverySteps > 0 && step % checkpointEverySteps == 0 && step < total) {
                Checkpoint.save(checkpoint, model, config, optimizer, step, maskRng.counter(), noiseRng.counter());
            }
            if (step % perEpoch == 0) {
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                double metric = Double.NaN;
                if (eval != null) {
                    model.eval();
                    metric = eval.evaluate(model, epoch + 1);
                    model.train();
                }
                history.add(new EpochRecord(epoch + 1, step, epochLoss / epochSteps, lr, metric, seconds,
                        epochSteps * (double) config.batchSize() / seconds));
                epochLoss = 0;
                epochSteps = 0;
                epochStart = System.nanoTime();
            }
        }
        if (bar != null) {
            bar.finish(step, lastLoss);
        }
        if (checkpoint != null) {
            Checkpoint.save(checkpoint, model, config, optimizer, step, maskRng.counter(), noiseRng.counter());
        }
        model.eval();
        return new Result(history, lastLoss, timedSteps == 0 ? Double.NaN : stepSeconds / timedSteps);
    }
}

package dev.mp3.train;

import dev.mp3.data.Augmentation;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Adam;
import dev.mp3.nn.LrSchedule;
import dev.mp3.nn.Optimizer;
import dev.mp3.nn.Parameter;
import dev.mp3.tensor.Require;

import java.util.Map;

/**
 * One image training run's recipe. The same record describes MP3 pretraining (task PRETRAIN:
 * position loss, masking ratio eta, labels unused) and classification (task CLASSIFY: finetuning
 * from a pretrained encoder, or the supervised baseline from scratch). AdamW with linear warm-up
 * and cosine decay, counted in epochs; no validation while training. {@link NamedRecipe} holds the
 * paper's settings (Table 1, Section 4.1) and this project's small ones.
 *
 * <p>The learning rate is scaled by the batch size as DeiT does: {@code lr} is the rate for 512
 * images per batch, and a run with batch B peaks at {@link #peakLr()} = lr x B / 512.
 *
 * @param task           what the loss is
 * @param epochs         passes over the training set (with repeated augmentation, an epoch is still
 *                       as many images as the set holds)
 * @param batchSize      examples per update
 * @param lr             base learning rate, for a batch of 512 (DeiT's {@code --lr}); scaled to the batch
 * @param minLr          learning rate at the end of the cosine decay (not scaled)
 * @param warmupEpochs   linear warmup length, in epochs (may be fractional)
 * @param weightDecay    AdamW's decoupled weight decay (not applied to biases, norms, tokens, tables)
 * @param clipNorm       clip the global gradient norm to this; 0 = off
 * @param labelSmoothing classification only (timm {@code --smoothing}); applies to Mixup's mixed targets too
 * @param eta            pretraining only: the masking ratio; M = N - floor(eta N) context tokens
 * @param augment        what is done to the training images ({@link Augmentation})
 * @param patience       classification with a validation set only: stop after this many epochs without a
 *                       better validation accuracy, keeping the best epoch's weights; 0 = train every epoch
 * @param seed           every random choice of the run (init, order, augmentation, masks, dropout) derives from it
 */
public record ImageRecipe(Task task, int epochs, int batchSize, float lr, float minLr, float warmupEpochs,
                          float weightDecay, float clipNorm, float labelSmoothing, float eta, Augmentation augment,
                          int patience, long seed) implements Recipe {

    public enum Task { PRETRAIN, CLASSIFY }

    /** The batch size DeiT's learning rates are given for. */
    public static final int LR_BATCH = 512;

    public ImageRecipe {
        Require.that(epochs > 0 && batchSize > 0, "train config: epochs and batch size must be positive");
        Require.that(lr > 0 && minLr >= 0, () -> "train config: need lr > 0 and min lr >= 0, got lr " + lr + ", min lr "
                + minLr);
        Require.that(warmupEpochs >= 0 && warmupEpochs < epochs, () -> "train config: warmup of " + warmupEpochs
                + " epochs must be shorter than the " + epochs + " epochs of training");
        Require.that(weightDecay >= 0 && clipNorm >= 0, "train config: weight decay and clip norm must be >= 0");
        Require.that(labelSmoothing >= 0 && labelSmoothing < 1, () -> "train config: label smoothing " + labelSmoothing
                + " must lie in [0, 1)");
        Require.that(eta >= 0 && eta < 1, () -> "train config: masking ratio eta " + eta + " must lie in [0, 1)");
        Require.that(patience >= 0, () -> "train config: patience " + patience + " must be >= 0 (0 = no early stopping)");
        Require.that(task == Task.CLASSIFY || !augment.mixes(), "train config: Mixup and CutMix need labels;"
                + " pretraining does not mix images (set --mixup 0 --cutmix 0)");
        Require.that(!augment.mixes() || batchSize % 2 == 0, () -> "train config: Mixup and CutMix pair each image with"
                + " another, so the batch size must be even, got " + batchSize);
        Require.that(minLr <= lr * batchSize / (float) LR_BATCH, () -> "train config: min lr " + minLr
                + " is above the peak learning rate " + lr * batchSize / (float) LR_BATCH + " (lr " + lr
                + " x batch " + batchSize + " / " + LR_BATCH + ")");
    }

    /** The learning rate after warm-up: {@code lr x batch / 512}. */
    public float peakLr() {
        return lr * batchSize / (float) LR_BATCH;
    }

    @Override
    public long updates(int stepsPerEpoch) {
        return (long) epochs * stepsPerEpoch;
    }

    @Override
    public LrSchedule schedule(int stepsPerEpoch) {
        return LrSchedule.warmupCosine(peakLr(), Math.round(warmupEpochs * stepsPerEpoch), updates(stepsPerEpoch),
                minLr);
    }

    @Override
    public Optimizer newOptimizer(Map<String, Parameter> params) {
        return new Adam(params, Adam.Config.adamW(weightDecay).withClipping(clipNorm));
    }

    /** One row of history per epoch. */
    @Override
    public long reportEvery(int stepsPerEpoch) {
        return stepsPerEpoch;
    }


    /** The training batches of {@code data}: shuffled per epoch from the seed, augmented as {@link #augment} says. */
    public Batches batches(ImageDataset data) {
        return Batches.training(data, batchSize, augment, seed);
    }

    /**
     * MP3 pretraining defaults for small CPU runs: AdamW with weight decay 0.05 as DeiT, peak
     * learning rate 1e-3 at batch 128, a tenth of the run (at most one epoch) of warm-up, no
     * augmentation.
     */
    public static ImageRecipe pretrain(int epochs, float eta) {
        return new ImageRecipe(Task.PRETRAIN, epochs, 128, 4e-3f, 1e-5f, Math.min(1f, epochs / 10f), 0.05f, 1f,
                0f, eta, Augmentation.NONE, 0, 0);
    }

    /** Finetuning / supervised defaults for small CPU runs: label smoothing 0.1, pad-and-crop and flip. */
    public static ImageRecipe classify(int epochs) {
        return new ImageRecipe(Task.CLASSIFY, epochs, 128, 4e-3f, 1e-5f, Math.min(1f, epochs / 10f), 0.05f, 1f,
                0.1f, 0f, Augmentation.padCropFlip(), 0, 0);
    }

    /** Another run length; the warm-up stays as it is unless it would not fit (then half the run). */
    public ImageRecipe withEpochs(int e) {
        return new ImageRecipe(task, e, batchSize, lr, minLr, Math.min(warmupEpochs, e / 2f), weightDecay, clipNorm,
                labelSmoothing, eta, augment, patience, seed);
    }

    public ImageRecipe withBatchSize(int b) {
        return new ImageRecipe(task, epochs, b, lr, minLr, warmupEpochs, weightDecay, clipNorm, labelSmoothing, eta,
                augment, patience, seed);
    }

    /** The base rate (per 512 images) and the final rate of the decay. */
    public ImageRecipe withLr(float base, float min) {
        return new ImageRecipe(task, epochs, batchSize, base, min, warmupEpochs, weightDecay, clipNorm, labelSmoothing,
                eta, augment, patience, seed);
    }

    /** The base rate that gives {@code peak} at this batch size. */
    public ImageRecipe withPeakLr(float peak) {
        return withPeakLr(peak, minLr);
    }

    /** The base rate that gives {@code peak} at this batch size, and the final rate {@code min}. */
    public ImageRecipe withPeakLr(float peak, float min) {
        return withLr(peak * LR_BATCH / batchSize, min);
    }

    public ImageRecipe withWarmup(float epochsOfWarmup) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, epochsOfWarmup, weightDecay, clipNorm,
                labelSmoothing, eta, augment, patience, seed);
    }

    public ImageRecipe withWeightDecay(float wd) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, wd, clipNorm, labelSmoothing, eta,
                augment, patience, seed);
    }

    public ImageRecipe withClipNorm(float clip) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clip, labelSmoothing,
                eta, augment, patience, seed);
    }

    public ImageRecipe withEta(float maskingRatio) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm, labelSmoothing,
                maskingRatio, augment, patience, seed);
    }

    public ImageRecipe withAugment(Augmentation a) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm, labelSmoothing,
                eta, a, patience, seed);
    }

    public ImageRecipe withLabelSmoothing(float s) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm, s, eta,
                augment, patience, seed);
    }

    /** Early stopping after {@code epochs} epochs without a better validation accuracy (0: off). */
    public ImageRecipe withPatience(int epochs) {
        return new ImageRecipe(task, this.epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm,
                labelSmoothing, eta, augment, epochs, seed);
    }

    public ImageRecipe withSeed(long s) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm, labelSmoothing,
                eta, augment, patience, s);
    }
}

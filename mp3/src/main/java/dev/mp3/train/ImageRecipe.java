package dev.mp3.train;

import dev.mp3.data.Augment;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Adam;
import dev.mp3.nn.LrSchedule;
import dev.mp3.tensor.Require;

/**
 * One image training run's recipe. The same record describes MP3 pretraining (task PRETRAIN:
 * position loss, masking ratio eta, labels unused) and classification (task CLASSIFY: finetuning
 * from a pretrained encoder, or the supervised baseline from scratch, with label smoothing). AdamW
 * with linear warm-up and cosine decay, counted in epochs; no validation while training.
 *
 * @param task           what the loss is
 * @param epochs         passes over the training set
 * @param batchSize      examples per update
 * @param lr             peak learning rate after warmup
 * @param minLr          learning rate at the end of the cosine decay
 * @param warmupEpochs   linear warmup length, in epochs (may be fractional)
 * @param weightDecay    AdamW's decoupled weight decay (not applied to biases, norms, tokens, tables)
 * @param clipNorm       clip the global gradient norm to this; 0 = off
 * @param labelSmoothing classification only
 * @param eta            pretraining only: the masking ratio; M = N - floor(eta N) context tokens
 * @param augment        random crop with padding and horizontal flip
 * @param seed           every random choice of the run (init, order, augmentation, masks, dropout) derives from it
 */
public record ImageRecipe(Task task, int epochs, int batchSize, float lr, float minLr, float warmupEpochs,
                          float weightDecay, float clipNorm, float labelSmoothing, float eta, boolean augment,
                          long seed) implements Recipe {

    public enum Task { PRETRAIN, CLASSIFY }

    public ImageRecipe {
        Require.that(epochs > 0 && batchSize > 0, "train config: epochs and batch size must be positive");
        Require.that(lr > 0 && minLr >= 0 && minLr <= lr, "train config: need lr > 0 and 0 <= min lr <= lr, got lr "
                + lr + ", min lr " + minLr);
        Require.that(warmupEpochs >= 0 && warmupEpochs < epochs, "train config: warmup of " + warmupEpochs
                + " epochs must be shorter than the " + epochs + " epochs of training");
        Require.that(weightDecay >= 0 && clipNorm >= 0, "train config: weight decay and clip norm must be >= 0");
        Require.that(labelSmoothing >= 0 && labelSmoothing < 1, "train config: label smoothing " + labelSmoothing
                + " must lie in [0, 1)");
        Require.that(eta >= 0 && eta < 1, "train config: masking ratio eta " + eta + " must lie in [0, 1)");
    }

    @Override
    public long updates(int stepsPerEpoch) {
        return (long) epochs * stepsPerEpoch;
    }

    @Override
    public LrSchedule schedule(int stepsPerEpoch) {
        return LrSchedule.warmupCosine(lr, Math.round(warmupEpochs * stepsPerEpoch), updates(stepsPerEpoch), minLr);
    }

    @Override
    public Adam.Config optimizer() {
        return Adam.Config.adamW(weightDecay).withClipping(clipNorm);
    }

    /** One row of history per epoch. */
    @Override
    public long reportEvery(int stepsPerEpoch) {
        return stepsPerEpoch;
    }

    /** Image runs do not validate while training, so they never stop early. */
    @Override
    public int patience() {
        return 0;
    }

    /** The training batches of {@code data}: shuffled per epoch from the seed, cropped and flipped when {@code augment}. */
    public Batches batches(ImageDataset data) {
        return Batches.training(data, batchSize, augment ? Augment.cropAndFlip(data.height()) : Augment.NONE, seed);
    }

    /** MP3 pretraining defaults for small CPU runs (AdamW, weight decay 0.05, as DeiT/the paper). */
    public static ImageRecipe pretrain(int epochs, float eta) {
        return new ImageRecipe(Task.PRETRAIN, epochs, 128, 1e-3f, 1e-5f, Math.min(1f, epochs / 10f), 0.05f, 1f,
                0f, eta, false, 0);
    }

    /** Finetuning / supervised defaults: label smoothing 0.1, crop and flip. */
    public static ImageRecipe classify(int epochs) {
        return new ImageRecipe(Task.CLASSIFY, epochs, 128, 1e-3f, 1e-5f, Math.min(1f, epochs / 10f), 0.05f, 1f,
                0.1f, 0f, true, 0);
    }

    public ImageRecipe withEpochs(int e) {
        return new ImageRecipe(task, e, batchSize, lr, minLr, Math.min(warmupEpochs, e / 2f), weightDecay, clipNorm,
                labelSmoothing, eta, augment, seed);
    }

    public ImageRecipe withBatchSize(int b) {
        return new ImageRecipe(task, epochs, b, lr, minLr, warmupEpochs, weightDecay, clipNorm, labelSmoothing, eta,
                augment, seed);
    }

    public ImageRecipe withLr(float peak, float min) {
        return new ImageRecipe(task, epochs, batchSize, peak, min, warmupEpochs, weightDecay, clipNorm, labelSmoothing,
                eta, augment, seed);
    }

    public ImageRecipe withWarmup(float epochsOfWarmup) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, epochsOfWarmup, weightDecay, clipNorm,
                labelSmoothing, eta, augment, seed);
    }

    public ImageRecipe withWeightDecay(float wd) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, wd, clipNorm, labelSmoothing, eta,
                augment, seed);
    }

    public ImageRecipe withEta(float maskingRatio) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm, labelSmoothing,
                maskingRatio, augment, seed);
    }

    public ImageRecipe withAugment(boolean on) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm, labelSmoothing,
                eta, on, seed);
    }

    public ImageRecipe withLabelSmoothing(float s) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm, s, eta,
                augment, seed);
    }

    public ImageRecipe withSeed(long s) {
        return new ImageRecipe(task, epochs, batchSize, lr, minLr, warmupEpochs, weightDecay, clipNorm, labelSmoothing,
                eta, augment, s);
    }
}

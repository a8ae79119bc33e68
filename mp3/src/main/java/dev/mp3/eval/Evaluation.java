package dev.mp3.eval;

import dev.mp3.autograd.Grad;
import dev.mp3.autograd.Var;
import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.method.PositionMask;
import dev.mp3.nn.Module;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.TcResNet8;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.ProgressBar;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Tensor;

import java.util.List;

/**
 * Held-out classification accuracy, in eval mode (no dropout) and without gradients: the same
 * loop for images and for keywords, batch by batch in dataset order, counting the examples whose
 * argmax logit is their label. (MP3's position accuracy is in {@code dev.mp3.method.PositionAccuracy}.)
 */
public final class Evaluation {
    /** Examples per forward pass when evaluating (no gradients, so memory stays small). */
    public static final int BATCH = 256;

    private Evaluation() {}

    /** Top-1 accuracy of the ViT's classifier on a dataset. */
    public static double accuracy(VisionTransformer model, ImageDataset data, int batchSize, Device device) {
        model.eval();
        Batches batches = Batches.evaluation(data, batchSize);
        ProgressBar bar = ProgressBar.console("test", batches.stepsPerEpoch(), batchSize, "images");
        long correct = 0;
        int done = 0;
        try (var off = Grad.disabled()) {
            for (Batch b : batches.epoch(0)) {
                try (MemoryScope batchMemory = MemoryScope.open()) {
                    correct += correct(model.classify(b.images().to(device)), b.labels());
                }
                bar.update(++done, Double.NaN);
            }
        }
        bar.finish(done, Double.NaN);
        return (double) correct / data.size();
    }

    /**
     * Top-1 keyword accuracy; {@code positionFraction} of each clip's frames get the position
     * embedding as in training (1: every frame), clip i's frames drawn from stream (seed, i).
     */
    public static double accuracy(SpeechTransformer model, SpeechSplit split, float positionFraction, int batchSize,
                                  long seed, Device device) {
        return accuracy(split, predictions(model, split, positionFraction, batchSize, seed, device));
    }

    /** The predicted class of every clip of {@code split}, in its order (as {@link #accuracy} counts them). */
    public static int[] predictions(SpeechTransformer model, SpeechSplit split, float positionFraction, int batchSize,
                                    long seed, Device device) {
        return predictions(split, batchSize, (indices, features) -> model.classify(features.to(device),
                PositionMask.forClips(seed, indices, model.config.frames(), positionFraction)), model);
    }

    /** Top-1 keyword accuracy of TC-ResNet8 (running batch-norm statistics, no dropout). */
    public static double accuracy(TcResNet8 model, SpeechSplit split, int batchSize, Device device) {
        return accuracy(split, predictions(model, split, batchSize, device));
    }

    /** The predicted class of every clip of {@code split}, in its order. */
    public static int[] predictions(TcResNet8 model, SpeechSplit split, int batchSize, Device device) {
        return predictions(split, batchSize,
                (indices, features) -> model.forward(Var.constant(channelsFirst(features).to(device))), model);
    }

    /** MFCCs [B, frames, coefficients] as a convolution's input [B, coefficients, frames]. */
    public static Tensor channelsFirst(Tensor features) {
        return features.transpose(1, 2).contiguous();
    }

    /** Share of the clips whose prediction is their label. */
    public static double accuracy(SpeechSplit split, int[] predicted) {
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == split.label(i) ? 1 : 0;
        }
        return (double) correct / split.size();
    }

    /** A speech model's logits [B, classes] for the clips {@code indices} with MFCCs {@code features}. */
    private interface Logits {
        Var of(int[] indices, Tensor features);
    }

    private static int[] predictions(SpeechSplit split, int batchSize, Logits logits, Module model) {
        requireEvaluationSplit(split);
        model.eval();
        List<int[]> batches = split.epoch(batchSize, null);
        ProgressBar bar = ProgressBar.console("test", batches.size(), batchSize, "clips");
        int[] predicted = new int[split.size()];
        int done = 0;
        try (var off = Grad.disabled()) {
            for (int[] indices : batches) {
                SpeechBatch b = split.batch(indices, null);
                int[] argmax;
                try (MemoryScope batchMemory = MemoryScope.open()) {
                    argmax = logits.of(indices, b.features()).value().argmax(-1).toIntArray();
                }
                for (int i = 0; i < indices.length; i++) {
                    predicted[indices[i]] = argmax[i];
                }
                bar.update(++done, Double.NaN);
            }
        }
        bar.finish(done, Double.NaN);
        return predicted;
    }

    private static long correct(Var logits, Tensor labels) {
        int[] predicted = logits.value().argmax(-1).toIntArray();
        int[] truth = labels.toIntArray();
        long n = 0;
        for (int i = 0; i < predicted.length; i++) {
            n += predicted[i] == truth[i] ? 1 : 0;
        }
        return n;
    }

    /**
     * Whether {@code target} is among the k best of {@code count} scores starting at
     * {@code offset}: fewer than k scores beat it, where a score beats the target's when it is
     * larger, or equal and earlier (so top-1 agrees with argmax, which takes the first maximum).
     */
    public static boolean inTopK(float[] scores, int offset, int count, int target, int k) {
        float s = scores[offset + target];
        int better = 0;
        for (int j = 0; j < count; j++) {
            float v = scores[offset + j];
            if (v > s || (v == s && j < target)) {
                better++;
                if (better >= k) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Evaluation reads clean clips; the training split augments at random and is refused. */
    public static void requireEvaluationSplit(SpeechSplit split) {
        if (split.augmented()) {
            throw new IllegalArgumentException("speech evaluation: the " + split.split() + " split is augmented "
                    + "at random; evaluate on the validation or test split");
        }
    }
}

package dev.mp3.speech.train;

import dev.mp3.autograd.Grad;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

/**
 * Held-out metrics of the speech model, in eval mode (no dropout) without gradients: keyword
 * accuracy, and MP3's position accuracy over frames, top-1 and top-5 (the paper reports 4% and 11%
 * on Speech Commands). Position masks come from a generator seeded here, so an evaluation gives the
 * same number every time it runs on the same weights.
 */
public final class SpeechEvaluation {
    private SpeechEvaluation() {}

    /**
     * Position accuracy over every frame of every clip ({@code top1}, {@code top5}), and over the
     * frames that were given no position embedding ({@code top1WithoutPosition} ...), the harder
     * and more telling number: a frame that carries its sinusoid can be read off directly.
     */
    public record PositionAccuracy(double top1, double top5, double top1WithoutPosition, double top5WithoutPosition,
                                   long frames, long framesWithoutPosition) {}

    /** Top-1 keyword accuracy; {@code positionFraction} as in training (1: every frame gets its position). */
    public static double accuracy(SpeechTransformer model, SpeechSplit split, float positionFraction, int batchSize,
                                  long seed, Device device) {
        requireEvaluationSplit(split);
        model.eval();
        int frames = model.config.frames();
        long correct = 0;
        try (var off = Grad.disabled()) {
            for (int[] indices : split.epoch(batchSize, null)) {
                SpeechBatch b = split.batch(indices, null);
                Tensor mask = masks(seed, indices, frames, positionFraction);
                int[] predicted = model.classify(b.features().to(device), mask).value().argmax(-1).toIntArray();
                int[] labels = b.labels().toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
            }
        }
        return (double) correct / split.size();
    }

    /** MP3's position accuracy with {@code positionFraction} of each clip's frames given their position. */
    public static PositionAccuracy positionAccuracy(SpeechTransformer model, SpeechSplit split, float positionFraction,
                                                    int batchSize, long seed, Device device) {
        requireEvaluationSplit(split);
        model.eval();
        int t = model.config.frames();
        long top1 = 0;
        long top5 = 0;
        long plainTop1 = 0;
        long plainTop5 = 0;
        long frames = 0;
        long plain = 0;
        try (var off = Grad.disabled()) {
            for (int[] indices : split.epoch(batchSize, null)) {
                SpeechBatch b = split.batch(indices, null);
                Tensor mask = masks(seed, indices, t, positionFraction);
                float[] logits = model.predictPositions(b.features().to(device), mask).value().toFloatArray();
                float[] given = mask == null ? null : mask.toFloatArray();
                for (int row = 0; row < indices.length * t; row++) {
                    int target = row % t;
                    boolean hit1 = inTopK(logits, row * t, t, target, 1);
                    boolean hit5 = inTopK(logits, row * t, t, target, 5);
                    top1 += hit1 ? 1 : 0;
                    top5 += hit5 ? 1 : 0;
                    frames++;
                    if (given != null && given[row] == 0f) {
                        plainTop1 += hit1 ? 1 : 0;
                        plainTop5 += hit5 ? 1 : 0;
                        plain++;
                    }
                }
            }
        }
        return new PositionAccuracy((double) top1 / frames, (double) top5 / frames,
                plain == 0 ? Double.NaN : (double) plainTop1 / plain, plain == 0 ? Double.NaN : (double) plainTop5 / plain,
                frames, plain);
    }

    /** The masks of the clips at {@code indices}, clip i's from stream (seed, i); null when every frame has its position. */
    static Tensor masks(long seed, int[] indices, int frames, float fraction) {
        if (PositionMask.count(frames, fraction) == frames) {
            return null;
        }
        float[] out = new float[indices.length * frames];
        for (int b = 0; b < indices.length; b++) {
            float[] row = PositionMask.sample(new Rng(seed, indices[b]), 1, frames, fraction).toFloatArray();
            System.arraycopy(row, 0, out, b * frames, frames);
        }
        return Tensor.of(out, indices.length, frames);
    }

    /**
     * Whether {@code target} is among the k best of {@code count} scores starting at
     * {@code offset}: fewer than k scores beat it, where a score beats the target's when it is
     * larger, or equal and earlier (so top-1 agrees with argmax, which takes the first maximum).
     */
    static boolean inTopK(float[] scores, int offset, int count, int target, int k) {
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

    private static void requireEvaluationSplit(SpeechSplit split) {
        if (split.augmented()) {
            throw new IllegalArgumentException("speech evaluation: the " + split.split() + " split is augmented "
                    + "at random; evaluate on the validation or test split");
        }
    }
}

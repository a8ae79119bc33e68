package dev.mp3.tensor.testing;

import java.util.SplittableRandom;

/**
 * Seeded random test inputs drawn with the JDK's generator, independent of the engine's own
 * {@link dev.mp3.tensor.Rng} (so a bug there cannot hide in the inputs of other tests).
 */
public final class TestData {
    private TestData() {}

    /** n standard-normal values times std, rounded to float. */
    public static float[] normal(long seed, int n, double std) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller keeps this independent of the JDK version's nextGaussian algorithm.
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            out[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return out;
    }

    /** n values uniform in [lo, hi), rounded to float. */
    public static float[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return out;
    }

    /** n ints uniform in [lo, hi). */
    public static int[] ints(long seed, int n, int lo, int hi) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(lo, hi);
        }
        return out;
    }

    /** n values with pairwise gaps of at least {@code gap} (a shuffled grid): no ties for max, argmax or sorting. */
    public static float[] distinct(long seed, int n, double gap) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((i - n / 2.0) * gap);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}

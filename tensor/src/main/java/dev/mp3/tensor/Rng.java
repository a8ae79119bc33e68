package dev.mp3.tensor;

/**
 * Seeded, counter-based random numbers. Each draw takes a fresh 64-bit key from (seed, counter);
 * element i of the drawn tensor is a pure function of (key, i). Results therefore do not depend on
 * thread count, chunking or backend, and the whole generator state is two longs, which a checkpoint
 * stores to resume a run exactly.
 */
public final class Rng {

    public enum Kind { UNIFORM, NORMAL }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;
    private long counter;

    public Rng(long seed) {
        this(seed, 0);
    }

    public Rng(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    public long seed() {
        return seed;
    }

    /** Number of keys drawn so far; with the seed, the complete state. */
    public long counter() {
        return counter;
    }

    /** A new independent generator derived from this one (for a data loader, say). */
    public Rng fork() {
        return new Rng(nextKey());
    }

    public long nextKey() {
        return mix(seed ^ mix(++counter * GOLDEN));
    }

    // ---------------------------------------------------------------- element functions

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits, element i of the stream {@code key}. */
    public static float uniformAt(long key, long i) {
        return (mix(key + (i + 1) * GOLDEN) >>> 40) * 0x1p-24f;
    }

    /** Standard normal by Box-Muller from uniforms 2i and 2i+1. */
    public static float normalAt(long key, long i) {
        double u1 = uniformAt(key, 2 * i);
        double u2 = uniformAt(key, 2 * i + 1);
        return (float) (Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2));
    }

    // ---------------------------------------------------------------- tensors

    public Tensor uniform(int... shape) {
        return uniform(Device.CPU, shape);
    }

    public Tensor uniform(Device device, int... shape) {
        return Tensor.random(device, Kind.UNIFORM, nextKey(), shape);
    }

    /**
     * Uniform in [lo, hi) (all lo when lo == hi). Scaling can round the largest draws up to hi itself (1 - 2^-24 maps to
     * 2 - 2^-24 in [1, 2), a tie that rounds to 2), so the result is clamped below hi.
     */
    public Tensor uniform(float lo, float hi, int... shape) {
        Require.that(lo <= hi, () -> "uniform: lo " + lo + " is above hi " + hi);
        return uniform(shape).affine(hi - lo, lo).clamp(lo, Math.max(lo, Math.nextDown(hi)));
    }

    /**
     * Inverted dropout's mask on a device: each element 1/(1-p) with probability 1 - p, else 0. The
     * draw takes one key, as {@link #uniform(Device, int...)} does, and keeps element i exactly when
     * the uniform draw i of that key is at least p, so the mask is the thresholded uniform tensor.
     */
    public Tensor dropoutMask(Device device, float p, int... shape) {
        return Tensor.dropoutMask(device, nextKey(), p, shape);
    }

    public Tensor normal(float mean, float std, int... shape) {
        return normal(Device.CPU, mean, std, shape);
    }

    public Tensor normal(Device device, float mean, float std, int... shape) {
        Tensor z = Tensor.random(device, Kind.NORMAL, nextKey(), shape);
        return mean == 0f && std == 1f ? z : z.affine(std, mean);
    }

    /**
     * Normal(mean, std) truncated to [lo, hi] (absolute bounds, as timm's trunc_normal_), by
     * per-element rejection: attempt t of element i uses stream mix(key + t).
     */
    public Tensor truncatedNormal(float mean, float std, float lo, float hi, int... shape) {
        Require.that(lo < hi, () -> "truncatedNormal: lo " + lo + " must be below hi " + hi);
        long key = nextKey();
        float[] out = new float[Shape.numel(shape)];
        for (int i = 0; i < out.length; i++) {
            float x = mean;
            for (int t = 0; t < 1000; t++) {
                x = mean + std * normalAt(mix(key + t), i);
                if (x >= lo && x <= hi) {
                    break;
                }
                x = Math.max(lo, Math.min(hi, x));
            }
            out[i] = x;
        }
        return Tensor.of(out, shape);
    }

    /** rows independent random permutations of 0..n-1, as an I32 tensor [rows, n] (Fisher-Yates). */
    public Tensor permutations(int rows, int n) {
        return Tensor.ofInts(permutationArray(rows, n), rows, n);
    }

    public int[] permutationArray(int rows, int n) {
        Require.that(rows >= 0 && n >= 0, () -> "permutations: rows " + rows + " and n " + n + " must not be negative");
        long key = nextKey();
        int[] out = new int[rows * n];
        for (int r = 0; r < rows; r++) {
            int base = r * n;
            for (int j = 0; j < n; j++) {
                out[base + j] = j;
            }
            for (int j = n - 1; j > 0; j--) {
                int k = (int) (uniformAt(key, (long) base + j) * (j + 1));
                int tmp = out[base + j];
                out[base + j] = out[base + k];
                out[base + k] = tmp;
            }
        }
        return out;
    }

    /** A uniform int in [0, bound), for host-side choices (shuffles, crops). */
    public int nextInt(int bound) {
        Require.that(bound > 0, () -> "nextInt: bound must be positive, got " + bound);
        return (int) ((mix(nextKey()) >>> 33) % bound);
    }
}

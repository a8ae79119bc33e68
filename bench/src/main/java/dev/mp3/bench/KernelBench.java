package dev.mp3.bench;

import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.cpu.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Memory-bound CPU kernels, ours (through the public Tensor/Backend API, Vector API, 2 threads)
 * against a plain scalar Java loop (one thread) computing the same function, each on about 4M
 * floats. Both sides allocate their outputs, as an op does. The implementation is the parameter
 * {@code variant}, which JMH varies fastest (it orders parameters by name), so each size runs ours
 * then the scalar loop back to back.
 *
 * <p>Bytes moved per call, for GB/s (see {@link BenchMain}): softmax, layer norm and GELU read and
 * write every element (8 bytes per float), add reads two and writes one (12).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KernelBench {
    /** Elements per call: 4M floats, 16 MB, well past the L2 caches and most of L3. */
    static final int ELEMENTS = 1 << 22;

    private static final float SQRT_HALF = 0.70710678118654752f;

    static float[] random(long seed, int size) {
        return MatMulBench.random(new SplittableRandom(seed), size);
    }

    /** Rows of a given length filling {@link #ELEMENTS}. */
    @State(Scope.Benchmark)
    public static class Rows {
        @Param({"49", "197", "1000"})
        public int softmaxRow;

        @Param({"ours", "scalar"})
        public String variant;

        int rows;
        Tensor x;
        float[] xs;

        @Setup
        public void setup() {
            Parallel.setThreads(MatMulBench.THREADS);
            rows = ELEMENTS / softmaxRow;
            xs = random(1, rows * softmaxRow);
            x = Tensor.of(xs.clone(), rows, softmaxRow);
        }
    }

    @State(Scope.Benchmark)
    public static class NormRows {
        @Param({"192", "384", "768"})
        public int normRow;

        @Param({"ours", "scalar"})
        public String variant;

        int rows;
        Tensor x;
        Tensor gamma;
        Tensor beta;
        float[] xs;
        float[] gs;
        float[] bs;

        @Setup
        public void setup() {
            Parallel.setThreads(MatMulBench.THREADS);
            rows = ELEMENTS / normRow;
            xs = random(2, rows * normRow);
            gs = random(3, normRow);
            bs = random(4, normRow);
            x = Tensor.of(xs.clone(), rows, normRow);
            gamma = Tensor.of(gs.clone(), normRow);
            beta = Tensor.of(bs.clone(), normRow);
        }
    }

    @State(Scope.Benchmark)
    public static class Flat {
        @Param({"ours", "scalar"})
        public String variant;

        Tensor x;
        Tensor y;
        float[] xs;
        float[] ys;

        @Setup
        public void setup() {
            Parallel.setThreads(MatMulBench.THREADS);
            xs = random(5, ELEMENTS);
            ys = random(6, ELEMENTS);
            x = Tensor.of(xs.clone(), ELEMENTS);
            y = Tensor.of(ys.clone(), ELEMENTS);
        }
    }

    // ---------------------------------------------------------------- softmax

    @Benchmark
    public Object softmax(Rows in) {
        return in.variant.equals("ours") ? in.x.softmax() : softmaxScalar(in.xs, in.rows, in.softmaxRow);
    }

    static float[] softmaxScalar(float[] x, int rows, int len) {
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int o = r * len;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                max = Math.max(max, x[o + j]);
            }
            float sum = 0f;
            for (int j = 0; j < len; j++) {
                float e = (float) Math.exp(x[o + j] - max);
                y[o + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < len; j++) {
                y[o + j] *= inv;
            }
        }
        return y;
    }

    // ---------------------------------------------------------------- layer norm

    @Benchmark
    public Object layerNorm(NormRows in) {
        if (in.variant.equals("ours")) {
            return in.x.layerNorm(in.gamma, in.beta, 1e-6f).y();
        }
        return layerNormScalar(in.xs, in.gs, in.bs, in.rows, in.normRow, 1e-6f);
    }

    /** Returns y; mean and rstd per row are stored too, as the op keeps them for its backward pass. */
    static float[][] layerNormScalar(float[] x, float[] gamma, float[] beta, int rows, int len, float eps) {
        float[] y = new float[x.length];
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        for (int r = 0; r < rows; r++) {
            int o = r * len;
            float sum = 0f;
            for (int j = 0; j < len; j++) {
                sum += x[o + j];
            }
            float mu = sum / len;
            float sq = 0f;
            for (int j = 0; j < len; j++) {
                float d = x[o + j] - mu;
                sq += d * d;
            }
            float rs = (float) (1.0 / Math.sqrt(sq / len + eps));
            for (int j = 0; j < len; j++) {
                y[o + j] = (x[o + j] - mu) * rs * gamma[j] + beta[j];
            }
            mean[r] = mu;
            rstd[r] = rs;
        }
        return new float[][] {y, mean, rstd};
    }

    // ---------------------------------------------------------------- elementwise

    @Benchmark
    public Object add(Flat in) {
        if (in.variant.equals("ours")) {
            return in.x.add(in.y);
        }
        float[] out = new float[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            out[i] = in.xs[i] + in.ys[i];
        }
        return out;
    }

    @Benchmark
    public Object gelu(Flat in) {
        if (in.variant.equals("ours")) {
            return in.x.gelu();
        }
        float[] out = new float[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            float v = in.xs[i];
            out[i] = 0.5f * v * (1f + erf(v * SQRT_HALF));
        }
        return out;
    }

    /** erf by Abramowitz and Stegun 7.1.26, the formula the CPU backend's GELU uses. */
    static float erf(float z) {
        float a = Math.abs(z);
        float t = 1f / (1f + 0.3275911f * a);
        float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
        return Math.copySign(1f - poly * (float) Math.exp(-a * a), z);
    }
}

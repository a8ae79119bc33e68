package dev.mp3.bench;

import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_MT_FDRM;
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
 * SGEMM throughput, ours ({@link GemmKernels#gemm}) against EJML's concurrent dense float product
 * ({@code CommonOps_MT_FDRM.mult / multTransA / multTransB}), both on 2 threads, both writing into
 * a preallocated C, and the Vector API multiply-add peak of the same 2 threads ({@link FmaPeak}).
 * The implementation is the parameter {@code variant}, which JMH varies fastest (it orders
 * parameters by name), so the three run back to back for each shape and their ratios are measured
 * under the same machine load.
 *
 * <p>A shape is {@code MxKxN}, optionally with {@code :tA} (A stored [K, M], the weight-gradient
 * product dY^T X) or {@code :tB} (B stored [N, K], a linear layer x W^T).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MatMulBench {
    static final int THREADS = 2;

    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "6400x192x576", "6400x192x768", "6400x768x192", "6400x192x192",
            "6400x192x576:tB", "576x6400x192", "576x6400x192:tA"})
    public String shape;

    @Param({"ours", "ejml", "peak"})
    public String variant;

    /** Inputs of the peak loop, read from fields so that it cannot be folded away. */
    public float peakX = 1.0001f;
    public float peakY = 0.9999f;
    private final float[] peakSums = new float[THREADS];

    private Shape s;
    private float[] a;
    private float[] b;
    private float[] c;
    private FMatrixRMaj ea;
    private FMatrixRMaj eb;
    private FMatrixRMaj ec;

    /** M, K, N and which operand is stored transposed. */
    record Shape(int m, int k, int n, boolean transA, boolean transB) {
        static Shape parse(String text) {
            String[] parts = text.split(":");
            String[] dims = parts[0].split("x");
            if (dims.length != 3) {
                throw new IllegalArgumentException("MatMulBench: shape '" + text + "' is not MxKxN[:tA|:tB]");
            }
            String flag = parts.length > 1 ? parts[1] : "";
            if (!flag.isEmpty() && !flag.equals("tA") && !flag.equals("tB")) {
                throw new IllegalArgumentException("MatMulBench: shape '" + text + "' has flag '" + flag
                        + "', expected tA or tB");
            }
            return new Shape(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]),
                    flag.equals("tA"), flag.equals("tB"));
        }

        double flops() {
            return 2.0 * m * k * n;
        }
    }

    /** Flops of one call of {@link #multiply} for a variant on a shape. */
    static double flops(String variant, String shape) {
        return variant.equals("peak") ? THREADS * FmaPeak.flops() : Shape.parse(shape).flops();
    }

    @Setup
    public void setup() {
        Parallel.setThreads(THREADS);
        EjmlConcurrency.setMaxThreads(THREADS);
        s = Shape.parse(shape);
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(rnd, s.m * s.k);
        b = random(rnd, s.k * s.n);
        c = new float[s.m * s.n];
        ea = s.transA ? FMatrixRMaj.wrap(s.k, s.m, a) : FMatrixRMaj.wrap(s.m, s.k, a);
        eb = s.transB ? FMatrixRMaj.wrap(s.n, s.k, b) : FMatrixRMaj.wrap(s.k, s.n, b);
        ec = FMatrixRMaj.wrap(s.m, s.n, c);
    }

    static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Benchmark
    public float[] multiply() {
        if (variant.equals("peak")) {
            Parallel.forRange(THREADS, 1, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    peakSums[t] = FmaPeak.run(peakX, peakY);
                }
            });
            return peakSums;
        }
        if (variant.equals("ours")) {
            GemmKernels.gemm(1, s.m, s.n, s.k, a, 0, 0, s.transA, b, 0, 0, s.transB, c, 0, 0);
        } else if (s.transA) {
            CommonOps_MT_FDRM.multTransA(ea, eb, ec);
        } else if (s.transB) {
            CommonOps_MT_FDRM.multTransB(ea, eb, ec);
        } else {
            CommonOps_MT_FDRM.mult(ea, eb, ec);
        }
        return c;
    }
}

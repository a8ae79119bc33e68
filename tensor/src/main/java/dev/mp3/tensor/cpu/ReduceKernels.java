package dev.mp3.tensor.cpu;

import dev.mp3.tensor.ReduceOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * Reductions of a contiguous array viewed as [outer, n, inner] over the middle axis, giving
 * [outer, inner]. Each output element is reduced by one thread in a fixed order, so results do not
 * depend on the thread count.
 */
final class ReduceKernels {
    private ReduceKernels() {}

    static void reduce(ReduceOp op, float[] x, int outer, int n, int inner, float[] out) {
        if (inner == 1) {
            Parallel.forRange(outer, Math.max(1, 16384 / Math.max(1, n)), (lo, hi) -> {
                for (int o = lo; o < hi; o++) {
                    float r = op == ReduceOp.MAX ? maxRun(x, o * n, n) : sumRun(x, o * n, n);
                    out[o] = op == ReduceOp.MEAN ? r / n : r;
                }
            });
            return;
        }
        // Tasks are (outer item, block of columns): a few outer items (a bias gradient: one, over
        // thousands of rows) still spread over the threads. Each output is reduced by one task,
        // row after row, whatever the split.
        int width = columnBlock(inner, Parallel.threads());
        int blocks = (inner + width - 1) / width;
        Parallel.forRange(outer * blocks, Math.max(1, 16384 / Math.max(1, n * width)), (lo, hi) -> {
            for (int task = lo; task < hi; task++) {
                int o = task / blocks;
                int c0 = (task % blocks) * width;
                reduceColumns(op, x, o * n * inner, n, inner, c0, Math.min(inner, c0 + width), out, o * inner);
            }
        });
    }

    /**
     * Columns per task in {@link #reduce} over a middle axis: the columns split evenly over the
     * threads, within 256 to 4,096 floats and a multiple of 64 (of every vector length). Each task
     * reads a run of that many floats from each of n rows, so longer runs let the hardware
     * prefetcher stream them; the accumulators, at most 16 KiB, stay in L1. Against a fixed 256
     * columns, the first pass of a bias gradient ([64, 50 x 512] over its 64 rows, and five other
     * ViT shapes) read 1.4-1.7x faster, the same bits (two threads, Zen 3; BENCHMARKS.md,
     * 2026-12-02 morning).
     */
    static int columnBlock(int inner, int threads) {
        int perThread = (inner + threads - 1) / threads;
        int width = Math.min(4096, Math.max(256, (perThread + 63) / 64 * 64));
        return Math.max(1, Math.min(inner, width));   // all the columns when fewer; 1 when there are none
    }

    /** out[ob + i] = op over j of x[xb + j * inner + i], for columns i in [c0, c1), rows in order. */
    private static void reduceColumns(ReduceOp op, float[] x, int xb, int n, int inner, int c0, int c1, float[] out, int ob) {
        System.arraycopy(x, xb + c0, out, ob + c0, c1 - c0);
        for (int j = 1; j < n; j++) {
            int row = xb + j * inner;
            int i = c0;
            for (int bound = c0 + S.loopBound(c1 - c0); i < bound; i += L) {
                FloatVector acc = FloatVector.fromArray(S, out, ob + i);
                FloatVector v = FloatVector.fromArray(S, x, row + i);
                (op == ReduceOp.MAX ? acc.max(v) : acc.add(v)).intoArray(out, ob + i);
            }
            for (; i < c1; i++) {
                out[ob + i] = op == ReduceOp.MAX ? Math.max(out[ob + i], x[row + i]) : out[ob + i] + x[row + i];
            }
        }
        if (op == ReduceOp.MEAN) {
            for (int i = c0; i < c1; i++) {
                out[ob + i] /= n;
            }
        }
    }

    static void argmax(float[] x, int outer, int n, int inner, int[] out) {
        Parallel.forRange(outer * inner, Math.max(1, 16384 / Math.max(1, n)), (lo, hi) -> {
            for (int e = lo; e < hi; e++) {
                int o = e / inner;
                int i = e % inner;
                int base = o * n * inner + i;
                int best = 0;
                float bestValue = x[base];
                for (int j = 1; j < n; j++) {
                    float v = x[base + j * inner];
                    if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) {
                        bestValue = v;
                        best = j;
                    }
                }
                out[e] = best;
            }
        });
    }

    static float sumRun(float[] x, int off, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        float s = VectorMath.sumLanes(acc);
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    /** sum_i (x[i] - shift): a sum of deviations, free of the cancellation in sum(x) - n * shift. */
    static float sumShiftedRun(float[] x, int off, int n, float shift) {
        FloatVector vs = FloatVector.broadcast(S, shift);
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i).sub(vs));
        }
        float s = VectorMath.sumLanes(acc);
        for (; i < n; i++) {
            s += x[off + i] - shift;
        }
        return s;
    }

    static float maxRun(float[] x, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int bound = S.loopBound(n); i < bound; i += L) {
                acc = acc.max(FloatVector.fromArray(S, x, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    /** sum_i a[i]*b[i] over contiguous runs. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float s = VectorMath.sumLanes(acc);
        for (; i < n; i++) {
            s = Math.fma(a[ao + i], b[bo + i], s);
        }
        return s;
    }
}

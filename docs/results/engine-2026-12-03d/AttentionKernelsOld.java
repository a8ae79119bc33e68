package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * Attention with a separate key/value set on the CPU, one (batch, head) pair at a time: scores
 * for one pair fit in cache, so materialising them there costs little, and nothing of size
 * [B, H, N, M] outlives the call (the backward pass recomputes the probabilities from logSumExp,
 * like the GPU kernel).
 *
 * <p>q, k, v, the output and its gradient are {@link Heads} views, wherever their rows lie (the
 * permuted heads of one q, k, v projection, say): the small matrix products read and write a pair's
 * rows in place through their row stride, so no [B, H, N, d] copy of an operand is made and the
 * outputs land in the layout the model reads next.
 */
final class AttentionKernelsOld {
    private AttentionKernelsOld() {}

    /**
     * A [B, H, rows, d] operand whose d values of a row are contiguous: row i of pair (b, h) starts
     * at {@code offset + b * batchStride + h * headStride + i * rowStride}.
     */
    record Heads(float[] data, int offset, int batchStride, int headStride, int rowStride) {
        int row(int pair, int heads, int i) {
            return offset + (pair / heads) * batchStride + (pair % heads) * headStride + i * rowStride;
        }

        /** Pair {@code pair}'s [rows, d] matrix, as a matrix-product operand. */
        GemmOperand pair(int pair, int heads) {
            return new GemmOperand(data, row(pair, heads, 0), 0, rowStride, 1);
        }
    }

    /** bias [H, N, M] contiguous or null; lse [BH, N] dense. */
    static void forward(Heads q, Heads k, Heads v, float[] bias, int bh, int heads, int n, int m, int d,
                        float scale, Heads out, float[] lse) {
        Parallel.forRange(bh, 1, (lo, hi) -> {
            float[] p = new float[n * m];
            float[] scratch = new float[d * m];
            GemmOperand probabilities = GemmOperand.of(p, 0, 0, false, n, m);
            for (int t = lo; t < hi; t++) {
                scores(q.pair(t, heads), k.pair(t, heads), bias, t, heads, n, m, d, scale, p, scratch);
                softmax(p, n, m, lse, t * n);
                DirectGemm.multiply(0, n, d, m, probabilities, v.pair(t, heads), out.pair(t, heads), null);
            }
        });
    }

    /**
     * Each row of the n x m scores p replaced by its softmax, and lse[at + i] = row i's max +
     * log(its sum). Each row is shifted by its max, then the exponentials are taken over the whole
     * block at once ({@link #exponentials}), then each row is summed in the order
     * {@link VectorMath#expShifted} adds: the bits of a row-by-row expShifted. lse holds each
     * row's max until its sum is known.
     */
    private static void softmax(float[] p, int n, int m, float[] lse, int at) {
        for (int i = 0; i < n; i++) {
            lse[at + i] = ReduceKernels.maxRun(p, i * m, m);
        }
        exponentials(p, n, m, lse, at);
        for (int i = 0; i < n; i++) {
            int row = i * m;
            float sum = oldSum(p, row, m);
            lse[at + i] = lse[at + i] + (float) Math.log(sum);
            ElementwiseKernels.affineRun(p, row, 1, 1f / sum, 0f, p, row, m);
        }
    }

    /**
     * p[i, j] = exp(p[i, j] - shift[at + i]) over the n x m block: the subtractions row by row
     * (fma(x, 1, -s), the bits of x - s), the exponentials over the block as one run, whose rows
     * of 50 would each end in two floats through the scalar form. Against row-by-row expShifted,
     * medians over four shapes on one and two threads: the forward pass 0.87-1.05x its time, the
     * backward 0.78-0.96x (BENCHMARKS.md, 2026-12-03 morning).
     */
    private static void exponentials(float[] p, int n, int m, float[] shift, int at) {
        for (int i = 0; i < n; i++) {
            ElementwiseKernels.affineRun(p, i * m, 1, 1f, -shift[at + i], p, i * m, m);
        }
        VectorMath.expRun(p, 0, n * m);
    }

    /** p[i, j] = scale * q_i . k_j + bias[h, i, j] for pair t: one small matmul, then a row pass. */
    private static void scores(GemmOperand q, GemmOperand k, float[] bias, int t, int heads, int n, int m, int d,
                               float scale, float[] p, float[] scratch) {
        DirectGemm.multiply(0, n, m, d, q, k.transposed(), GemmOperand.of(p, 0, 0, false, n, m), scratch);
        if (bias == null) {
            ElementwiseKernels.affineRun(p, 0, 1, scale, 0f, p, 0, n * m);
            return;
        }
        int hb = (t % heads) * n * m;
        FloatVector s = FloatVector.broadcast(S, scale);
        int i = 0;
        for (; i + L <= n * m; i += L) {
            FloatVector.fromArray(S, p, i).fma(s, FloatVector.fromArray(S, bias, hb + i)).intoArray(p, i);
        }
        for (; i < n * m; i++) {
            p[i] = Math.fma(p[i], scale, bias[hb + i]);
        }
    }

    /** dS = P * (dP - delta) over one row of m scores at [row, row + m), in place in dp. */
    private static void scoreGradients(float[] p, float[] dp, int row, int m, float delta) {
        FloatVector d = FloatVector.broadcast(S, delta);
        int j = row;
        int end = row + m;
        for (; j + L <= end; j += L) {
            FloatVector.fromArray(S, p, j).mul(FloatVector.fromArray(S, dp, j).sub(d)).intoArray(dp, j);
        }
        for (; j < end; j++) {
            dp[j] = p[j] * (dp[j] - delta);
        }
    }

    /**
     * With P recomputed from lse: dV = P^T gO; dP = gO V^T; dS = P * (dP - rowsum(gO * O));
     * dQ = scale dS K; dK = scale dS^T Q; dbias[h] = sum over the batch of dS.
     * dbiasPerPair, when bias is present, is [BH, N, M] and summed over the batch by the caller.
     */
    static void backward(Heads q, Heads k, Heads v, float[] bias, int bh, int heads, int n, int m, int d,
                         float scale, Heads out, float[] lse, Heads gOut,
                         Heads dq, Heads dk, Heads dv, float[] dbiasPerPair) {
        Parallel.forRange(bh, 1, (lo, hi) -> {
            float[] p = new float[n * m];
            float[] dp = new float[n * m];
            float[] scratch = new float[d * m];
            GemmOperand probabilities = GemmOperand.of(p, 0, 0, false, n, m);
            GemmOperand scoreGrads = GemmOperand.of(dp, 0, 0, false, n, m);
            for (int t = lo; t < hi; t++) {
                GemmOperand qt = q.pair(t, heads);
                GemmOperand kt = k.pair(t, heads);
                GemmOperand gt = gOut.pair(t, heads);
                scores(qt, kt, bias, t, heads, n, m, d, scale, p, scratch);
                exponentials(p, n, m, lse, t * n);
                // dV = P^T gO   [M, d]
                DirectGemm.multiply(0, m, d, n, probabilities.transposed(), gt, dv.pair(t, heads), null);
                // dP = gO V^T   [N, M]
                DirectGemm.multiply(0, n, m, d, gt, v.pair(t, heads).transposed(), scoreGrads, scratch);
                for (int i = 0; i < n; i++) {
                    float delta = ReduceKernels.dot(gOut.data(), gOut.row(t, heads, i), out.data(), out.row(t, heads, i), d);
                    scoreGradients(p, dp, i * m, m, delta);
                }
                if (dbiasPerPair != null) {
                    System.arraycopy(dp, 0, dbiasPerPair, t * n * m, n * m);
                }
                // dQ = scale dS K   [N, d];  dK = scale dS^T Q   [M, d]
                DirectGemm.multiply(0, n, d, m, scoreGrads, kt, dq.pair(t, heads), null);
                DirectGemm.multiply(0, m, d, n, scoreGrads.transposed(), qt, dk.pair(t, heads), null);
                scaleRows(dq, t, heads, n, d, scale);
                scaleRows(dk, t, heads, m, d, scale);
            }
        });
    }

    private static void scaleRows(Heads x, int t, int heads, int rows, int d, float scale) {
        for (int i = 0; i < rows; i++) {
            int at = x.row(t, heads, i);
            ElementwiseKernels.affineRun(x.data(), at, 1, scale, 0f, x.data(), at, d);
        }
    }

    static float oldSum(float[] y, int off, int n) {
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, y, off + i));
        }
        float sum = 0f;
        for (int l = 0; l < L; l++) {
            sum += acc.lane(l);
        }
        for (int i = bound; i < n; i++) {
            sum += y[off + i];
        }
        return sum;
    }
}

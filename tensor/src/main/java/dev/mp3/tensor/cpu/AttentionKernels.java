package dev.mp3.tensor.cpu;

/**
 * Attention with a separate key/value set on the CPU, one (batch, head) pair at a time: scores
 * for one pair fit in cache, so materialising them there costs little, and nothing of size
 * [B, H, N, M] outlives the call (the backward pass recomputes the probabilities from logSumExp,
 * like the GPU kernel).
 */
final class AttentionKernels {
    private AttentionKernels() {}

    /**
     * q [BH, N, d], k and v [BH, M, d], bias [H, N, M] or null, all contiguous; out [BH, N, d],
     * lse [BH, N].
     */
    static void forward(float[] q, float[] k, float[] v, float[] bias, int bh, int heads, int n, int m, int d,
                        float scale, float[] out, float[] lse) {
        Parallel.forRange(bh, 1, (lo, hi) -> {
            float[] p = new float[n * m];
            float[] scratch = new float[d * m];
            for (int t = lo; t < hi; t++) {
                scores(q, k, bias, t, heads, n, m, d, scale, p, scratch);
                for (int i = 0; i < n; i++) {
                    int row = i * m;
                    float max = ReduceKernels.maxRun(p, row, m);
                    float sum = VectorMath.expShifted(p, row, max, p, row, m);
                    lse[t * n + i] = max + (float) Math.log(sum);
                    ElementwiseKernels.affineRun(p, row, 1, 1f / sum, 0f, p, row, m);
                }
                GemmKernels.gemmSmall(n, d, m, p, 0, false, v, t * m * d, false, out, t * n * d, null);
            }
        });
    }

    /** p[i, j] = scale * q_i . k_j + bias[h, i, j] for pair t: one small matmul, then a row pass. */
    private static void scores(float[] q, float[] k, float[] bias, int t, int heads, int n, int m, int d,
                               float scale, float[] p, float[] scratch) {
        GemmKernels.gemmSmall(n, m, d, q, t * n * d, false, k, t * m * d, true, p, 0, scratch);
        if (bias == null) {
            ElementwiseKernels.affineRun(p, 0, 1, scale, 0f, p, 0, n * m);
            return;
        }
        int hb = (t % heads) * n * m;
        for (int i = 0; i < n * m; i++) {
            p[i] = Math.fma(p[i], scale, bias[hb + i]);
        }
    }

    /**
     * With P recomputed from lse: dV = P^T gO; dP = gO V^T; dS = P * (dP - rowsum(gO * O));
     * dQ = scale dS K; dK = scale dS^T Q; dbias[h] = sum over the batch of dS.
     * dbiasPerPair, when bias is present, is [BH, N, M] and summed over the batch by the caller.
     */
    static void backward(float[] q, float[] k, float[] v, float[] bias, int bh, int heads, int n, int m, int d,
                         float scale, float[] out, float[] lse, float[] gOut,
                         float[] dq, float[] dk, float[] dv, float[] dbiasPerPair) {
        Parallel.forRange(bh, 1, (lo, hi) -> {
            float[] p = new float[n * m];
            float[] dp = new float[n * m];
            float[] scratch = new float[d * m];
            for (int t = lo; t < hi; t++) {
                scores(q, k, bias, t, heads, n, m, d, scale, p, scratch);
                int ob = t * n * d;
                for (int i = 0; i < n; i++) {
                    int row = i * m;
                    VectorMath.expShifted(p, row, lse[t * n + i], p, row, m);
                }
                // dV = P^T gO   [M, d]
                GemmKernels.gemmSmall(m, d, n, p, 0, true, gOut, ob, false, dv, t * m * d, null);
                // dP = gO V^T   [N, M]
                GemmKernels.gemmSmall(n, m, d, gOut, ob, false, v, t * m * d, true, dp, 0, scratch);
                for (int i = 0; i < n; i++) {
                    float delta = ReduceKernels.dot(gOut, ob + i * d, out, ob + i * d, d);
                    int row = i * m;
                    for (int j = 0; j < m; j++) {
                        dp[row + j] = p[row + j] * (dp[row + j] - delta);
                    }
                }
                if (dbiasPerPair != null) {
                    System.arraycopy(dp, 0, dbiasPerPair, t * n * m, n * m);
                }
                // dQ = scale dS K   [N, d];  dK = scale dS^T Q   [M, d]
                GemmKernels.gemmSmall(n, d, m, dp, 0, false, k, t * m * d, false, dq, ob, null);
                GemmKernels.gemmSmall(m, d, n, dp, 0, true, q, ob, false, dk, t * m * d, null);
                ElementwiseKernels.affineRun(dq, ob, 1, scale, 0f, dq, ob, n * d);
                ElementwiseKernels.affineRun(dk, t * m * d, 1, scale, 0f, dk, t * m * d, m * d);
            }
        });
    }
}

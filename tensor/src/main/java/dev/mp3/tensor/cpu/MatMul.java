package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.mp3.tensor.cpu.Elementwise.L;
import static dev.mp3.tensor.cpu.Elementwise.S;

/**
 * Batched SGEMM on float arrays: C = op(A) op(B) for {@code batch} items, where each item's A is a
 * contiguous [M, K] block ([K, M] when transA), B a contiguous [K, N] block ([N, K] when transB) and
 * C a contiguous [M, N] block that is overwritten. A batch stride of 0 shares one operand across the
 * batch (a weight matrix).
 */
final class MatMul {
    private MatMul() {}

    static void gemm(int batch, int m, int n, int k,
                     float[] a, int aOff, int aBatchStride, boolean transA,
                     float[] b, int bOff, int bBatchStride, boolean transB,
                     float[] c, int cOff, int cBatchStride) {
        // B as [K, N] row-major: pack (transpose) once per distinct B.
        float[] bk = b;
        int bkOff = bOff;
        int bkStride = bBatchStride;
        if (transB) {
            int items = bBatchStride == 0 ? 1 : batch;
            bk = new float[items * k * n];
            for (int t = 0; t < items; t++) {
                int src = bOff + t * bBatchStride;
                int dst = t * k * n;
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        bk[dst + p * n + j] = b[src + j * k + p];
                    }
                }
            }
            bkOff = 0;
            bkStride = bBatchStride == 0 ? 0 : k * n;
        }
        final float[] bp = bk;
        final int bpOff = bkOff;
        final int bpStride = bkStride;
        int aRowStride = transA ? 1 : k;
        int aColStride = transA ? m : 1;
        Parallel.forRange(batch * m, Math.max(1, 32768 / Math.max(1, n * k)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int t = row / m;
                int i = row % m;
                int ab = aOff + t * aBatchStride + i * aRowStride;
                int bb = bpOff + t * bpStride;
                int cb = cOff + t * cBatchStride + i * n;
                java.util.Arrays.fill(c, cb, cb + n, 0f);
                for (int p = 0; p < k; p++) {
                    float av = a[ab + p * aColStride];
                    int br = bb + p * n;
                    int j = 0;
                    FloatVector va = FloatVector.broadcast(S, av);
                    for (int bound = S.loopBound(n); j < bound; j += L) {
                        va.fma(FloatVector.fromArray(S, bp, br + j), FloatVector.fromArray(S, c, cb + j)).intoArray(c, cb + j);
                    }
                    for (; j < n; j++) {
                        c[cb + j] = Math.fma(av, bp[br + j], c[cb + j]);
                    }
                }
            }
        });
    }
}

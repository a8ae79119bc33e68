package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.mp3.tensor.cpu.Elementwise.L;
import static dev.mp3.tensor.cpu.Elementwise.S;

/**
 * GEMM for matrices too small for packing to pay: each row of C is computed straight from the
 * operands, a vector of columns at a time when op(B)'s rows are contiguous, one element at a time
 * otherwise. Same summation order as every other kernel: c = fma(a[i,p], b[p,j], c) for p = 0, 1, ...
 */
final class DirectGemm {
    private DirectGemm() {}

    static void gemm(int batch, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c) {
        Parallel.forRange(batch, Math.max(1, (1 << 16) / Math.max(1, m * n * k)), (lo, hi) -> {
            for (int item = lo; item < hi; item++) {
                for (int i = 0; i < m; i++) {
                    row(item, i, n, k, a, b, c);
                }
            }
        });
    }

    private static void row(int item, int i, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c) {
        float[] ad = a.data();
        float[] bd = b.data();
        float[] cd = c.data();
        int ai = a.at(item, i, 0);
        int aStep = a.colStride();
        int bRowStride = b.rowStride();
        int j = 0;
        if (b.colStride() == 1 && c.colStride() == 1) {
            for (int bound = S.loopBound(n); j < bound; j += L) {
                int bi = b.at(item, 0, j);
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.broadcast(S, ad[ai + p * aStep]).fma(FloatVector.fromArray(S, bd, bi + p * bRowStride), acc);
                }
                acc.intoArray(cd, c.at(item, i, j));
            }
        }
        for (; j < n; j++) {
            int bi = b.at(item, 0, j);
            float acc = 0f;
            for (int p = 0; p < k; p++) {
                acc = Math.fma(ad[ai + p * aStep], bd[bi + p * bRowStride], acc);
            }
            cd[c.at(item, i, j)] = acc;
        }
    }
}

package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * GEMM for matrices too small for packing to pay (tiny products, and the per-head products of
 * attention): C is computed straight from the operands, four rows at a time so that four
 * independent FMA chains hide the instruction latency, a vector of columns at a time (the last,
 * partial one masked). A transposed B is first copied into a row-major scratch block (k x n floats)
 * so its rows can be read as vectors. C is always row-major here. Same summation order as every other kernel: c = fma(a[i,p], b[p,j], c) for p = 0, 1, ...
 */
final class DirectGemm {
    private static final int ROWS = 4;

    private DirectGemm() {}

    static void gemm(int batch, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c) {
        Parallel.forRange(batch, Math.max(1, (1 << 16) / Math.max(1, m * n * k)), (lo, hi) -> {
            float[] scratch = b.colStride() == 1 ? null : new float[k * n];
            for (int item = lo; item < hi; item++) {
                multiply(item, m, n, k, a, b, c, scratch);
            }
        });
    }

    /** One item; scratch (k * n floats) is needed when B's rows are not contiguous, else null. */
    static void multiply(int item, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c, float[] scratch) {
        float[] bd = b.data();
        int bOff = b.at(item, 0, 0);
        int bRowStride = b.rowStride();
        if (b.colStride() != 1) {
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    scratch[p * n + j] = bd[b.at(item, p, j)];
                }
            }
            bd = scratch;
            bOff = 0;
            bRowStride = n;
        }
        int i = 0;
        for (; i + ROWS <= m; i += ROWS) {
            fourRows(item, i, n, k, a, bd, bOff, bRowStride, c);
        }
        for (; i < m; i++) {
            oneRow(item, i, n, k, a, bd, bOff, bRowStride, c);
        }
    }

    private static void fourRows(int item, int i, int n, int k, GemmOperand a, float[] bd, int bOff, int bRowStride,
                                 GemmOperand c) {
        float[] ad = a.data();
        float[] cd = c.data();
        int a0 = a.at(item, i, 0);
        int aRow = a.rowStride();
        int aStep = a.colStride();
        for (int j = 0; j < n; j += L) {
            // The last block of columns may be partial: masked loads and stores, the same arithmetic.
            VectorMask<Float> cols = S.indexInRange(j, n);
            FloatVector c0 = FloatVector.zero(S);
            FloatVector c1 = FloatVector.zero(S);
            FloatVector c2 = FloatVector.zero(S);
            FloatVector c3 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                FloatVector bv = FloatVector.fromArray(S, bd, bOff + p * bRowStride + j, cols);
                int ap = a0 + p * aStep;
                c0 = FloatVector.broadcast(S, ad[ap]).fma(bv, c0);
                c1 = FloatVector.broadcast(S, ad[ap + aRow]).fma(bv, c1);
                c2 = FloatVector.broadcast(S, ad[ap + 2 * aRow]).fma(bv, c2);
                c3 = FloatVector.broadcast(S, ad[ap + 3 * aRow]).fma(bv, c3);
            }
            c0.intoArray(cd, c.at(item, i, j), cols);
            c1.intoArray(cd, c.at(item, i + 1, j), cols);
            c2.intoArray(cd, c.at(item, i + 2, j), cols);
            c3.intoArray(cd, c.at(item, i + 3, j), cols);
        }
    }

    private static void oneRow(int item, int i, int n, int k, GemmOperand a, float[] bd, int bOff, int bRowStride,
                               GemmOperand c) {
        float[] ad = a.data();
        float[] cd = c.data();
        int ai = a.at(item, i, 0);
        int aStep = a.colStride();
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> cols = S.indexInRange(j, n);
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                acc = FloatVector.broadcast(S, ad[ai + p * aStep])
                        .fma(FloatVector.fromArray(S, bd, bOff + p * bRowStride + j, cols), acc);
            }
            acc.intoArray(cd, c.at(item, i, j), cols);
        }
    }
}

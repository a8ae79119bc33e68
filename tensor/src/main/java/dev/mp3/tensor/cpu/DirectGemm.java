package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * GEMM for matrices too small for packing to pay (tiny products, and the per-head products of
 * attention): C is computed straight from the operands, four rows at a time so that four
 * independent FMA chains hide the instruction latency (a last, partial group of rows is the last
 * four rows, some computed twice), a few vectors of columns at a time (likewise the last one or
 * two vectors end at column n, recomputing columns already done; masked only where n is below one vector). A transposed B is first copied into a row-major scratch block (k x n floats)
 * so its rows can be read as vectors. C is always row-major here. Same summation order as every other kernel: c = fma(a[i,p], b[p,j], c) for p = 0, 1, ...
 */
final class DirectGemm {
    private static final int ROWS = 4;
    /** Whether 4 x 4 vectors of accumulators fit the vector registers (32 of them, AVX-512). */
    private static final boolean WIDE = S.vectorBitSize() >= 512;

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
        if (m < ROWS) {
            for (int i = 0; i < m; i++) {
                oneRow(item, i, n, k, a, bd, bOff, bRowStride, c);
            }
            return;
        }
        for (int i = 0; i < m; i += ROWS) {
            // The last group of rows, if m is not a multiple of four, is the last four rows: those
            // it shares with the group before are computed again, by the same chains, to the same
            // bits, where a row at a time would run one chain and wait on each multiply-add's latency.
            fourRowGroup(item, Math.min(i, m - ROWS), n, k, a, bd, bOff, bRowStride, c);
        }
    }

    /**
     * Four rows by four whole vectors of columns at a time where the registers allow (16
     * accumulators: AVX-512's 32 registers; with AVX2's 16 they would spill), else by two (8), each
     * broadcast of A reused by every vector; then the rest: as two vectors ending at column n where
     * n is at least two vectors wide, else a vector at a time (masked below one vector).
     */
    private static void fourRowGroup(int item, int i, int n, int k, GemmOperand a, float[] bd, int bOff, int bRowStride,
                                     GemmOperand c) {
        int j = 0;
        if (WIDE) {
            for (; j + 4 * L <= n; j += 4 * L) {
                fourRowsFourVectors(item, i, j, k, a, bd, bOff, bRowStride, c);
            }
        }
        for (; j + 2 * L <= n; j += 2 * L) {
            fourRowsTwoVectors(item, i, j, k, a, bd, bOff, bRowStride, c);
        }
        if (j < n && n >= 2 * L) {
            // The last columns as two vectors ending at column n (recomputing, to the same bits,
            // columns done already): eight chains of multiply-adds where one vector's four would
            // wait on each other's latency.
            fourRowsTwoVectors(item, i, n - 2 * L, k, a, bd, bOff, bRowStride, c);
            return;
        }
        if (n < L) {
            fourRows(item, i, j, n, k, a, bd, bOff, bRowStride, c);
            return;
        }
        // The rest a vector at a time, the last vector ending at column n (recomputing, to the
        // same bits, columns done already): masked loads in the loop over k cost several times more.
        for (; j < n; j += L) {
            fourRowsOneVector(item, i, Math.min(j, n - L), k, a, bd, bOff, bRowStride, c);
        }
    }

    /** Rows i..i+3, columns [j, j + L), all inside C: 4 accumulators. */
    private static void fourRowsOneVector(int item, int i, int j, int k, GemmOperand a, float[] bd, int bOff,
                                          int bRowStride, GemmOperand c) {
        float[] ad = a.data();
        float[] cd = c.data();
        int a0 = a.at(item, i, 0);
        int aRow = a.rowStride();
        int aStep = a.colStride();
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int bj = bOff + j;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, bd, bj + p * bRowStride);
            int ap = a0 + p * aStep;
            c0 = FloatVector.broadcast(S, ad[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, ad[ap + aRow]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, ad[ap + 2 * aRow]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, ad[ap + 3 * aRow]).fma(bv, c3);
        }
        c0.intoArray(cd, c.at(item, i, j));
        c1.intoArray(cd, c.at(item, i + 1, j));
        c2.intoArray(cd, c.at(item, i + 2, j));
        c3.intoArray(cd, c.at(item, i + 3, j));
    }

    /** Rows i..i+3, columns [j0, n), a vector at a time (the last one masked): for n below one vector. */
    private static void fourRows(int item, int i, int j0, int n, int k, GemmOperand a, float[] bd, int bOff, int bRowStride,
                                 GemmOperand c) {
        float[] ad = a.data();
        float[] cd = c.data();
        int a0 = a.at(item, i, 0);
        int aRow = a.rowStride();
        int aStep = a.colStride();
        for (int j = j0; j < n; j += L) {
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

    /**
     * Rows i..i+3, columns [j, j + 4L), all inside C: 16 accumulators, each the same chain over p as
     * in {@link #fourRows}, and each broadcast of A feeding four vectors.
     */
    private static void fourRowsFourVectors(int item, int i, int j, int k, GemmOperand a, float[] bd, int bOff,
                                            int bRowStride, GemmOperand c) {
        float[] ad = a.data();
        float[] cd = c.data();
        int a0 = a.at(item, i, 0);
        int aRow = a.rowStride();
        int aStep = a.colStride();
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int bj = bOff + j;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * bRowStride;
            FloatVector b0 = FloatVector.fromArray(S, bd, bp);
            FloatVector b1 = FloatVector.fromArray(S, bd, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, bd, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bd, bp + 3 * L);
            int ap = a0 + p * aStep;
            FloatVector av = FloatVector.broadcast(S, ad[ap]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, ad[ap + aRow]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, ad[ap + 2 * aRow]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, ad[ap + 3 * aRow]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
        }
        int r0 = c.at(item, i, j);
        int r1 = c.at(item, i + 1, j);
        int r2 = c.at(item, i + 2, j);
        int r3 = c.at(item, i + 3, j);
        c00.intoArray(cd, r0); c01.intoArray(cd, r0 + L); c02.intoArray(cd, r0 + 2 * L); c03.intoArray(cd, r0 + 3 * L);
        c10.intoArray(cd, r1); c11.intoArray(cd, r1 + L); c12.intoArray(cd, r1 + 2 * L); c13.intoArray(cd, r1 + 3 * L);
        c20.intoArray(cd, r2); c21.intoArray(cd, r2 + L); c22.intoArray(cd, r2 + 2 * L); c23.intoArray(cd, r2 + 3 * L);
        c30.intoArray(cd, r3); c31.intoArray(cd, r3 + L); c32.intoArray(cd, r3 + 2 * L); c33.intoArray(cd, r3 + 3 * L);
    }

    /** Rows i..i+3, columns [j, j + 2L), all inside C: 8 accumulators. */
    private static void fourRowsTwoVectors(int item, int i, int j, int k, GemmOperand a, float[] bd, int bOff,
                                           int bRowStride, GemmOperand c) {
        float[] ad = a.data();
        float[] cd = c.data();
        int a0 = a.at(item, i, 0);
        int aRow = a.rowStride();
        int aStep = a.colStride();
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int bj = bOff + j;
        if (aStep == 1) {
            // A's rows along k (attention's q, P, dS, gO): each row's index is the loop counter plus
            // a constant, the form whose bounds checks the JIT hoists out of the loop (as in
            // MicroKernel); the general form below keeps one check per broadcast.
            int a1 = a0 + aRow;
            int a2 = a0 + 2 * aRow;
            int a3 = a0 + 3 * aRow;
            for (int p = 0; p < k; p++) {
                int bp = bj + p * bRowStride;
                FloatVector b0 = FloatVector.fromArray(S, bd, bp);
                FloatVector b1 = FloatVector.fromArray(S, bd, bp + L);
                FloatVector av = FloatVector.broadcast(S, ad[a0 + p]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, ad[a1 + p]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, ad[a2 + p]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, ad[a3 + p]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            }
        } else {
            for (int p = 0; p < k; p++) {
                int bp = bj + p * bRowStride;
                FloatVector b0 = FloatVector.fromArray(S, bd, bp);
                FloatVector b1 = FloatVector.fromArray(S, bd, bp + L);
                int ap = a0 + p * aStep;
                FloatVector av = FloatVector.broadcast(S, ad[ap]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, ad[ap + aRow]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, ad[ap + 2 * aRow]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, ad[ap + 3 * aRow]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            }
        }
        int r0 = c.at(item, i, j);
        int r1 = c.at(item, i + 1, j);
        int r2 = c.at(item, i + 2, j);
        int r3 = c.at(item, i + 3, j);
        c00.intoArray(cd, r0); c01.intoArray(cd, r0 + L);
        c10.intoArray(cd, r1); c11.intoArray(cd, r1 + L);
        c20.intoArray(cd, r2); c21.intoArray(cd, r2 + L);
        c30.intoArray(cd, r3); c31.intoArray(cd, r3 + L);
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

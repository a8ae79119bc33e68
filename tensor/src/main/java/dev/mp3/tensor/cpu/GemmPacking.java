package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * Copies GEMM operands into the order the micro-kernel reads them: B into panels of the tile's
 * width, so that the kernel's vector loads are unit-stride whatever B's layout (this is where a
 * transposed B is transposed, one panel at a time, never as a whole-matrix copy), and A, where it
 * is not read in place, into a row-major block whose panels of the tile's height the kernel reads
 * like a row-major A in place (for a last, partial panel of rows, padded with zero rows).
 */
final class GemmPacking {
    private GemmPacking() {}

    /** Steps of k per block when packing a transposed B: 16 rows of a 64-wide panel are 4 KB. */
    static final int TRANSPOSE_STEPS = 16;

    /**
     * Rows [p0, p1) of every panel of a row-major op(B) for one item: B walked in memory order,
     * each row dealt out {@code cols} floats to each panel (panel j at dst[d + j * panelSize], row
     * p of it at + (p - first) * cols); a last panel of fewer columns is only as wide as the
     * vectors they need (the {@link MicroKernel#narrowed} kernel's width), zero past n. Packing
     * panel by panel instead reads one cache line from each of k rows per panel, a stride of a
     * whole row: for the [6400, 768] B of a weight gradient that took a fifth of the product's time
     * (Zen 3, one thread).
     */
    static void packRowsOfB(GemmOperand b, int item, int n, int p0, int p1, int first, int cols, int panelSize,
                            float[] dst, int d) {
        float[] src = b.data();
        int full = n / cols;
        int rest = n - full * cols;
        int restWidth = (rest + L - 1) / L * L;
        for (int p = p0; p < p1; p++) {
            int from = b.at(item, p, 0);
            int to = d + (p - first) * cols;
            for (int j = 0; j < full; j++, from += cols, to += panelSize) {
                for (int v = 0; v < cols; v += L) {
                    FloatVector.fromArray(S, src, from + v).intoArray(dst, to + v);
                }
            }
            if (rest > 0) {
                int last = d + full * panelSize + (p - first) * restWidth;
                System.arraycopy(src, from, dst, last, rest);
                Arrays.fill(dst, last + rest, last + restWidth, 0f);
            }
        }
    }

    /**
     * Panel of op(B) for one item: all k rows of columns [j0, j0 + cols), stored row after row,
     * {@code cols} floats each, at dst[d]; columns past n are zero (a last panel is packed with
     * its {@link MicroKernel#narrowed} kernel's width as cols). For a transposed B (each
     * column of op(B) contiguous); a row-major one goes faster through {@link #packRowsOfB}.
     */
    static void packB(GemmOperand b, int item, int k, int n, int j0, int cols, float[] dst, int d) {
        int width = Math.min(cols, n - j0);
        float[] src = b.data();
        if (b.colStride() == 1) {
            for (int p = 0; p < k; p++) {
                int row = d + p * cols;
                System.arraycopy(src, b.at(item, p, j0), dst, row, width);
                if (width < cols) {
                    Arrays.fill(dst, row + width, row + cols, 0f);
                }
            }
            return;
        }
        // B is stored transposed: each column of op(B) is a contiguous run. Walk k in short blocks,
        // so that the block of panel rows being written (TRANSPOSE_STEPS x cols floats) stays in L1
        // while every column adds its run to it; column by column over all of k, each write would
        // land on another cache line of a panel too large for L1.
        int rowStride = b.rowStride();
        for (int p0 = 0; p0 < k; p0 += TRANSPOSE_STEPS) {
            int p1 = Math.min(k, p0 + TRANSPOSE_STEPS);
            for (int jj = 0; jj < width; jj++) {
                int s = b.at(item, 0, j0 + jj);
                for (int p = p0; p < p1; p++) {
                    dst[d + p * cols + jj] = src[s + p * rowStride];
                }
            }
        }
        if (width < cols) {
            for (int p = 0; p < k; p++) {
                Arrays.fill(dst, d + p * cols + width, d + (p + 1) * cols, 0f);
            }
        }
    }

    /**
     * The row stride of a packed A block of kc columns: kc rounded up to whole cache lines (16
     * floats), plus one line when that is an even number of lines. Packing a column-major A
     * writes down a column of the block, one float per row; at a stride of a power of two (kc =
     * 256 is 1 KiB) those rows all fall into 4 of L1's 64 sets and evict each other, which made
     * packing 40 % of a weight gradient's time; an odd number of lines spreads them over all sets.
     */
    static int packedARowStride(int kc) {
        return (int) oddLines(kc);
    }

    /**
     * At least {@code floats}, rounded up to an odd number of 64-byte cache lines: the stride
     * between packed rows of A, and between B's panels, which {@link #packRowsOfB} writes all at
     * once.
     */
    static long oddLines(long floats) {
        long lines = (floats + 15) / 16;
        return 16 * (lines % 2 == 0 ? lines + 1 : lines);
    }

    /**
     * Rows [i0, i0 + panels * rows) of op(A) for one item, columns [p0, p0 + kc): a row-major
     * block of {@code panels * rows} rows, row stride {@code lda} (at least kc), at dst[d], so that
     * panel t starts at dst[d + t * rows * lda] with each row along k, the layout
     * {@link MicroKernel#run} reads with a row stride of lda. Rows past m are zero.
     */
    static void packA(GemmOperand a, int item, int m, int i0, int rows, int panels, int p0, int kc, float[] dst, int d,
                      int lda) {
        float[] src = a.data();
        int height = Math.max(0, Math.min(panels * rows, m - i0));
        if (a.rowStride() == 1) {
            // Column-major (the X^T or dY^T of a weight gradient): a transposition. With vectors of
            // 16 floats, blocks of 16 rows by 16 steps in registers (transpose16): twice the rate of
            // the scalar copy below from L3, the ViT and demo weight gradients 1.00-1.05x (Zen 5,
            // the same bits; BENCHMARKS.md, 2026-12-04). The rows left over go the scalar way.
            int cs = a.colStride();
            int vectorRows = L == 16 ? height & ~15 : 0;
            int vectorSteps = kc & ~15;
            for (int r0 = 0; r0 < vectorRows; r0 += 16) {
                for (int p = 0; p < vectorSteps; p += 16) {
                    transpose16(src, a.at(item, i0 + r0, p0 + p), cs, dst, d + r0 * lda + p, lda);
                }
                for (int p = vectorSteps; p < kc; p++) {
                    int from = a.at(item, i0 + r0, p0 + p);
                    for (int r = 0; r < 16; r++) {
                        dst[d + (r0 + r) * lda + p] = src[from + r];
                    }
                }
            }
            // Eight steps of k at a time, each row of the block gets eight floats, one 32-byte run,
            // read from eight runs of A (one per step) that the next rows read on along; the eight
            // cache lines of A stay in L1 over sixteen rows. Dealt out one float per row and step,
            // walking A in memory order, it ran 1.3-1.7x slower with A not in cache (Zen 3, one thread).
            int p = 0;
            for (; p + 8 <= kc; p += 8) {
                for (int r = vectorRows, from = a.at(item, i0 + r, p0 + p), to = d + r * lda + p; r < height;
                     r++, from++, to += lda) {
                    dst[to] = src[from];
                    dst[to + 1] = src[from + cs];
                    dst[to + 2] = src[from + 2 * cs];
                    dst[to + 3] = src[from + 3 * cs];
                    dst[to + 4] = src[from + 4 * cs];
                    dst[to + 5] = src[from + 5 * cs];
                    dst[to + 6] = src[from + 6 * cs];
                    dst[to + 7] = src[from + 7 * cs];
                }
            }
            for (; p < kc; p++) {
                int from = a.at(item, i0, p0 + p);
                for (int r = vectorRows, to = d + r * lda + p; r < height; r++, to += lda) {
                    dst[to] = src[from + r];
                }
            }
        } else {
            // Row-major (a last, partial panel of a row-major A; every GemmOperand has one of its
            // two strides 1): one contiguous run per row.
            for (int r = 0; r < height; r++) {
                System.arraycopy(src, a.at(item, i0 + r, p0), dst, d + r * lda, kc);
            }
        }
        for (int r = height; r < panels * rows; r++) {
            Arrays.fill(dst, d + r * lda, d + r * lda + kc, 0f);
        }
    }

    /**
     * Index vectors of {@link #transpose16}'s four stages, for {@code selectFrom(x, y)} (index i below
     * 16 picks lane i of x, 16 + i lane i of y): stage {@code bit} pairs the step vectors x and y
     * that many apart and swaps that bit between a lane's step and row, the LOW vector taking the
     * lanes whose step has the bit clear. Null unless vectors hold 16 floats.
     */
    private static final FloatVector LOW8 = butterfly(8, false), HIGH8 = butterfly(8, true), LOW4 = butterfly(4, false),
            HIGH4 = butterfly(4, true), LOW2 = butterfly(2, false), HIGH2 = butterfly(2, true), LOW1 = butterfly(1, false),
            HIGH1 = butterfly(1, true);

    private static FloatVector butterfly(int bit, boolean high) {
        if (L != 16) {
            return null;
        }
        float[] index = new float[16];
        for (int lane = 0; lane < 16; lane++) {
            boolean fromY = (lane & bit) != 0;
            index[lane] = high ? (fromY ? 16 + lane : lane + bit) : (fromY ? 16 + lane - bit : lane);
        }
        return FloatVector.fromArray(S, index, 0);
    }

    /**
     * dst[to + r * lda + s] = src[from + s * cs + r] for r, s < 16: sixteen steps of sixteen rows of
     * a column-major A, the rows of a step side by side, transposed in registers. Each step is one
     * vector (its lanes the rows); after four butterfly stages each vector is a row (its lanes the
     * steps). Only moves floats: the packed block holds the same bits as the scalar copy's.
     */
    private static void transpose16(float[] src, int from, int cs, float[] dst, int to, int lda) {
        FloatVector v0 = FloatVector.fromArray(S, src, from), v1 = FloatVector.fromArray(S, src, from + 1 * cs),
                v2 = FloatVector.fromArray(S, src, from + 2 * cs), v3 = FloatVector.fromArray(S, src, from + 3 * cs);
        FloatVector v4 = FloatVector.fromArray(S, src, from + 4 * cs), v5 = FloatVector.fromArray(S, src, from + 5 * cs),
                v6 = FloatVector.fromArray(S, src, from + 6 * cs), v7 = FloatVector.fromArray(S, src, from + 7 * cs);
        FloatVector v8 = FloatVector.fromArray(S, src, from + 8 * cs), v9 = FloatVector.fromArray(S, src, from + 9 * cs),
                v10 = FloatVector.fromArray(S, src, from + 10 * cs), v11 = FloatVector.fromArray(S, src, from + 11 * cs);
        FloatVector v12 = FloatVector.fromArray(S, src, from + 12 * cs), v13 = FloatVector.fromArray(S, src, from + 13 * cs),
                v14 = FloatVector.fromArray(S, src, from + 14 * cs), v15 = FloatVector.fromArray(S, src, from + 15 * cs);
        FloatVector a0 = LOW8.selectFrom(v0, v8), a8 = HIGH8.selectFrom(v0, v8), a1 = LOW8.selectFrom(v1, v9), a9 = HIGH8.selectFrom(v1, v9);
        FloatVector a2 = LOW8.selectFrom(v2, v10), a10 = HIGH8.selectFrom(v2, v10), a3 = LOW8.selectFrom(v3, v11), a11 = HIGH8.selectFrom(v3, v11);
        FloatVector a4 = LOW8.selectFrom(v4, v12), a12 = HIGH8.selectFrom(v4, v12), a5 = LOW8.selectFrom(v5, v13), a13 = HIGH8.selectFrom(v5, v13);
        FloatVector a6 = LOW8.selectFrom(v6, v14), a14 = HIGH8.selectFrom(v6, v14), a7 = LOW8.selectFrom(v7, v15), a15 = HIGH8.selectFrom(v7, v15);
        FloatVector b0 = LOW4.selectFrom(a0, a4), b4 = HIGH4.selectFrom(a0, a4), b1 = LOW4.selectFrom(a1, a5), b5 = HIGH4.selectFrom(a1, a5);
        FloatVector b2 = LOW4.selectFrom(a2, a6), b6 = HIGH4.selectFrom(a2, a6), b3 = LOW4.selectFrom(a3, a7), b7 = HIGH4.selectFrom(a3, a7);
        FloatVector b8 = LOW4.selectFrom(a8, a12), b12 = HIGH4.selectFrom(a8, a12), b9 = LOW4.selectFrom(a9, a13), b13 = HIGH4.selectFrom(a9, a13);
        FloatVector b10 = LOW4.selectFrom(a10, a14), b14 = HIGH4.selectFrom(a10, a14), b11 = LOW4.selectFrom(a11, a15), b15 = HIGH4.selectFrom(a11, a15);
        FloatVector c0 = LOW2.selectFrom(b0, b2), c2 = HIGH2.selectFrom(b0, b2), c1 = LOW2.selectFrom(b1, b3), c3 = HIGH2.selectFrom(b1, b3);
        FloatVector c4 = LOW2.selectFrom(b4, b6), c6 = HIGH2.selectFrom(b4, b6), c5 = LOW2.selectFrom(b5, b7), c7 = HIGH2.selectFrom(b5, b7);
        FloatVector c8 = LOW2.selectFrom(b8, b10), c10 = HIGH2.selectFrom(b8, b10), c9 = LOW2.selectFrom(b9, b11), c11 = HIGH2.selectFrom(b9, b11);
        FloatVector c12 = LOW2.selectFrom(b12, b14), c14 = HIGH2.selectFrom(b12, b14), c13 = LOW2.selectFrom(b13, b15), c15 = HIGH2.selectFrom(b13, b15);
        FloatVector d0 = LOW1.selectFrom(c0, c1), d1 = HIGH1.selectFrom(c0, c1), d2 = LOW1.selectFrom(c2, c3), d3 = HIGH1.selectFrom(c2, c3);
        FloatVector d4 = LOW1.selectFrom(c4, c5), d5 = HIGH1.selectFrom(c4, c5), d6 = LOW1.selectFrom(c6, c7), d7 = HIGH1.selectFrom(c6, c7);
        FloatVector d8 = LOW1.selectFrom(c8, c9), d9 = HIGH1.selectFrom(c8, c9), d10 = LOW1.selectFrom(c10, c11), d11 = HIGH1.selectFrom(c10, c11);
        FloatVector d12 = LOW1.selectFrom(c12, c13), d13 = HIGH1.selectFrom(c12, c13), d14 = LOW1.selectFrom(c14, c15), d15 = HIGH1.selectFrom(c14, c15);
        d0.intoArray(dst, to); d1.intoArray(dst, to + 1 * lda); d2.intoArray(dst, to + 2 * lda); d3.intoArray(dst, to + 3 * lda);
        d4.intoArray(dst, to + 4 * lda); d5.intoArray(dst, to + 5 * lda); d6.intoArray(dst, to + 6 * lda); d7.intoArray(dst, to + 7 * lda);
        d8.intoArray(dst, to + 8 * lda); d9.intoArray(dst, to + 9 * lda); d10.intoArray(dst, to + 10 * lda); d11.intoArray(dst, to + 11 * lda);
        d12.intoArray(dst, to + 12 * lda); d13.intoArray(dst, to + 13 * lda); d14.intoArray(dst, to + 14 * lda); d15.intoArray(dst, to + 15 * lda);
    }
}

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
            // Column-major (the X^T or dY^T of a weight gradient): a transposition. Eight steps of
            // k at a time, each row of the block gets eight floats, one 32-byte run, read from
            // eight runs of A (one per step) that the next rows read on along; the eight cache
            // lines of A stay in L1 over sixteen rows. Dealt out one float per row and step, walking
            // A in memory order, it ran 1.3-1.7x slower with A not in cache (Zen 3, one thread).
            int cs = a.colStride();
            int p = 0;
            for (; p + 8 <= kc; p += 8) {
                for (int r = 0, from = a.at(item, i0, p0 + p), to = d + p; r < height; r++, from++, to += lda) {
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
                for (int r = 0, to = d + p; r < height; r++, to += lda) {
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
}

package dev.mp3.tensor.cpu;

import java.util.Arrays;

/**
 * Copies GEMM operands into the order the micro-kernel reads them: B into panels of the tile's
 * width, so that the kernel's vector loads are unit-stride whatever B's layout (this is where a
 * transposed B is transposed, one panel at a time, never as a whole-matrix copy), and A into
 * panels of the tile's height, each row along k, where A is not already stored that way (and for
 * the last, partial panel of rows, padded with zero rows).
 */
final class GemmPacking {
    private GemmPacking() {}

    /** Steps of k per block when packing a transposed B: 16 rows of a 48-wide panel are 3 KB. */
    static final int TRANSPOSE_STEPS = 16;

    /**
     * Panel of op(B) for one item: all k rows of columns [j0, j0 + cols), stored row after row,
     * {@code cols} floats each, at dst[d]; columns past n are zero.
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
     * Panel of op(A) for one item: rows [i0, i0 + rows) of columns [p0, p0 + kc), stored row
     * after row, {@code kc} floats each, at dst[d] (the layout the micro-kernel reads, each row
     * along k); rows past m are zero.
     */
    static void packA(GemmOperand a, int item, int m, int i0, int rows, int p0, int kc, float[] dst, int d) {
        int height = Math.min(rows, m - i0);
        float[] src = a.data();
        if (a.colStride() == 1) {
            for (int r = 0; r < height; r++) {
                System.arraycopy(src, a.at(item, i0 + r, p0), dst, d + r * kc, kc);
            }
        } else {
            // Column-major (the dY^T of a weight gradient): step k by k, so that each step reads
            // the tile's rows where they lie side by side and adds one float to each packed row.
            int colStride = a.colStride();
            int rowStride = a.rowStride();
            int s = a.at(item, i0, p0);
            for (int p = 0; p < kc; p++) {
                for (int r = 0; r < height; r++) {
                    dst[d + r * kc + p] = src[s + p * colStride + r * rowStride];
                }
            }
        }
        Arrays.fill(dst, d + height * kc, d + rows * kc, 0f);
    }
}

package dev.mp3.tensor.cpu;

import java.util.Arrays;

/**
 * Copies GEMM operands into the order the micro-kernel reads them: B into panels of the tile's
 * width, so that the kernel's vector loads are unit-stride whatever B's layout (this is where a
 * transposed B is transposed, one panel at a time, never as a whole-matrix copy), and A, where it
 * is not read in place, into panels of the tile's height, step after step of k (for a last,
 * partial panel of rows, padded with zero rows).
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
     * Panels of op(A) for one item: {@code panels} panels of {@code rows} rows each, from row i0 on,
     * of columns [p0, p0 + kc); panel t at dst[d + t * rows * kc], stored step after step of k,
     * {@code rows} floats per step (the layout of {@link MicroKernel#runPacked}); rows past m are
     * zero.
     */
    static void packA(GemmOperand a, int item, int m, int i0, int rows, int panels, int p0, int kc, float[] dst, int d) {
        float[] src = a.data();
        int panelSize = rows * kc;
        if (a.rowStride() == 1) {
            // Column-major (the dY^T of a weight gradient): the block's rows of each step lie side
            // by side in one run, so walk the steps in memory order and deal each run out to the
            // panels, `rows` floats to each.
            int height = Math.min(panels * rows, m - i0);
            for (int p = 0; p < kc; p++) {
                int from = a.at(item, i0, p0 + p);
                for (int t = 0, r0 = 0; t < panels; t++, r0 += rows) {
                    int to = d + t * panelSize + p * rows;
                    int n = Math.min(rows, height - r0);
                    for (int r = 0; r < n; r++) {
                        dst[to + r] = src[from + r0 + r];
                    }
                    for (int r = Math.max(0, n); r < rows; r++) {
                        dst[to + r] = 0f;
                    }
                }
            }
            return;
        }
        // Any other layout (a row-major A's last, partial panel): gather each step's rows.
        for (int t = 0; t < panels; t++) {
            int first = i0 + t * rows;
            int height = Math.max(0, Math.min(rows, m - first));
            for (int p = 0; p < kc; p++) {
                int to = d + t * panelSize + p * rows;
                for (int r = 0; r < height; r++) {
                    dst[to + r] = src[a.at(item, first + r, p0 + p)];
                }
                for (int r = height; r < rows; r++) {
                    dst[to + r] = 0f;
                }
            }
        }
    }
}

package dev.mp3.tensor.cpu;

import java.util.Arrays;

/**
 * Row gathers and their scatter-add backward passes on contiguous arrays, with indices already
 * checked against their bound. Gathers copy rows in parallel; scatter-adds never let two threads
 * add into one element, so duplicate indices add in index order on any thread count.
 */
final class IndexKernels {
    /** Elements per parallel task, roughly. */
    private static final int GRAIN = 1 << 14;

    private IndexKernels() {}

    /**
     * out row i = src row ids[i], rows of rowLen elements; a row of index -1 (indexSelectOrZero) is
     * zeros. Every element of out is written: it may be a recycled array.
     */
    static void indexSelect(float[] src, int[] ids, int rowLen, float[] out) {
        Parallel.forRange(ids.length, Math.max(1, GRAIN / Math.max(1, rowLen)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                if (ids[i] >= 0) {
                    System.arraycopy(src, ids[i] * rowLen, out, i * rowLen, rowLen);
                } else {
                    Arrays.fill(out, i * rowLen, (i + 1) * rowLen, 0f);
                }
            }
        });
    }

    /** out row ids[i] += src row i: serial over index entries, vectorised along each row. */
    static void indexAdd(float[] src, int[] ids, int rowLen, float[] out) {
        for (int i = 0; i < ids.length; i++) {
            ElementwiseKernels.axpy(out, ids[i] * rowLen, 1f, src, i * rowLen, rowLen);
        }
    }

    /** out [rows, k] = src [rows, n] picked along each row by ids [rows, k]. */
    static void takeAlong(float[] src, int n, int[] ids, int k, int rows, float[] out) {
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, k)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                for (int j = 0; j < k; j++) {
                    out[r * k + j] = src[r * n + ids[r * k + j]];
                }
            }
        });
    }

    /** out [rows, n] += src [rows, k] at ids [rows, k] along each row; a row belongs to one thread. */
    static void scatterAlong(float[] src, int[] ids, int k, int n, int rows, float[] out) {
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, n)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                for (int j = 0; j < k; j++) {
                    out[r * n + ids[r * k + j]] += src[r * k + j];
                }
            }
        });
    }
}

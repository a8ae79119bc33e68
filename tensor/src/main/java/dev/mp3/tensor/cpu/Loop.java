package dev.mp3.tensor.cpu;

import dev.mp3.tensor.Tensor;

/**
 * Iteration over the elements of a shape in row-major order, for operands that are arbitrary
 * strided views of that shape (broadcast axes have stride 0). Axes that every operand traverses
 * contiguously are merged first, so a contiguous tensor is one long row and a [rows, C] + [C]
 * broadcast is rows × C with a stride-0 row step: the kernels' fast paths see the simple cases.
 */
final class Loop {
    /** Called for a run of {@code len} elements starting at row-major position {@code pos};
     *  {@code offsets[k]} is operand k's storage index of the first element. */
    @FunctionalInterface
    interface Segment {
        void run(int pos, int[] offsets, int len);
    }

    private final int[] outer;
    private final int[][] outerStrides;
    final int[] innerStride;
    private final int[] base;
    final int inner;
    final int rows;

    private Loop(int[] outer, int[][] outerStrides, int[] innerStride, int[] base, int inner) {
        this.outer = outer;
        this.outerStrides = outerStrides;
        this.innerStride = innerStride;
        this.base = base;
        this.inner = inner;
        int r = 1;
        for (int d : outer) {
            r *= d;
        }
        this.rows = r;
    }

    /** operands must already have exactly {@code shape} (use Tensor.expand for broadcasting). */
    static Loop over(int[] shape, Tensor... operands) {
        int k = operands.length;
        int[][] strides = new int[k][];
        for (int i = 0; i < k; i++) {
            strides[i] = operands[i].strides();
        }
        // Drop size-1 axes, then merge neighbours that are contiguous for every operand.
        int[] dims = new int[shape.length];
        int[][] st = new int[k][shape.length];
        int n = 0;
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] == 1) {
                continue;
            }
            boolean merge = n > 0;
            for (int i = 0; merge && i < k; i++) {
                merge = st[i][n - 1] == strides[i][a] * shape[a];
            }
            if (merge) {
                dims[n - 1] *= shape[a];
                for (int i = 0; i < k; i++) {
                    st[i][n - 1] = strides[i][a];
                }
            } else {
                dims[n] = shape[a];
                for (int i = 0; i < k; i++) {
                    st[i][n] = strides[i][a];
                }
                n++;
            }
        }
        int[] base = new int[k];
        for (int i = 0; i < k; i++) {
            base[i] = operands[i].offset();
        }
        if (n == 0) {
            return new Loop(new int[0], new int[k][0], new int[k], base, 1);
        }
        int[] outer = java.util.Arrays.copyOf(dims, n - 1);
        int[][] outerStrides = new int[k][];
        int[] innerStride = new int[k];
        for (int i = 0; i < k; i++) {
            outerStrides[i] = java.util.Arrays.copyOf(st[i], n - 1);
            innerStride[i] = st[i][n - 1];
        }
        return new Loop(outer, outerStrides, innerStride, base, dims[n - 1]);
    }

    int size() {
        return rows * inner;
    }

    /** Storage offset of operand k at the start of row r. */
    int rowBase(int k, int r) {
        int off = base[k];
        int[] s = outerStrides[k];
        for (int a = outer.length - 1; a >= 0 && r > 0; a--) {
            int d = outer[a];
            off += (r % d) * s[a];
            r /= d;
        }
        return off;
    }

    /** Visits every element in segments that never cross a row, in parallel chunks of >= grain. */
    void forEach(int grain, Segment body) {
        int total = size();
        int k = base.length;
        Parallel.forRange(total, grain, (lo, hi) -> {
            int[] offsets = new int[k];
            int r = lo / inner;
            int c = lo % inner;
            int pos = lo;
            while (pos < hi) {
                int len = Math.min(inner - c, hi - pos);
                for (int i = 0; i < k; i++) {
                    offsets[i] = rowBase(i, r) + c * innerStride[i];
                }
                body.run(pos, offsets, len);
                pos += len;
                r++;
                c = 0;
            }
        });
    }
}

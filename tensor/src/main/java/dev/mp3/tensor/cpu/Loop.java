package dev.mp3.tensor.cpu;

import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;

/**
 * Iteration over the elements of a shape in row-major order, for operands that are arbitrary
 * strided views of that shape (broadcast axes have stride 0). Axes are merged first
 * ({@link Shape#mergeAxes}), so a contiguous tensor is one long row and a [rows, C] + [C]
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
    private final int inner;
    private final int rows;

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
        int[] base = new int[k];
        for (int i = 0; i < k; i++) {
            strides[i] = operands[i].strides();
            base[i] = operands[i].offset();
        }
        Shape.MergedAxes merged = Shape.mergeAxes(shape, strides);
        int[] dims = merged.dims();
        int n = dims.length;
        if (n == 0) {
            return new Loop(new int[0], new int[k][0], new int[k], base, 1);
        }
        int[] outer = Arrays.copyOf(dims, n - 1);
        int[][] outerStrides = new int[k][];
        int[] innerStride = new int[k];
        for (int i = 0; i < k; i++) {
            outerStrides[i] = Arrays.copyOf(merged.strides()[i], n - 1);
            innerStride[i] = merged.strides()[i][n - 1];
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

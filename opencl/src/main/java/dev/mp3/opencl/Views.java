package dev.mp3.opencl;

import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;

/**
 * The host side of the kernels' {@code View} struct (common.cl): strided layouts of several
 * operands of one shape, with their axes merged ({@link Shape#mergeAxes}: a contiguous tensor is
 * rank 1, a [rows, C] + [C] broadcast rank 2), packed as ints.
 */
final class Views {
    static final int MAX_RANK = 8;
    /** rank, offset, shape[MAX_RANK], stride[MAX_RANK]: 72 bytes, all ints, no padding. */
    static final int INTS = 2 + 2 * MAX_RANK;

    /** Called once per launch: the packed views (one per operand) and the element count. */
    @FunctionalInterface
    interface Block {
        void launch(int[][] views, int count);
    }

    private Views() {}

    /**
     * Splits the iteration over {@code shape} into launches of at most MAX_RANK merged axes (a
     * single launch unless the merged rank exceeds MAX_RANK; then one launch per index of the
     * leading axes). Operands must have exactly {@code shape}: broadcast with Tensor.expand first.
     */
    static void forEach(int[] shape, Tensor[] operands, Block block) {
        if (Shape.numel(shape) == 0) {
            return;
        }
        int k = operands.length;
        int[][] strides = new int[k][];
        int[] offsets = new int[k];
        for (int i = 0; i < k; i++) {
            strides[i] = operands[i].strides();
            offsets[i] = operands[i].offset();
        }
        Shape.MergedAxes merged = Shape.mergeAxes(shape, strides);
        int[] dims = merged.dims();
        int[][] st = merged.strides();
        int n = dims.length;
        int lead = Math.max(0, n - MAX_RANK);
        int[] inner = Arrays.copyOfRange(dims, lead, n);
        int count = 1;
        for (int d : inner) {
            count *= d;
        }
        int[] coord = new int[lead];
        while (true) {
            int[][] views = new int[k][];
            for (int i = 0; i < k; i++) {
                int off = offsets[i];
                for (int a = 0; a < lead; a++) {
                    off += coord[a] * st[i][a];
                }
                views[i] = pack(off, inner, Arrays.copyOfRange(st[i], lead, n));
            }
            block.launch(views, count);
            int a = lead - 1;
            while (a >= 0 && ++coord[a] == dims[a]) {
                coord[a--] = 0;
            }
            if (a < 0) {
                return;
            }
        }
    }

    static int[] pack(int offset, int[] shape, int[] strides) {
        int[] v = new int[INTS];
        v[0] = shape.length;
        v[1] = offset;
        System.arraycopy(shape, 0, v, 2, shape.length);
        System.arraycopy(strides, 0, v, 2 + MAX_RANK, strides.length);
        return v;
    }
}

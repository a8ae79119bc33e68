package dev.mp3.opencl;

import dev.mp3.tensor.Tensor;

import java.util.Arrays;

/**
 * The host side of the kernels' {@code View} struct (common.cl): strided layouts of several
 * operands of one shape, with the axes merged that every operand traverses contiguously (so a
 * contiguous tensor is rank 1 and a [rows, C] + [C] broadcast is rank 2), packed as ints.
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
        int k = operands.length;
        int[][] strides = new int[k][];
        for (int i = 0; i < k; i++) {
            strides[i] = operands[i].strides();
        }
        int[] dims = new int[shape.length];
        int[][] st = new int[k][shape.length];
        int n = 0;
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] == 0) {
                return;
            }
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
        int[] offsets = new int[k];
        for (int i = 0; i < k; i++) {
            offsets[i] = operands[i].offset();
        }
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

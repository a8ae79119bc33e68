package dev.mp3.tensor;

import java.util.Arrays;

/**
 * Static helpers for shapes (int arrays): element counts, strides, broadcasting, axis checks, and
 * the shape logic every backend shares (axes around a reduced one, merged iteration axes, the sizes
 * of a batched matrix product).
 */
public final class Shape {
    private Shape() {}

    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + str(shape) + " has a negative size");
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + str(shape) + " has " + n + " elements; at most 2^31-1 are supported");
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /** Normalises a possibly negative axis; throws naming the op when out of range. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** The NumPy broadcast of two shapes, or an exception naming the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Shape with the given axis removed (or set to 1 when keepDim). */
    public static int[] reduced(int[] shape, int axis, boolean keepDim) {
        if (keepDim) {
            int[] out = shape.clone();
            out[axis] = 1;
            return out;
        }
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** {outer, n, inner} around an axis: the product of the dimensions before it, its size, the product after it. */
    public static int[] around(int[] shape, int axis) {
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return new int[] {outer, shape[axis], inner};
    }

    /**
     * Strided operands of one shape, iterated as fewer axes: size-1 axes dropped, and each axis
     * merged into the one before it where every operand steps through the pair contiguously. A
     * contiguous tensor becomes one axis, a [rows, C] + [C] broadcast two. {@code strides[k]} holds
     * operand k's strides along {@code dims}.
     */
    public record MergedAxes(int[] dims, int[][] strides) {}

    /** Merges the axes of operands that all have {@code shape}; {@code strides[k]} is operand k's (0 where it broadcasts). */
    public static MergedAxes mergeAxes(int[] shape, int[][] strides) {
        int k = strides.length;
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
        int[][] merged = new int[k][];
        for (int i = 0; i < k; i++) {
            merged[i] = Arrays.copyOf(st[i], n);
        }
        return new MergedAxes(Arrays.copyOf(dims, n), merged);
    }

    /** The sizes of a batched matrix product: the (broadcast) batch axes, and op(a) [m, k] times op(b) [k, n]. */
    public record MatMul(int[] batch, int m, int n, int k) {
        /** The product's shape, [...batch, m, n]. */
        public int[] out() {
            int[] out = Arrays.copyOf(batch, batch.length + 2);
            out[batch.length] = m;
            out[batch.length + 1] = n;
            return out;
        }
    }

    /**
     * The sizes of op(a) @ op(b) for a [..., M, K] ([..., K, M] when transA) and b [..., K, N]
     * ([..., N, K] when transB), batch axes broadcast; throws naming both shapes when they do not multiply.
     */
    public static MatMul matmul(int[] a, boolean transA, int[] b, boolean transB) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("matmul: operands need rank >= 2, got " + str(a) + " and " + str(b));
        }
        int ka = transA ? a[a.length - 2] : a[a.length - 1];
        int kb = transB ? b[b.length - 1] : b[b.length - 2];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + str(a) + (transA ? "^T" : "") + " @ "
                    + str(b) + (transB ? "^T" : "") + " (" + ka + " vs " + kb + ")");
        }
        int[] batch = broadcast("matmul (batch axes)", Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2));
        int m = transA ? a[a.length - 1] : a[a.length - 2];
        int n = transB ? b[b.length - 2] : b[b.length - 1];
        return new MatMul(batch, m, n, ka);
    }

    /**
     * The sizes of a 1-D convolution of x [batch, in, length] with a weight [out, in / groups, kernel]:
     * outLength = floor((length + 2 padding - dilation (kernel - 1) - 1) / stride) + 1.
     */
    public record Conv1d(int batch, int in, int length, int out, int kernel, int stride, int padding, int dilation,
                         int groups, int outLength) {
        /** The output's shape, [batch, out, outLength]. */
        public int[] outShape() {
            return new int[] {batch, out, outLength};
        }

        /** Rows of one group's unfolded input: (in / groups) * kernel. */
        public int groupRows() {
            return in / groups * kernel;
        }
    }

    /**
     * Checks a 1-D convolution's operands and settings, naming what is wrong in one line, and
     * returns its sizes; op names the caller in messages.
     */
    public static Conv1d conv1d(String op, int[] x, int[] w, int stride, int padding, int dilation, int groups) {
        Require.that(x.length == 3, () -> op + ": input must be [B, Cin, L], got " + str(x));
        Require.that(w.length == 3, () -> op + ": weight must be [Cout, Cin/groups, K], got " + str(w));
        Require.that(stride >= 1 && dilation >= 1 && padding >= 0 && groups >= 1, () -> op + ": stride " + stride
                + " and dilation " + dilation + " must be >= 1, padding " + padding + " >= 0, groups " + groups + " >= 1");
        Require.that(x[1] % groups == 0 && w[0] % groups == 0, () -> op + ": groups " + groups + " must divide the "
                + x[1] + " input channels of " + str(x) + " and the " + w[0] + " output channels of weight " + str(w));
        Require.that(w[1] * groups == x[1], () -> op + ": weight " + str(w) + " has " + w[1] + " input channels per group, "
                + "expected " + x[1] + " / " + groups + " for input " + str(x));
        Require.that(w[2] >= 1 && w[0] >= 1, () -> op + ": weight " + str(w) + " has no outputs or an empty kernel");
        long span = (long) dilation * (w[2] - 1) + 1;
        long room = (long) x[2] + 2L * padding;
        Require.that(room >= span, () -> op + ": input length " + x[2] + " with padding " + padding
                + " is shorter than the dilated kernel (" + span + ") of weight " + str(w));
        int outLength = (int) ((room - span) / stride + 1);
        return new Conv1d(x[0], x[1], x[2], w[0], w[2], stride, padding, dilation, groups, outLength);
    }
}

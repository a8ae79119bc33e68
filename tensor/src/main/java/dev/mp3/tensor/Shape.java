package dev.mp3.tensor;

import java.util.Arrays;

/** Static helpers for shapes (int arrays): element counts, strides, broadcasting, axis checks. */
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

    /** @deprecated the old name of {@link Require#that}, still called by nn and mp3; use that. */
    @Deprecated
    public static void check(boolean ok, String message) {
        Require.that(ok, message);
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
}

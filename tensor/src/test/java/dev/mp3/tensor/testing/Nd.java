package dev.mp3.tensor.testing;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A double-precision n-dimensional array for test oracles: a shape and its elements in row-major
 * order. Deliberately minimal: {@link Reference} computes on these with plain loops.
 */
public record Nd(int[] shape, double[] data) {

    public Nd {
        shape = shape.clone();
        if (data.length != Shape.numel(shape)) {
            throw new IllegalArgumentException("Nd: " + data.length + " values do not fill shape " + Shape.str(shape));
        }
    }

    public static Nd zeros(int... shape) {
        return new Nd(shape, new double[Shape.numel(shape)]);
    }

    /** The exact values of a tensor (F32 or I32, any layout, any device), in row-major order. */
    public static Nd of(Tensor t) {
        double[] d = new double[t.numel()];
        if (t.dtype() == DType.F32) {
            float[] f = t.toFloatArray();
            for (int i = 0; i < d.length; i++) {
                d[i] = f[i];
            }
        } else {
            int[] v = t.toIntArray();
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i];
            }
        }
        return new Nd(t.shape(), d);
    }

    public static Nd of(float[] values, int... shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new Nd(shape, d);
    }

    public static Nd ofInts(int[] values, int... shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new Nd(shape, d);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    /** Row-major flat index of a multi-index. */
    public int index(int... idx) {
        int flat = 0;
        for (int a = 0; a < shape.length; a++) {
            if (idx[a] < 0 || idx[a] >= shape[a]) {
                throw new IndexOutOfBoundsException("Nd: index " + Arrays.toString(idx) + " outside " + Shape.str(shape));
            }
            flat = flat * shape[a] + idx[a];
        }
        return flat;
    }

    public double get(int... idx) {
        return data[index(idx)];
    }

    /** The multi-index of a row-major flat index. */
    public static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }

    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return f;
    }

    public int[] toInts() {
        int[] v = new int[data.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (int) data[i];
        }
        return v;
    }

    /** A contiguous CPU F32 tensor holding these values rounded to float. */
    public Tensor toTensor() {
        return Tensor.of(toFloats(), shape);
    }

    /** An array of the given shape whose element at idx is this array's element at from(idx): views by index arithmetic. */
    public Nd gather(int[] shape, Function<int[], int[]> from) {
        Nd out = zeros(shape);
        for (int i = 0; i < out.numel(); i++) {
            out.data[i] = get(from.apply(unravel(i, shape)));
        }
        return out;
    }

    public Nd reshape(int... newShape) {
        return new Nd(newShape, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nd n && Arrays.equals(shape, n.shape) && Arrays.equals(data, n.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Nd" + Shape.str(shape);
    }
}

package dev.mp3.tensor.testing;

import dev.mp3.tensor.Device;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;

/**
 * Ways to lay the same logical values out in memory, so that op tests run on views as well as on
 * contiguous tensors. {@link #place} returns a tensor whose row-major values are exactly the given
 * ones, built as a view of a larger or permuted buffer on the requested device.
 */
public enum Layout {
    /** A dense row-major tensor. */
    CONTIGUOUS,
    /** Stored with all axes reversed (column-major) and permuted back: a transposed view. */
    TRANSPOSED,
    /** A window one element in from every edge of a buffer two larger on each axis: gaps and an offset. */
    SLICED,
    /** Every second element of the last axis of a buffer twice as long: inner stride 2, offset 1. */
    STRIDED;

    public Tensor place(float[] values, int[] shape) {
        return place(values, shape, Device.CPU);
    }

    public Tensor place(float[] values, int[] shape, Device device) {
        check(values.length, shape);
        int[] buffer = bufferShape(shape);
        float[] data = new float[Shape.numel(buffer)];
        Arrays.fill(data, Float.NaN); // a read outside the view shows up as NaN
        for (int i = 0; i < values.length; i++) {
            data[bufferIndex(Nd.unravel(i, shape), buffer)] = values[i];
        }
        return view(Tensor.of(data, buffer).to(device), shape);
    }

    /** I32 values in this layout. */
    public Tensor placeInts(int[] values, int[] shape, Device device) {
        check(values.length, shape);
        int[] buffer = bufferShape(shape);
        int[] data = new int[Shape.numel(buffer)];
        Arrays.fill(data, Integer.MIN_VALUE);
        for (int i = 0; i < values.length; i++) {
            data[bufferIndex(Nd.unravel(i, shape), buffer)] = values[i];
        }
        return view(Tensor.ofInts(data, buffer).to(device), shape);
    }

    private static void check(int n, int[] shape) {
        if (n != Shape.numel(shape)) {
            throw new IllegalArgumentException("Layout.place: " + n + " values for shape " + Shape.str(shape));
        }
    }

    /** Shape of the underlying dense buffer. */
    private int[] bufferShape(int[] shape) {
        int r = shape.length;
        return switch (this) {
            case CONTIGUOUS -> shape.clone();
            case TRANSPOSED -> reversed(shape);
            case SLICED -> {
                int[] big = shape.clone();
                for (int a = 0; a < r; a++) {
                    big[a] += 2;
                }
                yield big;
            }
            case STRIDED -> {
                int[] s = Arrays.copyOf(shape, r + 1);
                s[r] = 2;
                yield s;
            }
        };
    }

    /** Flat buffer index holding logical element idx. */
    private int bufferIndex(int[] idx, int[] buffer) {
        int r = idx.length;
        int[] b = switch (this) {
            case CONTIGUOUS -> idx;
            case TRANSPOSED -> reversed(idx);
            case SLICED -> {
                int[] s = idx.clone();
                for (int a = 0; a < r; a++) {
                    s[a]++;
                }
                yield s;
            }
            case STRIDED -> {
                int[] s = Arrays.copyOf(idx, r + 1);
                s[r] = 1;
                yield s;
            }
        };
        int flat = 0;
        for (int a = 0; a < buffer.length; a++) {
            flat = flat * buffer[a] + b[a];
        }
        return flat;
    }

    /** The view of the buffer that shows the logical tensor. */
    private Tensor view(Tensor buffer, int[] shape) {
        int r = shape.length;
        return switch (this) {
            case CONTIGUOUS -> buffer;
            case TRANSPOSED -> {
                int[] order = new int[r];
                for (int a = 0; a < r; a++) {
                    order[a] = r - 1 - a;
                }
                yield buffer.permute(order);
            }
            case SLICED -> {
                Tensor t = buffer;
                for (int a = 0; a < r; a++) {
                    t = t.slice(a, 1, 1 + shape[a]);
                }
                yield t;
            }
            case STRIDED -> buffer.select(r, 1);
        };
    }

    private static int[] reversed(int[] a) {
        int[] s = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[a.length - 1 - i];
        }
        return s;
    }
}

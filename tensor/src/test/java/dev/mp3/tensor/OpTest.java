package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;

import java.util.Arrays;

/**
 * Base of the op tests: every input is created through {@link #put} on {@link #device()}, so another
 * backend's module can rerun the same cases by subclassing a test and overriding the device.
 */
public abstract class OpTest {

    /** The device under test. */
    protected Device device() {
        return Device.CPU;
    }

    protected Tensor put(Layout layout, float[] values, int... shape) {
        return layout.place(values, shape, device());
    }

    protected Tensor put(float[] values, int... shape) {
        return put(Layout.CONTIGUOUS, values, shape);
    }

    protected Tensor putInts(Layout layout, int[] values, int... shape) {
        return layout.placeInts(values, shape, device());
    }

    protected Tensor putInts(int[] values, int... shape) {
        return putInts(Layout.CONTIGUOUS, values, shape);
    }

    protected Backend backend() {
        return Backends.get(device());
    }

    protected static int numel(int... shape) {
        return Shape.numel(shape);
    }

    protected static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}

package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;

import java.util.Arrays;

/**
 * Base of the op suites that every backend passes. Each case creates its inputs on {@link #device()}
 * (through {@link #put}, {@link #putInts} or {@code to(device())}), calls the op there and reads the
 * result back to compare it with a double-precision reference, never with another backend. Here
 * the device is the CPU; another backend's test module reruns a suite by subclassing it and
 * overriding the device (the OpenCL module's {@code OpenClOpsTest}), so a new op's cases are
 * written once, in its suite. A case whose tolerance legitimately differs on some backend takes it
 * from a protected method with the CPU's value, which that backend's subclass overrides with its
 * reason (see {@link RandomTest#normalAtol}).
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

package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;

/**
 * Shared by the OpenCL tests: the backend (opened once; tests are skipped, with the reason
 * printed, only when no OpenCL platform exists at all), CPU-to-device copies, and the comparison
 * against the CPU backend.
 */
final class ClTestSupport {
    private static ClBackend backend;
    private static boolean skipReported;

    private ClTestSupport() {}

    /** The OpenCL backend, or a skipped test when the machine has no OpenCL platform. */
    static synchronized ClBackend backend() {
        Platforms.Discovery found = Platforms.discover();
        if (!found.found()) {
            String reason = "OpenCL tests skipped: " + found.problem();
            if (!skipReported) {
                System.out.println(reason);
                skipReported = true;
            }
            Assumptions.assumeTrue(false, reason);
        }
        if (backend == null) {
            backend = (ClBackend) Backends.get(Device.parse("opencl"));
            System.out.println("OpenCL tests run on " + backend.deviceInfo().describe());
        }
        return backend;
    }

    static Backend cpu() {
        return Backends.cpu();
    }

    static Tensor toCl(Tensor cpu) {
        return cpu.to(backend().device());
    }

    static Tensor toCpu(Tensor t) {
        return t.to(Device.CPU);
    }

    static Tensor normal(Rng rng, int... shape) {
        return rng.normal(0f, 1f, shape);
    }

    /** Ints uniform in [lo, hi). */
    static Tensor ints(Rng rng, int lo, int hi, int... shape) {
        int[] data = new int[Shape.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = lo + rng.nextInt(hi - lo);
        }
        return Tensor.ofInts(data, shape);
    }

    /**
     * Asserts |actual - expected| <= rtol * (|expected| + rms(expected)) elementwise: relative to the
     * element, with the tensor's RMS as a floor so that elements which cancel to near zero are
     * judged on the scale of the tensor rather than on their own (vanishing) size.
     */
    static void assertClose(String what, Tensor expected, Tensor actual, double rtol) {
        assertClose(what, expected, actual, rtol, 0);
    }

    /** As above plus an absolute tolerance, for results that are rounding noise around zero. */
    static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(what + ": shape " + Shape.str(actual.shape()) + ", expected "
                    + Shape.str(expected.shape()));
        }
        float[] e = expected.dtype() == DType.F32 ? expected.toFloatArray() : toFloats(expected.toIntArray());
        float[] a = actual.dtype() == DType.F32 ? actual.toFloatArray() : toFloats(actual.toIntArray());
        double sq = 0;
        for (float v : e) {
            if (Float.isFinite(v)) {
                sq += (double) v * v;
            }
        }
        double rms = e.length == 0 ? 0 : Math.sqrt(sq / e.length);
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i]) && Float.isNaN(a[i]) || e[i] == a[i]) {
                continue;
            }
            double err = Math.abs((double) a[i] - e[i]);
            double bound = atol + rtol * (Math.abs(e[i]) + rms);
            if (!(err <= bound)) {
                throw new AssertionError(String.format("%s: element %d of %s is %s, expected %s (error %.3g > bound %.3g)",
                        what, i, Shape.str(expected.shape()), a[i], e[i], err, bound));
            }
        }
    }

    /** Bit-for-bit equality (for ops whose arithmetic is the same on both backends). */
    static void assertSame(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, 0);
    }

    private static float[] toFloats(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }
}

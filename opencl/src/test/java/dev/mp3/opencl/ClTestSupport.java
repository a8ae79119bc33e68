package dev.mp3.opencl;

import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;

/**
 * Shared by the OpenCL tests: the backend (opened once; tests are skipped, with the reason
 * printed once, only when no OpenCL platform exists at all), CPU-to-device copies, and the
 * comparison of a whole device training step with the CPU's ({@link TrainingStepTest}).
 */
final class ClTestSupport {
    private static ClBackend backend;
    private static boolean skipReported;

    private ClTestSupport() {}

    /**
     * Whether an OpenCL platform exists; the reason it does not is printed once. For
     * {@code @EnabledIf} on the classes that rerun the shared suites: their cases reach the device
     * inside assertion lambdas, where a failed assumption would be caught as a wrong exception.
     */
    static synchronized boolean platformFound() {
        Platforms.Discovery found = Platforms.discover();
        if (!found.found() && !skipReported) {
            System.out.println(skipReason(found));
            skipReported = true;
        }
        return found.found();
    }

    private static String skipReason(Platforms.Discovery found) {
        return "OpenCL tests skipped: " + found.problem();
    }

    /** The OpenCL backend, or a skipped test when the machine has no OpenCL platform. */
    static synchronized ClBackend backend() {
        if (!platformFound()) {
            Assumptions.assumeTrue(false, skipReason(Platforms.discover()));
        }
        if (backend == null) {
            backend = (ClBackend) Backends.get(Device.parse("opencl"));
            System.out.println("OpenCL tests run on " + backend.deviceInfo().describe());
        }
        return backend;
    }

    /** The OpenCL device the shared op suites run on (see {@link OpenClOpsTest}), or a skipped test. */
    static Device device() {
        return backend().device();
    }

    static Tensor toCl(Tensor cpu) {
        return cpu.to(backend().device());
    }

    static Tensor normal(Rng rng, int... shape) {
        return rng.normal(0f, 1f, shape);
    }

    /**
     * Asserts |actual - expected| <= rtol * (|expected| + rms(expected)) elementwise: relative to the
     * element, with the tensor's RMS as a floor so that elements which cancel to near zero are
     * judged on the scale of the tensor rather than on their own (vanishing) size.
     */
    static void assertClose(String what, Tensor expected, Tensor actual, double rtol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(what + ": shape " + Shape.str(actual.shape()) + ", expected "
                    + Shape.str(expected.shape()));
        }
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
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
            double bound = rtol * (Math.abs(e[i]) + rms);
            if (!(err <= bound)) {
                throw new AssertionError(String.format("%s: element %d of %s is %s, expected %s (error %.3g > bound %.3g)",
                        what, i, Shape.str(expected.shape()), a[i], e[i], err, bound));
            }
        }
    }
}

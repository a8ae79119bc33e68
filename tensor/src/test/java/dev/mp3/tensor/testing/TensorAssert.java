package dev.mp3.tensor.testing;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;

/**
 * Assertions comparing a tensor with a double-precision reference. A failure names what was
 * compared, how many elements are off, and the worst one: its multi-index, both values, the
 * difference and the tolerance it exceeded.
 */
public final class TensorAssert {
    private TensorAssert() {}

    /** Passes when every |actual - expected| <= atol + rtol * |expected| (NaN matches NaN, inf matches inf). */
    public static void assertClose(Tensor actual, Nd expected, double rtol, double atol, String what) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            throw new AssertionError(what + ": shape " + Shape.str(actual.shape()) + ", expected " + Shape.str(expected.shape()));
        }
        assertClose(Nd.of(actual).data(), expected.data(), expected.shape(), rtol, atol, what);
    }

    public static void assertClose(Tensor actual, Nd expected, double rtol, double atol) {
        assertClose(actual, expected, rtol, atol, "tensor");
    }

    /** Flat arrays viewed with a shape (for messages). */
    public static void assertClose(double[] actual, double[] expected, int[] shape, double rtol, double atol, String what) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        int bad = 0;
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < actual.length; i++) {
            double a = actual[i];
            double e = expected[i];
            if (Double.isNaN(a) || Double.isNaN(e) || Double.isInfinite(a) || Double.isInfinite(e)) {
                if (Double.compare(a, e) != 0 && !(Double.isNaN(a) && Double.isNaN(e))) {
                    bad++;
                    if (worst < 0 || worstExcess < Double.POSITIVE_INFINITY) {
                        worst = i;
                        worstExcess = Double.POSITIVE_INFINITY;
                    }
                }
                continue;
            }
            double tol = atol + rtol * Math.abs(e);
            double excess = Math.abs(a - e) / tol;
            if (excess > 1) {
                bad++;
                if (excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (bad > 0) {
            double a = actual[worst];
            double e = expected[worst];
            throw new AssertionError(String.format(
                    "%s: %d of %d elements differ (rtol %.1g, atol %.1g); worst at %s (flat %d) of shape %s: "
                            + "actual %.9g, expected %.9g, |diff| %.3g > tolerance %.3g",
                    what, bad, actual.length, rtol, atol, Arrays.toString(Nd.unravel(worst, shape)), worst,
                    Shape.str(shape), a, e, Math.abs(a - e), atol + rtol * Math.abs(e)));
        }
    }

    /** Same shape, dtype and bit pattern of every element (determinism checks); NaNs count as one value. */
    public static void assertSameBits(Tensor actual, Tensor expected, String what) {
        if (!Arrays.equals(actual.shape(), expected.shape()) || actual.dtype() != expected.dtype()) {
            throw new AssertionError(what + ": " + actual + " vs " + expected);
        }
        int[] a = bits(actual);
        int[] e = bits(expected);
        for (int i = 0; i < a.length; i++) {
            if (a[i] != e[i]) {
                throw new AssertionError(String.format("%s: not bitwise identical at %s (flat %d) of shape %s: %s vs %s",
                        what, Arrays.toString(Nd.unravel(i, actual.shape())), i, Shape.str(actual.shape()),
                        value(actual, a[i]), value(expected, e[i])));
            }
        }
    }

    private static int[] bits(Tensor t) {
        if (t.dtype() == DType.I32) {
            return t.toIntArray();
        }
        float[] f = t.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToIntBits(f[i]);
        }
        return b;
    }

    private static String value(Tensor t, int bits) {
        return t.dtype() == DType.I32 ? Integer.toString(bits) : Float.toString(Float.intBitsToFloat(bits));
    }
}

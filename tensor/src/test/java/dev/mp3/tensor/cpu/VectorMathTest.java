package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JIT-independent exp and tanh: accuracy against the JDK's double-precision functions, and
 * vector lanes bit-identical to the scalar twins (the property the kernels rely on).
 */
class VectorMathTest {

    /** A sweep over [lo, hi] plus the special values. */
    private static float[] inputs(float lo, float hi, int n) {
        float[] x = new float[n + 8];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * i / (n - 1);
        }
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f};
        System.arraycopy(special, 0, x, n, special.length);
        return x;
    }

    /** f over x a vector at a time, the tail through one-lane broadcasts. */
    private static float[] lanewise(float[] x, UnaryOperator<FloatVector> f) {
        float[] out = new float[x.length];
        int i = 0;
        for (; i + L <= x.length; i += L) {
            f.apply(FloatVector.fromArray(S, x, i)).intoArray(out, i);
        }
        for (; i < x.length; i++) {
            out[i] = f.apply(FloatVector.broadcast(S, x[i])).lane(0);
        }
        return out;
    }

    /** Equal bits, with all NaNs counted as one value (their payload carries no meaning). */
    private static void sameBits(float vector, float scalar, String f, float x) {
        if (Float.floatToIntBits(vector) != Float.floatToIntBits(scalar)) {
            throw new AssertionError(f + "(" + x + "): vector lane " + vector + " but scalar twin " + scalar);
        }
    }

    @Test
    void expIsAccurateAndVectorEqualsScalar() {
        float[] x = inputs(-120f, 95f, 50_001);
        float[] v = lanewise(x, VectorMath::exp);           // through expAt
        float[] lanes = lanewise(x, VectorMath::expLanes);  // the form Gelu inlines
        for (int i = 0; i < x.length; i++) {
            float s = VectorMath.exp(x[i]);
            sameBits(v[i], s, "exp", x[i]);
            sameBits(lanes[i], s, "expLanes", x[i]);
            double exact = Math.exp(x[i]);
            boolean ok;
            if (Double.isNaN(exact)) {
                ok = Float.isNaN(s);
            } else if (exact > Float.MAX_VALUE) {
                ok = s == Float.POSITIVE_INFINITY;
            } else if (exact < Float.MIN_NORMAL) {
                ok = Math.abs(s - exact) <= Float.MIN_VALUE; // denormal results: within one step
            } else {
                ok = Math.abs(s - exact) <= 2 * Math.ulp((float) exact);
            }
            if (!ok) {
                throw new AssertionError("exp(" + x[i] + ") = " + s + ", exact " + exact);
            }
        }
        assertThat(VectorMath.exp(0f)).isEqualTo(1f);
        assertThat(VectorMath.exp(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
    }

    @Test
    void tanhIsAccurateAndVectorEqualsScalar() {
        float[] x = inputs(-12f, 12f, 50_001);
        float[] v = lanewise(x, VectorMath::tanh);
        for (int i = 0; i < x.length; i++) {
            float s = VectorMath.tanh(x[i]);
            sameBits(v[i], s, "tanh", x[i]);
            double exact = Math.tanh(x[i]);
            boolean ok = Double.isNaN(exact) ? Float.isNaN(s) : Math.abs(s - exact) <= 3 * Math.ulp((float) exact) + 1e-45;
            if (!ok) {
                throw new AssertionError("tanh(" + x[i] + ") = " + s + ", exact " + exact);
            }
        }
        assertThat(Float.floatToIntBits(VectorMath.tanh(-0f))).isEqualTo(Float.floatToIntBits(-0f));
        assertThat(VectorMath.tanh(Float.POSITIVE_INFINITY)).isEqualTo(1f);
        assertThat(VectorMath.tanh(Float.NEGATIVE_INFINITY)).isEqualTo(-1f);
    }

    @Test
    void sumLanesAddsInLaneOrder() {
        float[] x = new float[L];
        for (int i = 0; i < L; i++) {
            x[i] = (i % 2 == 0 ? 1e8f : 1f) * (i + 1);
        }
        float expected = 0f;
        for (float f : x) {
            expected += f;
        }
        assertThat(VectorMath.sumLanes(FloatVector.fromArray(S, x, 0))).isEqualTo(expected);
    }

    /**
     * The block softmax's parts against the row-by-row expShifted, to the bit: expRun over a block
     * whose rows end mid-vector gives each element exp(x) of the scalar twin, and sumInExpOrder of a
     * row gives the sum expShifted returns for it (whole vectors lane-wise, lanes in order, the tail
     * last), for rows shorter than, equal to and longer than a vector.
     */
    @Test
    void expRunAndSumInExpOrderGiveExpShiftedsBits() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int m : new int[] {1, L - 1, L, L + 2, 3 * L + 2, 50, 97}) {
            int rows = 7;
            float[] x = new float[rows * m];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (40 * (rnd.nextDouble() - 0.5));
            }
            float[] block = new float[x.length];
            float[] shift = new float[rows];
            for (int i = 0; i < rows; i++) {
                shift[i] = ReduceKernels.maxRun(x, i * m, m);
                for (int j = 0; j < m; j++) {
                    block[i * m + j] = x[i * m + j] - shift[i];
                }
            }
            VectorMath.expRun(block, 0, block.length);
            for (int i = 0; i < rows; i++) {
                float[] y = new float[m];
                float sum = VectorMath.expShifted(x, i * m, shift[i], y, 0, m);
                for (int j = 0; j < m; j++) {
                    assertThat(Float.floatToIntBits(block[i * m + j])).as("m %d, row %d, column %d", m, i, j)
                            .isEqualTo(Float.floatToIntBits(y[j]));
                    sameBits(block[i * m + j], VectorMath.exp(x[i * m + j] - shift[i]), "expRun", x[i * m + j]);
                }
                assertThat(Float.floatToIntBits(VectorMath.sumInExpOrder(block, i * m, m))).as("sum, m %d, row %d", m, i)
                        .isEqualTo(Float.floatToIntBits(sum));
            }
        }
    }

    /**
     * sumInExpOrder's order spelled out with scalars: lane l of the accumulator sums elements l,
     * l + L, ... of the whole vectors, the lanes are added to 0 first to last, then the tail one by
     * one. Rows shorter than a vector (which skip the accumulator) included.
     */
    @Test
    void sumInExpOrderAddsTheVectorsLaneWiseThenTheLanesThenTheTail() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(8);
        for (int n = 0; n <= 3 * L + 3; n++) {
            float[] y = new float[n + 5];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) Math.exp(10 * (rnd.nextDouble() - 0.5));
            }
            int off = 5;
            int whole = n / L * L;
            float[] lanes = new float[L];
            for (int i = 0; i < whole; i++) {
                lanes[i % L] += y[off + i];
            }
            float expected = 0f;
            for (float lane : lanes) {
                expected += lane;
            }
            for (int i = whole; i < n; i++) {
                expected += y[off + i];
            }
            assertThat(Float.floatToIntBits(VectorMath.sumInExpOrder(y, off, n))).as("n %d", n)
                    .isEqualTo(Float.floatToIntBits(expected));
        }
    }
}

package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * GELU in its exact form, x Φ(x) = x/2 (1 + erf(x/√2)), and its derivative Φ(x) + x φ(x), over
 * runs of an array. erf uses Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), whose one
 * exponential e = exp(-a²) with a = |x/√2| is also the Gaussian density's: φ(x) = e / √(2π).
 *
 * <p>A run goes through in one pass, a vector at a time, the exponential computed inline
 * ({@link VectorMath#expLanes}); the vector body does the scalar definitions' operations in the
 * same order, so an element's bits do not depend on whether the vector body or the scalar tail
 * computed it. (The run used to go through in chunks of 512, in three passes, exponents to an
 * array, the exponentials over it in place, then the rest, so that no hot loop called a method
 * with a vector argument: C2 inlines expLanes here, and the single pass ran 1.3x faster forward and
 * backward, the same bits; Zen 3, one thread, BENCHMARKS.md 2026-12-01 night.)
 */
final class Gelu {
    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.39894228040143268f;
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;

    private Gelu() {}

    // ---------------------------------------------------------------- scalar definitions

    /** erf(x/√2) given a = |x/√2| and e = exp(-a²), with x's sign. */
    private static float erf(float x, float a, float e) {
        float t = 1f / Math.fma(a, P, 1f);
        float poly = Math.fma(Math.fma(Math.fma(Math.fma(t, A5, A4), t, A3), t, A2), t, A1) * t;
        float r = 1f - poly * e;
        return x < 0 ? -r : r;
    }

    static float forward(float x) {
        float a = Math.abs(x * SQRT_HALF);
        float e = VectorMath.exp(-(a * a));
        return x * 0.5f * (erf(x, a, e) + 1f);
    }

    static float derivative(float x) {
        float a = Math.abs(x * SQRT_HALF);
        float e = VectorMath.exp(-(a * a));
        float cdf = (erf(x, a, e) + 1f) * 0.5f;
        return Math.fma(x, e * INV_SQRT_2PI, cdf);
    }

    // ---------------------------------------------------------------- runs

    /** out[o + i] = GELU(x[xo + i * xs]). */
    static void forwardRun(float[] x, int xo, int xs, float[] out, int o, int len) {
        int i = 0;
        if (xs == 1) {
            for (int bound = S.loopBound(len); i < bound; i += L) {
                FloatVector vx = FloatVector.fromArray(S, x, xo + i);
                FloatVector r = erf(vx, density(vx));
                vx.mul(0.5f).mul(r.add(1f)).intoArray(out, o + i);
            }
        }
        for (; i < len; i++) {
            out[o + i] = forward(x[xo + i * xs]);
        }
    }

    /** out[o + i] = gy[go + i * gs] * GELU'(x[xo + i * xs]). */
    static void backwardRun(float[] x, int xo, int xs, float[] gy, int go, int gs, float[] out, int o, int len) {
        int i = 0;
        if (xs == 1 && gs == 1) {
            for (int bound = S.loopBound(len); i < bound; i += L) {
                FloatVector vx = FloatVector.fromArray(S, x, xo + i);
                FloatVector ve = density(vx);
                FloatVector cdf = erf(vx, ve).add(1f).mul(0.5f);
                vx.fma(ve.mul(INV_SQRT_2PI), cdf).mul(FloatVector.fromArray(S, gy, go + i)).intoArray(out, o + i);
            }
        }
        for (; i < len; i++) {
            out[o + i] = gy[go + i * gs] * derivative(x[xo + i * xs]);
        }
    }

    /** The vector form of exp(-a²), a = |x/√2| (the exponential of {@link #forward}). Small: always inlined. */
    private static FloatVector density(FloatVector x) {
        FloatVector a = x.mul(SQRT_HALF).abs();
        return VectorMath.expLanes(a.mul(a).neg());
    }

    /** The vector form of {@link #erf(float, float, float)}, a recomputed from x. Small: always inlined. */
    private static FloatVector erf(FloatVector x, FloatVector e) {
        FloatVector a = x.mul(SQRT_HALF).abs();
        FloatVector t = FloatVector.broadcast(S, 1f).div(a.fma(P, 1f));
        FloatVector poly = t.fma(A5, A4).fma(t, FloatVector.broadcast(S, A3)).fma(t, FloatVector.broadcast(S, A2))
                .fma(t, FloatVector.broadcast(S, A1)).mul(t);
        FloatVector r = FloatVector.broadcast(S, 1f).sub(poly.mul(e));
        VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
        return r.blend(r.neg(), negative);
    }
}

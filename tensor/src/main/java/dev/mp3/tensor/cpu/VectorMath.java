package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * exp, tanh and lane sums whose results do not depend on how the JVM runs them.
 *
 * <p>Why not {@code lanewise(EXP)}, {@code lanewise(TANH)} and {@code reduceLanes(ADD)}: the
 * Vector API computes those with one algorithm while a method is interpreted (per-lane
 * {@link Math} calls, lanes summed in order) and with another once C2 compiles it (a vector math
 * library, a tree of lane sums). The same call then gives different bits early and late in a run,
 * and a run is not reproducible from its seed. The functions here use only add, multiply, fused
 * multiply-add, divide, min/max and integer bit operations, which IEEE 754 defines exactly, so
 * every execution mode agrees. Each vector function has a scalar twin that performs the same
 * operations in the same order, so a scalar tail of a loop gives the bits the vector body would.
 */
final class VectorMath {
    private VectorMath() {}

    // exp: x = n ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 in two parts), e^r by Cephes' expf
    // polynomial (about 1 ulp), and 2^n assembled from exponent bits in two halves so that
    // results from 2^-149 (denormal) to overflow come out right.
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer, which then sits in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Beyond these, e^x is 0 or +inf in float; clamping keeps n within what the bit trick handles. */
    private static final float EXP_MIN = -110f;
    private static final float EXP_MAX = 89f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    static float exp(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        float xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = Math.fma(xc, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(P0, r, P1), r, P2), r, P3), r, P4), r, P5);
        p = Math.fma(p, r * r, r) + 1f;
        int k = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        int k1 = k >> 1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k - k1 + 127) << 23);
    }

    /**
     * A small wrapper, so that C2 always inlines it: a method with vector arguments that is not
     * inlined must box its vectors, which costs more than the arithmetic. The work happens in
     * {@link #expAt}, whose array argument is cheap to pass whether or not it is inlined.
     */
    static FloatVector exp(FloatVector x) {
        float[] lanes = new float[L];
        x.intoArray(lanes, 0);
        expAt(lanes, 0);
        return FloatVector.fromArray(S, lanes, 0);
    }

    /**
     * One vector's worth of a[off..off+L) replaced by its exponentials: {@link #expLanes}'
     * arithmetic, written out again here so that no vector crosses this method's boundary. C2
     * inlines a call of this size only where the caller's profile says it is hot, and a caller
     * compiled from a tier-2 profile has no call counts; a vector argument or result of a call left
     * out of line is boxed (an object and its float[16]), at many times the cost of the
     * arithmetic. When this method called expLanes, C2 inlined it into the softmax rows'
     * {@link #expShifted} but not expLanes into it ("failed to inline: too big", -XX:+PrintInlining),
     * and the ViT-S MP3 step allocated about 85 MB of boxes a step there (JFR; BENCHMARKS.md,
     * 2026-12-02 night). An array argument costs nothing to pass out of line.
     */
    private static void expAt(float[] a, int off) {
        FloatVector x = FloatVector.fromArray(S, a, off);
        FloatVector xc = x.blend(FloatVector.broadcast(S, EXP_MIN), x.compare(VectorOperators.LT, EXP_MIN));
        xc = xc.blend(FloatVector.broadcast(S, EXP_MAX), xc.compare(VectorOperators.GT, EXP_MAX));
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, P0).fma(r, FloatVector.broadcast(S, P1))
                .fma(r, FloatVector.broadcast(S, P2)).fma(r, FloatVector.broadcast(S, P3))
                .fma(r, FloatVector.broadcast(S, P4)).fma(r, FloatVector.broadcast(S, P5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector k = t.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        p.mul(s1).mul(s2).blend(x, x.compare(VectorOperators.NE, x)).intoArray(a, off);
    }

    /**
     * e^x lane by lane, the arithmetic of {@link #exp(float)}. For loops whose body C2 compiles
     * with this inlined: {@link Gelu}'s runs, whose speed shows it (elsewhere {@link #expAt}).
     */
    static FloatVector expLanes(FloatVector x) {
        // The clamp of exp(float), Math.max(x, EXP_MIN) then Math.min(.., EXP_MAX), as two compares
        // and blends: the same lanes for every x (a NaN fails both compares and passes through, as
        // through max and min), where FloatVector.max and min carry Java's NaN and signed-zero
        // rules as several instructions each on AVX2.
        FloatVector xc = x.blend(FloatVector.broadcast(S, EXP_MIN), x.compare(VectorOperators.LT, EXP_MIN));
        xc = xc.blend(FloatVector.broadcast(S, EXP_MAX), xc.compare(VectorOperators.GT, EXP_MAX));
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, P0).fma(r, FloatVector.broadcast(S, P1))
                .fma(r, FloatVector.broadcast(S, P2)).fma(r, FloatVector.broadcast(S, P3))
                .fma(r, FloatVector.broadcast(S, P4)).fma(r, FloatVector.broadcast(S, P5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector k = t.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        // x != x only for NaN; compare is an intrinsic on every vector ISA, test(IS_NAN) is not.
        return p.mul(s1).mul(s2).blend(x, x.compare(VectorOperators.NE, x));
    }

    /**
     * y[yo + i] = exp(x[xo + i] - shift) for i < n (x and y may be the same array), returning the
     * sum of the results (vector lanes in order, then the tail). The row kernels' softmax step.
     */
    static float expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
        // Three passes over the row (in L1), so that no vector is live across expAt, a call C2 may
        // leave out of line (see there): the shift, the exponentials, their sum.
        FloatVector vs = FloatVector.broadcast(S, shift);
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).sub(vs).intoArray(y, yo + i);
        }
        for (int i = bound; i < n; i++) {
            y[yo + i] = x[xo + i] - shift;
        }
        expRun(y, yo, n);
        return sumInExpOrder(y, yo, n);
    }

    /**
     * The sum of y[off, off + n) in the order {@link #expShifted} adds its results: the whole
     * vectors lane by lane, the lanes in order, then the tail one float at a time. A softmax that
     * takes its exponentials from {@link #expRun} gets the bits of one that takes them from
     * expShifted.
     */
    static float sumInExpOrder(float[] y, int off, int n) {
        int bound = S.loopBound(n);
        float sum = 0f;
        // A row shorter than a vector (attention's 13 context tokens, say) has no lanes to add:
        // they would add sixteen zeros to 0, so it skips them, to the same bits.
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < bound; i += L) {
                acc = acc.add(FloatVector.fromArray(S, y, off + i));
            }
            // sumLanes(acc), written out: a vector passed to a call that C2 leaves out of line is
            // boxed, and expShifted, compiled on its own, left that call out ("inlining prohibited
            // by policy"): a vector and its float[16] allocated per row of attention and
            // cross-entropy (JFR, BENCHMARKS.md, 2026-12-02 evening). Same order, same bits.
            for (int l = 0; l < L; l++) {
                sum += acc.lane(l);
            }
        }
        for (int i = bound; i < n; i++) {
            sum += y[off + i];
        }
        return sum;
    }

    /**
     * a[off, off + n) replaced by e^a, element by element: whole vectors through {@link #expAt},
     * the tail through the scalar twin, the same bits either way. (A masked vector for the tail
     * cost as much as the six whole vectors before it in a row of 50: 1.2-1.8x slower per row of
     * 50 or 98, AVX2 Zen 3.) Over a block of short rows at once the tail is short too: attention's
     * 50 x 50 scores are 156 vectors and 4 floats, where row by row they were 150 vectors and 100
     * floats through the slower scalar form.
     */
    static void expRun(float[] a, int off, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            expAt(a, off + i);
        }
        for (int i = bound; i < n; i++) {
            a[off + i] = exp(a[off + i]);
        }
    }

    // tanh, Cephes' tanhf: x (1 + x^2 P(x^2)) for |x| < 0.625 (a product, so tanh(-0) = -0), else
    // 1 - 2/(e^{2|x|} + 1) with x's sign.
    private static final float TANH_SMALL = 0.625f;
    private static final float T0 = -5.70498872745e-3f;
    private static final float T1 = 2.06390887954e-2f;
    private static final float T2 = -5.37397155531e-2f;
    private static final float T3 = 1.33314422036e-1f;
    private static final float T4 = -3.33332819422e-1f;

    static float tanh(float x) {
        float a = Math.abs(x);
        if (a < TANH_SMALL) {
            float z = x * x;
            float p = Math.fma(Math.fma(Math.fma(Math.fma(T0, z, T1), z, T2), z, T3), z, T4);
            return x * Math.fma(p, z, 1f);
        }
        float big = 1f - 2f / (exp(a + a) + 1f);
        return x < 0 ? -big : big;
    }

    /** A small wrapper around {@link #tanhLanes}, for the reason given at {@link #exp(FloatVector)}. */
    static FloatVector tanh(FloatVector x) {
        float[] lanes = new float[L];
        x.intoArray(lanes, 0);
        tanhLanes(lanes);
        return FloatVector.fromArray(S, lanes, 0);
    }

    private static void tanhLanes(float[] lanes) {
        FloatVector x = FloatVector.fromArray(S, lanes, 0);
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, T0).fma(z, FloatVector.broadcast(S, T1))
                .fma(z, FloatVector.broadcast(S, T2)).fma(z, FloatVector.broadcast(S, T3))
                .fma(z, FloatVector.broadcast(S, T4));
        FloatVector small = x.mul(p.fma(z, FloatVector.broadcast(S, 1f)));
        FloatVector big = FloatVector.broadcast(S, 2f).div(exp(a.add(a)).add(1f)).neg().add(1f);
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        big.blend(small, a.compare(VectorOperators.LT, TANH_SMALL)).intoArray(lanes, 0);
    }

    /**
     * Sum of the lanes, first to last: the same order whether or not the JIT compiled the caller.
     * Lane by lane: through a scratch array (stored, then read back) the JIT allocated the array
     * on every call, and a row's sum of squares took 1.2-1.55x as long at rows of 192 and 384 floats
     * (0.9-1.6x at 128; AVX2 Zen 3; BENCHMARKS.md, 2026-12-02 late morning).
     */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < L; i++) {
            s += v.lane(i);
        }
        return s;
    }
}

package dev.mp3.tensor.cpu;

import dev.mp3.tensor.BinaryOp;
import dev.mp3.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise kernels on float arrays, Adam's update among them: a Vector API loop for unit-stride
 * runs and a scalar loop for strided runs and tails. Each scalar function performs the same float
 * operations in the same order as its vector form (exp and tanh from {@link VectorMath}), so an
 * element's bits do not depend on which of the two computed it, nor on where a thread's range began.
 */
final class ElementwiseKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static final float GELU_TANH_C = 0.7978845608028654f; // sqrt(2/pi)
    private static final float GELU_TANH_A = 0.044715f;

    private ElementwiseKernels() {}

    // ---------------------------------------------------------------- scalar definitions

    static float unary(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> VectorMath.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> 1f / (float) Math.sqrt(x);
            case TANH -> VectorMath.tanh(x);
            case RELU -> Math.max(x, 0f);
            case GELU -> Gelu.forward(x);
            case GELU_TANH -> x * 0.5f * (VectorMath.tanh(Math.fma(x * x * x, GELU_TANH_A, x) * GELU_TANH_C) + 1f);
            case SIGMOID -> 1f / (VectorMath.exp(-x) + 1f);
            case SQUARE -> x * x;
            case ABS -> Math.abs(x);
        };
    }

    /** d op(x) / dx. */
    static float derivative(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -1f;
            case EXP -> VectorMath.exp(x);
            case LOG -> 1f / x;
            case SQRT -> (float) (0.5 / Math.sqrt(x));
            case RSQRT -> (float) (-0.5 / (x * Math.sqrt(x)));
            case TANH -> {
                float t = VectorMath.tanh(x);
                yield 1f - t * t;
            }
            case RELU -> x > 0 ? 1f : 0f;
            case GELU -> Gelu.derivative(x);
            case GELU_TANH -> {
                float x2 = x * x;
                float t = VectorMath.tanh(Math.fma(x2, GELU_TANH_A, 1f) * x * GELU_TANH_C);
                float du = Math.fma(x2, 3f * GELU_TANH_A, 1f) * GELU_TANH_C;
                yield (t + 1f) * 0.5f + x * 0.5f * (1f - t * t) * du;
            }
            case SIGMOID -> {
                float s = unary(UnaryOp.SIGMOID, x);
                yield s * (1f - s);
            }
            case SQUARE -> 2f * x;
            case ABS -> x > 0 ? 1f : (x < 0 ? -1f : 0f);
        };
    }

    static float binary(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    // ---------------------------------------------------------------- vector forms (same operations)

    private static FloatVector inv(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(x);
    }

    /** A function without an exact vector form, applied lane by lane with its scalar definition. */
    private static FloatVector perLane(FloatVector x, java.util.function.DoubleUnaryOperator f) {
        float[] lanes = new float[L];
        x.intoArray(lanes, 0);
        for (int i = 0; i < L; i++) {
            lanes[i] = (float) f.applyAsDouble(lanes[i]);
        }
        return FloatVector.fromArray(S, lanes, 0);
    }

    static FloatVector unary(UnaryOp op, FloatVector x) {
        return switch (op) {
            case NEG -> x.neg();
            case EXP -> VectorMath.exp(x);
            case LOG -> perLane(x, v -> unary(UnaryOp.LOG, (float) v));
            case SQRT -> x.sqrt();
            case RSQRT -> inv(x.sqrt());
            case TANH -> VectorMath.tanh(x);
            case RELU -> x.max(0f);
            case GELU -> perLane(x, v -> Gelu.forward((float) v));
            case GELU_TANH -> x.mul(0.5f).mul(VectorMath.tanh(x.mul(x).mul(x).fma(FloatVector.broadcast(S, GELU_TANH_A), x).mul(GELU_TANH_C)).add(1f));
            case SIGMOID -> inv(VectorMath.exp(x.neg()).add(1f));
            case SQUARE -> x.mul(x);
            case ABS -> x.abs();
        };
    }

    static FloatVector derivative(UnaryOp op, FloatVector x) {
        return switch (op) {
            case GELU_TANH -> {
                FloatVector x2 = x.mul(x);
                FloatVector t = VectorMath.tanh(x2.fma(GELU_TANH_A, 1f).mul(x).mul(GELU_TANH_C));
                FloatVector du = x2.fma(3f * GELU_TANH_A, 1f).mul(GELU_TANH_C);
                yield t.add(1f).mul(0.5f).add(x.mul(0.5f).mul(FloatVector.broadcast(S, 1f).sub(t.mul(t))).mul(du));
            }
            case RELU -> FloatVector.zero(S).blend(1f, x.compare(VectorOperators.GT, 0f));
            case TANH -> {
                FloatVector t = VectorMath.tanh(x);
                yield FloatVector.broadcast(S, 1f).sub(t.mul(t));
            }
            case EXP -> VectorMath.exp(x);
            default -> perLane(x, v -> derivative(op, (float) v));
        };
    }

    static FloatVector binary(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
        };
    }

    // ---------------------------------------------------------------- loops over runs

    /** out[o..o+len) = op(x[xo + i*xs]). */
    static void unaryRun(UnaryOp op, float[] x, int xo, int xs, float[] out, int o, int len) {
        if (op == UnaryOp.GELU) {
            Gelu.forwardRun(x, xo, xs, out, o, len);
            return;
        }
        int i = 0;
        if (xs == 1) {
            for (int bound = S.loopBound(len); i < bound; i += L) {
                unary(op, FloatVector.fromArray(S, x, xo + i)).intoArray(out, o + i);
            }
            if (i < len) {
                VectorMask<Float> m = S.indexInRange(i, len);
                unary(op, FloatVector.fromArray(S, x, xo + i, m)).intoArray(out, o + i, m);
            }
            return;
        }
        for (; i < len; i++) {
            out[o + i] = unary(op, x[xo + i * xs]);
        }
    }

    /** out = gy * op'(x) over a run; gy has its own stride. */
    static void unaryBackwardRun(UnaryOp op, float[] x, int xo, int xs, float[] gy, int go, int gs,
                                 float[] out, int o, int len) {
        if (op == UnaryOp.GELU) {
            Gelu.backwardRun(x, xo, xs, gy, go, gs, out, o, len);
            return;
        }
        int i = 0;
        if (xs == 1 && gs == 1) {
            for (int bound = S.loopBound(len); i < bound; i += L) {
                FloatVector d = derivative(op, FloatVector.fromArray(S, x, xo + i));
                d.mul(FloatVector.fromArray(S, gy, go + i)).intoArray(out, o + i);
            }
        }
        for (; i < len; i++) {
            out[o + i] = gy[go + i * gs] * derivative(op, x[xo + i * xs]);
        }
    }

    static void binaryRun(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                          float[] out, int o, int len) {
        int i = 0;
        if (as == 1 && bs == 1) {
            for (int bound = S.loopBound(len); i < bound; i += L) {
                binary(op, FloatVector.fromArray(S, a, ao + i), FloatVector.fromArray(S, b, bo + i)).intoArray(out, o + i);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (int bound = S.loopBound(len); i < bound; i += L) {
                binary(op, FloatVector.fromArray(S, a, ao + i), vb).intoArray(out, o + i);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (int bound = S.loopBound(len); i < bound; i += L) {
                binary(op, va, FloatVector.fromArray(S, b, bo + i)).intoArray(out, o + i);
            }
        }
        for (; i < len; i++) {
            out[o + i] = binary(op, a[ao + i * as], b[bo + i * bs]);
        }
    }

    static void affineRun(float[] x, int xo, int xs, float scale, float shift, float[] out, int o, int len) {
        int i = 0;
        if (xs == 1) {
            for (int bound = S.loopBound(len); i < bound; i += L) {
                FloatVector.fromArray(S, x, xo + i).fma(scale, shift).intoArray(out, o + i);
            }
        }
        for (; i < len; i++) {
            out[o + i] = Math.fma(x[xo + i * xs], scale, shift);
        }
    }

    /** y += alpha * x over contiguous runs. */
    static void axpy(float[] y, int yo, float alpha, float[] x, int xo, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(FloatVector.broadcast(S, alpha), FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    /** The Adam/AdamW update over elements [lo, hi) of a parameter p, its gradient g and moments m and v. */
    static void adam(float[] p, float[] g, float[] m, float[] v, int lo, int hi, float lr, float beta1, float beta2,
                     float eps, float weightDecay, boolean decoupled, float bias1, float bias2) {
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        float stepSize = lr / bias1;
        float invSqrtBias2 = (float) (1.0 / Math.sqrt(bias2));
        int i = lo;
        for (int bound = lo + S.loopBound(hi - lo); i < bound; i += L) {
            FloatVector vp = FloatVector.fromArray(S, p, i);
            FloatVector vg = FloatVector.fromArray(S, g, i).add(vp.mul(l2));
            FloatVector vm = FloatVector.fromArray(S, m, i).mul(beta1).add(vg.mul(1f - beta1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(vg.mul(vg).mul(1f - beta2));
            vm.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector denom = vv.sqrt().mul(invSqrtBias2).add(eps);
            vp.mul(decay).sub(vm.div(denom).mul(stepSize)).intoArray(p, i);
        }
        // The tail repeats the vector body's operations in its order, so an element's result does
        // not depend on whether a thread's range boundary put it in the body or the tail.
        for (; i < hi; i++) {
            float gi = g[i] + p[i] * l2;
            m[i] = m[i] * beta1 + gi * (1f - beta1);
            v[i] = v[i] * beta2 + gi * gi * (1f - beta2);
            float denom = (float) Math.sqrt(v[i]) * invSqrtBias2 + eps;
            p[i] = p[i] * decay - m[i] / denom * stepSize;
        }
    }
}

package dev.mp3.tensor.cpu;

import dev.mp3.tensor.BinaryOp;
import dev.mp3.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise kernels on float arrays: a Vector API loop for unit-stride runs (with a scalar tail)
 * and a scalar loop for strided runs. The scalar functions here are also the definitions the
 * vector ones must agree with.
 */
final class Elementwise {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.39894228040143268f;
    private static final float GELU_TANH_C = 0.7978845608028654f; // sqrt(2/pi)
    private static final float GELU_TANH_A = 0.044715f;

    private Elementwise() {}

    // ---------------------------------------------------------------- scalar definitions

    /** erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
    static float erf(float z) {
        float a = Math.abs(z);
        float t = 1f / (1f + 0.3275911f * a);
        float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
        float r = 1f - poly * (float) Math.exp(-a * a);
        return Math.copySign(r, z);
    }

    static float unary(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> (float) (1.0 / Math.sqrt(x));
            case TANH -> (float) Math.tanh(x);
            case RELU -> x > 0 ? x : 0f;
            case GELU -> 0.5f * x * (1f + erf(x * SQRT_HALF));
            case GELU_TANH -> 0.5f * x * (1f + (float) Math.tanh(GELU_TANH_C * (x + GELU_TANH_A * x * x * x)));
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case SQUARE -> x * x;
            case ABS -> Math.abs(x);
        };
    }

    /** d op(x) / dx. */
    static float derivative(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -1f;
            case EXP -> (float) Math.exp(x);
            case LOG -> 1f / x;
            case SQRT -> (float) (0.5 / Math.sqrt(x));
            case RSQRT -> (float) (-0.5 / (x * Math.sqrt(x)));
            case TANH -> {
                float t = (float) Math.tanh(x);
                yield 1f - t * t;
            }
            case RELU -> x > 0 ? 1f : 0f;
            case GELU -> 0.5f * (1f + erf(x * SQRT_HALF)) + x * INV_SQRT_2PI * (float) Math.exp(-0.5f * x * x);
            case GELU_TANH -> {
                float u = GELU_TANH_C * (x + GELU_TANH_A * x * x * x);
                float t = (float) Math.tanh(u);
                yield 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * GELU_TANH_C * (1f + 3f * GELU_TANH_A * x * x);
            }
            case SIGMOID -> {
                float s = (float) (1.0 / (1.0 + Math.exp(-x)));
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

    // ---------------------------------------------------------------- vector forms

    private static FloatVector inv(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(x);
    }

    private static FloatVector erf(FloatVector z) {
        FloatVector a = z.abs();
        FloatVector t = inv(a.fma(0.3275911f, 1f));
        FloatVector poly = t.fma(1.061405429f, -1.453152027f).fma(t, FloatVector.broadcast(S, 1.421413741f))
                .fma(t, FloatVector.broadcast(S, -0.284496736f)).fma(t, FloatVector.broadcast(S, 0.254829592f)).mul(t);
        FloatVector r = poly.mul(a.mul(a).neg().lanewise(VectorOperators.EXP)).neg().add(1f);
        return r.blend(r.neg(), z.compare(VectorOperators.LT, 0f));
    }

    static FloatVector unary(UnaryOp op, FloatVector x) {
        return switch (op) {
            case NEG -> x.neg();
            case EXP -> x.lanewise(VectorOperators.EXP);
            case LOG -> x.lanewise(VectorOperators.LOG);
            case SQRT -> x.sqrt();
            case RSQRT -> inv(x.sqrt());
            case TANH -> x.lanewise(VectorOperators.TANH);
            case RELU -> x.max(0f);
            case GELU -> gelu(x);
            case GELU_TANH -> geluTanh(x);
            case SIGMOID -> inv(x.neg().lanewise(VectorOperators.EXP).add(1f));
            case SQUARE -> x.mul(x);
            case ABS -> x.abs();
        };
    }

    private static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(SQRT_HALF)).add(1f));
    }

    private static FloatVector geluTanh(FloatVector x) {
        FloatVector u = x.mul(x).mul(x).fma(FloatVector.broadcast(S, GELU_TANH_A), x).mul(GELU_TANH_C);
        return x.mul(0.5f).mul(u.lanewise(VectorOperators.TANH).add(1f));
    }

    static FloatVector derivative(UnaryOp op, FloatVector x) {
        return switch (op) {
            case GELU -> geluDerivative(x);
            case GELU_TANH -> geluTanhDerivative(x);
            case RELU -> FloatVector.zero(S).blend(1f, x.compare(VectorOperators.GT, 0f));
            case TANH -> {
                FloatVector t = x.lanewise(VectorOperators.TANH);
                yield t.mul(t).neg().add(1f);
            }
            case EXP -> x.lanewise(VectorOperators.EXP);
            default -> {
                float[] tmp = new float[L];
                x.intoArray(tmp, 0);
                for (int i = 0; i < L; i++) {
                    tmp[i] = derivative(op, tmp[i]);
                }
                yield FloatVector.fromArray(S, tmp, 0);
            }
        };
    }

    private static FloatVector geluDerivative(FloatVector x) {
        FloatVector cdf = erf(x.mul(SQRT_HALF)).add(1f).mul(0.5f);
        FloatVector pdf = x.mul(x).mul(-0.5f).lanewise(VectorOperators.EXP).mul(INV_SQRT_2PI);
        return x.fma(pdf, cdf);
    }

    private static FloatVector geluTanhDerivative(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector t = x2.fma(GELU_TANH_A, 1f).mul(x).mul(GELU_TANH_C).lanewise(VectorOperators.TANH);
        FloatVector du = x2.fma(3f * GELU_TANH_A, 1f).mul(GELU_TANH_C);
        return t.add(1f).mul(0.5f).add(x.mul(0.5f).mul(t.mul(t).neg().add(1f)).mul(du));
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
}

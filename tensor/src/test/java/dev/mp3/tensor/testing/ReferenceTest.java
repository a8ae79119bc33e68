package dev.mp3.tensor.testing;

import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Checks the oracle itself: known values, hand-computed cases, and every backward formula of
 * {@link Reference} against double-precision central differences of its own forward.
 */
class ReferenceTest {

    @Test
    void erfMatchesTabulatedValues() {
        // Reference values: the C library erf (glibc), printed to 16 digits.
        double[][] table = {
            {0, 0}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149},
            {1.5, 0.9661051464753108}, {2, 0.9953222650189527}, {2.9, 0.9999589021219005},
            {3, 0.9999779095030014}, {3.5, 0.9999992569016276}, {4, 0.9999999845827421}, {6, 1.0},
        };
        for (double[] row : table) {
            assertThat(Reference.erf(row[0])).as("erf(%s)", row[0]).isCloseTo(row[1], within(1e-14));
            assertThat(Reference.erf(-row[0])).isCloseTo(-row[1], within(1e-14));
        }
        // Continuity where the two evaluation methods meet.
        assertThat(Reference.erf(Math.nextDown(2.0))).isCloseTo(Reference.erf(2.0), within(1e-14));
    }

    @Test
    void unaryDerivativesMatchFiniteDifferences() {
        for (UnaryOp op : UnaryOp.values()) {
            for (double x : new double[] {-2.3, -0.7, 0.4, 1.9}) {
                double at = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT ? Math.abs(x) : x;
                double h = 1e-6;
                double numeric = (Reference.unary(op, at + h) - Reference.unary(op, at - h)) / (2 * h);
                assertThat(Reference.derivative(op, at)).as("%s'(%s)", op, at).isCloseTo(numeric, within(1e-7));
            }
        }
    }

    @Test
    void broadcastingAndMatmulByHand() {
        Nd a = new Nd(new int[] {2, 1}, new double[] {1, 2});
        Nd b = new Nd(new int[] {3}, new double[] {10, 20, 30});
        assertThat(Reference.binary(dev.mp3.tensor.BinaryOp.ADD, a, b).data()).containsExactly(11, 21, 31, 12, 22, 32);
        Nd m = new Nd(new int[] {2, 2}, new double[] {1, 2, 3, 4});
        Nd n = new Nd(new int[] {2, 2}, new double[] {5, 6, 7, 8});
        assertThat(Reference.matmul(m, false, n, false).data()).containsExactly(19, 22, 43, 50);
        assertThat(Reference.matmul(m, true, n, false).data()).containsExactly(26, 30, 38, 44);
        assertThat(Reference.matmul(m, false, n, true).data()).containsExactly(17, 23, 39, 53);
        Nd batched = Reference.matmul(new Nd(new int[] {2, 1, 2}, new double[] {1, 0, 0, 1}), false, n, false);
        assertThat(batched.shape()).containsExactly(2, 1, 2);
        assertThat(batched.data()).containsExactly(5, 6, 7, 8);
        assertThatThrownBy(() -> Reference.broadcastShape(new int[] {3}, new int[] {4})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adamOneStepByHand() {
        // t = 1: m = 0.1 g, v = 0.001 g^2, bias-corrected m/sqrt(v) = sign(g): p -= lr * g/(|g| + eps').
        Nd p = new Nd(new int[] {1}, new double[] {1.0});
        Nd g = new Nd(new int[] {1}, new double[] {0.5});
        Nd zero = Nd.zeros(1);
        var s = Reference.adam(p, g, zero, zero, 0.1, 0.9, 0.999, 0, 0, false, 1);
        assertThat(s.param().data()[0]).isCloseTo(0.9, within(1e-12));
        assertThat(s.m().data()[0]).isCloseTo(0.05, within(1e-15));
        assertThat(s.v().data()[0]).isCloseTo(0.00025, within(1e-15));
        var w = Reference.adam(p, g, zero, zero, 0.1, 0.9, 0.999, 0, 0.5, true, 1);
        assertThat(w.param().data()[0]).isCloseTo(1.0 * (1 - 0.05) - 0.1, within(1e-12));
    }

    /** Central differences of a scalar function of one Nd, in double precision. */
    private static Nd numericGrad(Function<Nd, Double> f, Nd x) {
        double[] g = new double[x.numel()];
        double h = 1e-6;
        for (int i = 0; i < g.length; i++) {
            double[] plus = x.data().clone();
            double[] minus = x.data().clone();
            plus[i] += h;
            minus[i] -= h;
            g[i] = (f.apply(new Nd(x.shape(), plus)) - f.apply(new Nd(x.shape(), minus))) / (2 * h);
        }
        return new Nd(x.shape(), g);
    }

    private static double dot(Nd a, Nd b) {
        double s = 0;
        for (int i = 0; i < a.numel(); i++) {
            s += a.data()[i] * b.data()[i];
        }
        return s;
    }

    private static Nd normal(long seed, int... shape) {
        return Nd.of(TestData.normal(seed, Tensor.zeros(shape).numel(), 1), shape);
    }

    private static void assertNdClose(Nd actual, Nd expected, String what) {
        TensorAssert.assertClose(actual.data(), expected.data(), expected.shape(), 1e-6, 1e-8, what);
    }

    @Test
    void softmaxBackwardMatchesFiniteDifferences() {
        Nd x = normal(1, 3, 5);
        Nd gy = normal(2, 3, 5);
        for (boolean log : new boolean[] {false, true}) {
            Nd numeric = numericGrad(z -> dot(Reference.softmax(z, log), gy), x);
            assertNdClose(Reference.softmaxBackward(x, gy, log), numeric, "softmax backward log=" + log);
        }
    }

    @Test
    void layerNormBackwardMatchesFiniteDifferences() {
        Nd x = normal(3, 4, 7);
        Nd gamma = normal(4, 7);
        Nd beta = normal(5, 7);
        Nd gy = normal(6, 4, 7);
        double eps = 1e-3;
        var grads = Reference.layerNormBackward(gy, x, gamma, eps);
        assertNdClose(grads.dx(), numericGrad(z -> dot(Reference.layerNorm(z, gamma, beta, eps).y(), gy), x), "layerNorm dx");
        assertNdClose(grads.dgamma(), numericGrad(z -> dot(Reference.layerNorm(x, z, beta, eps).y(), gy), gamma), "layerNorm dgamma");
        assertNdClose(grads.dbeta(), numericGrad(z -> dot(Reference.layerNorm(x, gamma, z, eps).y(), gy), beta), "layerNorm dbeta");
    }

    @Test
    void crossEntropyBackwardMatchesFiniteDifferences() {
        Nd logits = normal(7, 4, 6);
        int[] targets = {2, -1, 5, 0};
        Nd gLoss = normal(8, 4);
        for (double s : new double[] {0, 0.1}) {
            Nd numeric = numericGrad(z -> dot(Reference.crossEntropy(z, targets, s), gLoss), logits);
            assertNdClose(Reference.crossEntropyBackward(logits, targets, s, gLoss), numeric, "crossEntropy smoothing " + s);
        }
        // Loss by hand for one row: uniform logits give log C (whatever the smoothing).
        Nd flat = Nd.zeros(1, 4);
        assertThat(Reference.crossEntropy(flat, new int[] {3}, 0.2).data()[0]).isCloseTo(Math.log(4), within(1e-12));
    }

    @Test
    void attentionBackwardMatchesFiniteDifferences() {
        Nd q = normal(9, 2, 2, 3, 4);
        Nd k = normal(10, 2, 2, 5, 4);
        Nd v = normal(11, 2, 2, 5, 4);
        Nd bias = normal(12, 2, 3, 5);
        Nd g = normal(13, 2, 2, 3, 4);
        double scale = 0.6;
        var grads = Reference.attentionBackward(q, k, v, bias, scale, g);
        assertNdClose(grads.dq(), numericGrad(z -> dot(Reference.attention(z, k, v, bias, scale).out(), g), q), "attention dq");
        assertNdClose(grads.dk(), numericGrad(z -> dot(Reference.attention(q, z, v, bias, scale).out(), g), k), "attention dk");
        assertNdClose(grads.dv(), numericGrad(z -> dot(Reference.attention(q, k, z, bias, scale).out(), g), v), "attention dv");
        assertNdClose(grads.dbias(), numericGrad(z -> dot(Reference.attention(q, k, v, z, scale).out(), g), bias), "attention dbias");
        // logSumExp is the log of the softmax denominator.
        Nd lse = Reference.attention(q, k, v, null, scale).logSumExp();
        double s = 0;
        for (int j = 0; j < 5; j++) {
            double d = 0;
            for (int e = 0; e < 4; e++) {
                d += q.get(1, 0, 2, e) * k.get(1, 0, j, e);
            }
            s += Math.exp(scale * d);
        }
        assertThat(lse.get(1, 0, 2)).isCloseTo(Math.log(s), within(1e-12));
    }

    @Test
    void indexingAdjointsAreAdjoint() {
        // <indexSelect(x), g> == <x, indexAdd(g)> and the same for takeAlong / scatterAlong.
        Nd x = normal(14, 5, 3);
        Nd idx = Nd.ofInts(new int[] {4, 0, 4, 2}, 2, 2);
        Nd g = normal(15, 2, 2, 3);
        assertThat(dot(Reference.indexSelect(x, idx), g)).isCloseTo(dot(x, Reference.indexAdd(g, idx, 5)), within(1e-12));
        Nd y = normal(16, 3, 6);
        Nd tidx = Nd.ofInts(new int[] {5, 5, 0, 1, 2, 3}, 3, 2);
        Nd tg = normal(17, 3, 2);
        assertThat(dot(Reference.takeAlong(y, tidx), tg)).isCloseTo(dot(y, Reference.scatterAlong(tg, tidx, 6)), within(1e-12));
        Nd c = Reference.concat(List.of(Nd.zeros(2, 1), new Nd(new int[] {2, 2}, new double[] {1, 2, 3, 4})), 1);
        assertThat(c.data()).containsExactly(0, 1, 2, 0, 3, 4);
    }

    @Test
    void tensorAssertReportsTheWorstElement() {
        Tensor t = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2);
        Nd e = new Nd(new int[] {2, 2}, new double[] {1, 2.001, 3, 5});
        assertThatThrownBy(() -> TensorAssert.assertClose(t, e, 1e-6, 0, "demo"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("demo: 2 of 4 elements differ")
                .hasMessageContaining("worst at [1, 1]")
                .hasMessageContaining("actual 4")
                .hasMessageContaining("expected 5");
        assertThatThrownBy(() -> TensorAssert.assertClose(t, Nd.zeros(4), 1, 1, "shape"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("shape [2, 2], expected [4]");
        Nd nan = new Nd(new int[] {1}, new double[] {Double.NaN});
        TensorAssert.assertClose(Tensor.of(new float[] {Float.NaN}, 1), nan, 0, 0, "nan");
        assertThatThrownBy(() -> TensorAssert.assertClose(Tensor.of(new float[] {1f}, 1), nan, 0, 0, "nan"))
                .isInstanceOf(AssertionError.class);
        TensorAssert.assertClose(t, e, 0.25, 0, "loose");
        assertThatThrownBy(() -> TensorAssert.assertSameBits(Tensor.of(new float[] {0f}, 1), Tensor.of(new float[] {-0f}, 1), "bits"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not bitwise identical");
    }

    @Test
    void layoutsHoldTheGivenValuesAsViews() {
        float[] v = TestData.normal(18, 3 * 4 * 5, 1);
        for (Layout l : Layout.values()) {
            Tensor t = l.place(v, new int[] {3, 4, 5});
            assertThat(t.shape()).containsExactly(3, 4, 5);
            assertThat(t.toFloatArray()).containsExactly(v);
            assertThat(t.isContiguous()).isEqualTo(l == Layout.CONTIGUOUS);
            int[] iv = TestData.ints(19, 60, -5, 5);
            assertThat(l.placeInts(iv, new int[] {3, 4, 5}, dev.mp3.tensor.Device.CPU).toIntArray()).containsExactly(iv);
        }
    }
}

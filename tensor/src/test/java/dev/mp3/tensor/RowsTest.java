package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import dev.mp3.tensor.testing.TensorAssert;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.mp3.tensor.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Row kernels: softmax and log-softmax, layer norm, cross entropy, forward and backward. */
public class RowsTest extends OpTest {
    /** Rows of 1 to 1000 elements: 1000 is wider than a device backend's work-group per row. */
    private static final int[][] SHAPES = {{1}, {7}, {1, 33}, {5, 257}, {3, 7, 33}, {2, 3, 1}, {4, 1, 7}, {2, 1000}};

    static Stream<Arguments> shapesAndLayouts() {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (Layout l : Layout.values()) {
                out.add(Arguments.of(s, l));
            }
        }
        return out.stream();
    }

    // ---------------------------------------------------------------- softmax

    @ParameterizedTest
    @MethodSource("shapesAndLayouts")
    void softmaxForwardAndBackward(int[] shape, Layout layout) {
        float[] v = TestData.normal(1, numel(shape), 3);
        float[] g = TestData.normal(2, numel(shape), 1);
        Nd xr = Nd.of(v, shape);
        Nd gr = Nd.of(g, shape);
        for (boolean log : new boolean[] {false, true}) {
            Tensor x = put(layout, v, shape);
            Tensor y = log ? x.logSoftmax() : x.softmax();
            String what = (log ? "logSoftmax " : "softmax ") + str(shape) + " " + layout;
            assertClose(y, Reference.softmax(xr, log), 1e-5, 1e-7, what);
            Tensor gy = put(Layout.values()[(layout.ordinal() + 1) % 4], g, shape);
            assertClose(backend().softmaxBackward(y, gy, log), Reference.softmaxBackward(xr, gr, log), 1e-4, 1e-6, what + " backward");
        }
    }

    @Test
    void softmaxRowsSumToOne() {
        float[] v = TestData.normal(3, 9 * 257, 5);
        float[] sums = put(v, 9, 257).softmax().sum(1, false).toFloatArray();
        for (float s : sums) {
            assertThat(s).isBetween(1f - 1e-5f, 1f + 1e-5f);
        }
    }

    /** Logits around 1e4 (softmax is shift invariant: the result must not care about the offset). */
    @Test
    void softmaxIsStableForLargeLogits() {
        int[] shape = {6, 33};
        for (double offset : new double[] {1e4, -1e4, 3e4}) {
            float[] v = TestData.normal(4, numel(shape), 3);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] + offset);
            }
            Nd xr = Nd.of(v, shape);
            Tensor x = put(v, shape);
            assertClose(x.softmax(), Reference.softmax(xr, false), 1e-5, 1e-7, "softmax at offset " + offset);
            assertClose(x.logSoftmax(), Reference.softmax(xr, true), 1e-5, 1e-5, "logSoftmax at offset " + offset);
        }
        // Magnitudes where exp overflows without the max shift.
        Tensor huge = put(new float[] {1e30f, 1e30f, -1e30f, 0f}, 1, 4);
        assertThat(huge.softmax().toFloatArray()).containsExactly(0.5f, 0.5f, 0f, 0f);
    }

    @Test
    void softmaxOfFullyMaskedEntriesIsZeroForThem() {
        Tensor x = put(new float[] {0f, Float.NEGATIVE_INFINITY, 1f, Float.NEGATIVE_INFINITY}, 1, 4);
        float[] p = x.softmax().toFloatArray();
        assertThat(p[1]).isZero();
        assertThat(p[3]).isZero();
        assertThat(p[0] + p[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    // ---------------------------------------------------------------- layer norm

    @ParameterizedTest
    @MethodSource("shapesAndLayouts")
    void layerNormForwardAndBackward(int[] shape, Layout layout) {
        int c = shape[shape.length - 1];
        float[] v = TestData.normal(5, numel(shape), 2);
        float[] gamma = TestData.normal(6, c, 1);
        float[] beta = TestData.normal(7, c, 1);
        float[] g = TestData.normal(8, numel(shape), 1);
        float eps = 1e-5f;
        Nd xr = Nd.of(v, shape);
        Tensor x = put(layout, v, shape);
        Tensor tg = put(layout, gamma, c);
        Tensor tb = put(Layout.STRIDED, beta, c);
        var out = backend().layerNorm(x, tg, tb, eps);
        var ref = Reference.layerNorm(xr, Nd.of(gamma, c), Nd.of(beta, c), eps);
        String what = "layerNorm " + str(shape) + " " + layout;
        // A row of one element has variance 0: y = beta and rstd = 1/sqrt(eps), both exact enough.
        assertClose(out.y(), ref.y(), 1e-4, 1e-5, what + " y");
        assertClose(out.mean(), ref.mean(), 1e-5, 1e-6, what + " mean");
        assertClose(out.rstd(), ref.rstd(), 1e-4, 0, what + " rstd");
        Tensor gy = put(Layout.values()[(layout.ordinal() + 1) % 4], g, shape);
        var grads = backend().layerNormBackward(gy, x, tg, out.mean(), out.rstd());
        var rg = Reference.layerNormBackward(Nd.of(g, shape), xr, Nd.of(gamma, c), eps);
        // dx is a difference of row sums; scale its tolerance with rstd (large when c = 1).
        double scale = c == 1 ? 1 / Math.sqrt(eps) : 1;
        assertClose(grads.dx(), rg.dx(), 1e-3, 1e-5 * scale, what + " dx");
        assertClose(grads.dgamma(), rg.dgamma(), 1e-4, 1e-5, what + " dgamma");
        assertClose(grads.dbeta(), rg.dbeta(), 1e-5, 1e-5, what + " dbeta");

        // With an addend (the gradient a residual stream already holds): dx + addend to the bit, as a separate add.
        Tensor addend = put(Layout.values()[(layout.ordinal() + 2) % 4], TestData.normal(12, numel(shape), 1), shape);
        var summed = x.layerNormBackward(gy, tg, out.mean(), out.rstd(), addend);
        TensorAssert.assertSameBits(summed.dx(), grads.dx().add(addend), what + " dx + addend");
        TensorAssert.assertSameBits(summed.dgamma(), grads.dgamma(), what + " dgamma beside an addend");
        TensorAssert.assertSameBits(summed.dbeta(), grads.dbeta(), what + " dbeta beside an addend");
    }

    @Test
    void aLayerNormAddendOfAnotherShapeIsRefused() {
        Tensor x = put(TestData.normal(13, 12, 1), 3, 4);
        var out = x.layerNorm(put(new float[] {1, 1, 1, 1}, 4), put(new float[4], 4), 1e-5f);
        assertThatThrownBy(() -> x.layerNormBackward(x, put(new float[] {1, 1, 1, 1}, 4), out.mean(), out.rstd(),
                put(new float[12], 4, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layerNorm backward: addend [4, 3] should be [3, 4]");
    }

    @Test
    void layerNormBackwardOverManyRowBlocks() {
        // More rows than one summation block of dgamma/dbeta, and not a multiple of it.
        int rows = 64 * 3 + 5;
        int c = 33;
        float[] v = TestData.normal(9, rows * c, 1);
        float[] gamma = TestData.normal(10, c, 1);
        float[] g = TestData.normal(11, rows * c, 1);
        Tensor x = put(v, rows, c);
        var out = backend().layerNorm(x, put(gamma, c), put(new float[c], c), 1e-5f);
        var grads = backend().layerNormBackward(put(g, rows, c), x, put(gamma, c), out.mean(), out.rstd());
        var rg = Reference.layerNormBackward(Nd.of(g, rows, c), Nd.of(v, rows, c), Nd.of(gamma, c), 1e-5);
        assertClose(grads.dx(), rg.dx(), 1e-3, 1e-5, "dx");
        assertClose(grads.dgamma(), rg.dgamma(), 1e-4, 1e-4, "dgamma");
        assertClose(grads.dbeta(), rg.dbeta(), 1e-4, 1e-4, "dbeta");
    }

    /** Rows with a large common offset (the cancellation case) and rows of large spread. */
    @Test
    void layerNormIsStableForLargeMagnitudes() {
        int rows = 4;
        int c = 257;
        float[] gamma = TestData.normal(12, c, 1);
        float[] beta = TestData.normal(13, c, 1);
        float[] g = TestData.normal(14, rows * c, 1);
        float[][] inputs = {TestData.normal(15, rows * c, 1), TestData.normal(16, rows * c, 1e4)};
        for (int i = 0; i < inputs[0].length; i++) {
            inputs[0][i] = (float) (inputs[0][i] + 1e4);
        }
        String[] names = {"offset 1e4, spread 1", "spread 1e4"};
        for (int k = 0; k < inputs.length; k++) {
            Tensor x = put(inputs[k], rows, c);
            Nd xr = Nd.of(inputs[k], rows, c);
            var out = backend().layerNorm(x, put(gamma, c), put(beta, c), 1e-5f);
            assertClose(out.y(), Reference.layerNorm(xr, Nd.of(gamma, c), Nd.of(beta, c), 1e-5).y(), 1e-4, 1e-4,
                    "layerNorm y, " + names[k]);
            var grads = backend().layerNormBackward(put(g, rows, c), x, put(gamma, c), out.mean(), out.rstd());
            var rg = Reference.layerNormBackward(Nd.of(g, rows, c), xr, Nd.of(gamma, c), 1e-5);
            // dx scales like rstd: compare relative to the typical gradient size.
            double typical = k == 0 ? 1 : 1e-4;
            assertClose(grads.dx(), rg.dx(), 1e-3, 1e-3 * typical, "layerNorm dx, " + names[k]);
            assertClose(grads.dgamma(), rg.dgamma(), 1e-3, 1e-3, "layerNorm dgamma, " + names[k]);
        }
    }

    // ---------------------------------------------------------------- cross entropy

    static Stream<Arguments> crossEntropyCases() {
        List<Arguments> out = new ArrayList<>();
        for (int[] rc : new int[][] {{1, 1}, {1, 7}, {5, 33}, {9, 257}, {33, 2}, {3, 1000}}) {
            for (float s : new float[] {0f, 0.1f}) {
                for (Layout l : Layout.values()) {
                    out.add(Arguments.of(rc[0], rc[1], s, l));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("crossEntropyCases")
    void crossEntropyForwardAndBackward(int rows, int c, float smoothing, Layout layout) {
        float[] v = TestData.normal(17, rows * c, 3);
        int[] t = TestData.ints(18, rows, 0, c);
        // Ignored rows: targets outside [0, C) (PyTorch's -100, and C itself).
        if (rows > 2) {
            t[1] = -100;
            t[rows - 1] = c;
        }
        float[] gl = TestData.normal(19, rows, 1);
        Tensor logits = put(layout, v, rows, c);
        Tensor targets = putInts(layout, t, rows);
        Nd lr = Nd.of(v, rows, c);
        String what = "crossEntropy " + rows + "x" + c + " s=" + smoothing + " " + layout;
        assertClose(backend().crossEntropy(logits, targets, smoothing), Reference.crossEntropy(lr, t, smoothing), 1e-5, 1e-5, what);
        Tensor gLoss = put(Layout.values()[(layout.ordinal() + 1) % 4], gl, rows);
        assertClose(backend().crossEntropyBackward(logits, targets, smoothing, gLoss),
                Reference.crossEntropyBackward(lr, t, smoothing, Nd.of(gl, rows)), 1e-4, 1e-6, what + " backward");
    }

    @Test
    void crossEntropyIsStableForLargeLogits() {
        int rows = 5;
        int c = 33;
        float[] v = TestData.normal(20, rows * c, 3);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] + 1e4);
        }
        int[] t = TestData.ints(21, rows, 0, c);
        float[] gl = TestData.normal(22, rows, 1);
        Nd lr = Nd.of(v, rows, c);
        for (float s : new float[] {0f, 0.1f}) {
            Tensor loss = backend().crossEntropy(put(v, rows, c), putInts(t, rows), s);
            assertClose(loss, Reference.crossEntropy(lr, t, s), 1e-5, 1e-5, "crossEntropy at 1e4, s=" + s);
            Tensor d = backend().crossEntropyBackward(put(v, rows, c), putInts(t, rows), s, put(gl, rows));
            assertClose(d, Reference.crossEntropyBackward(lr, t, s, Nd.of(gl, rows)), 1e-4, 1e-6, "crossEntropy backward at 1e4, s=" + s);
        }
    }

    @Test
    void crossEntropyOfAConfidentCorrectRowIsNearZero() {
        float[] v = new float[10];
        v[3] = 50f;
        Tensor loss = backend().crossEntropy(put(v, 1, 10), putInts(new int[] {3}, 1), 0f);
        assertThat(loss.item()).isBetween(0f, 1e-6f);
        Tensor lossSmoothed = backend().crossEntropy(put(v, 1, 10), putInts(new int[] {3}, 1), 0.1f);
        assertClose(lossSmoothed, Reference.crossEntropy(Nd.of(v, 1, 10), new int[] {3}, 0.1), 1e-5, 1e-5, "smoothed");
    }
}

package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
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

/**
 * conv1d (im2col + matmul: forward, input and weight gradients, unfold and fold) and batch norm
 * over [B, C, L], forward and backward, against double-precision loops written out here.
 */
public class ConvTest extends OpTest {

    /** One convolution: input [b, cin, length], weight [cout, cin / groups, kernel], the settings, bias or not. */
    record Case(int b, int cin, int length, int cout, int kernel, int stride, int padding, int dilation, int groups,
                boolean bias) {
        int outLength() {
            return (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        }

        @Override
        public String toString() {
            return "x [" + b + ", " + cin + ", " + length + "] w [" + cout + ", " + cin / groups + ", " + kernel + "] stride "
                    + stride + " padding " + padding + " dilation " + dilation + " groups " + groups + (bias ? " bias" : "");
        }
    }

    private static final Case[] CASES = {
        new Case(2, 3, 11, 4, 3, 1, 0, 1, 1, true),
        new Case(1, 4, 17, 6, 5, 2, 2, 1, 2, false),
        new Case(3, 6, 13, 6, 3, 3, 1, 2, 3, true),
        new Case(2, 5, 9, 5, 1, 1, 0, 1, 5, true),       // depthwise 1x1
        new Case(2, 4, 10, 8, 3, 1, 1, 1, 4, false),     // depthwise, two outputs per channel
        new Case(1, 2, 7, 3, 9, 1, 4, 1, 1, true),       // kernel longer than the input
        new Case(2, 3, 5, 2, 2, 1, 3, 3, 1, true),       // whole columns in the padding
        new Case(1, 1, 1, 1, 1, 1, 0, 1, 1, false),
        new Case(3, 7, 8, 5, 4, 5, 0, 1, 1, true),       // stride past the kernel: inputs skipped
        new Case(4, 16, 101, 24, 9, 2, 4, 1, 1, true),   // a TC-ResNet block's first convolution
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < CASES.length; i++) {
            out.add(Arguments.of(CASES[i], Layout.values()[i % Layout.values().length]));
        }
        return out.stream();
    }

    /** y, dx, dw, db of one convolution in double precision, by the definition (no im2col). */
    private record Expected(Nd y, Nd dx, Nd dw, Nd db) {}

    private static Expected reference(Case c, Nd x, Nd w, Nd bias, Nd gy) {
        int lout = c.outLength();
        int cpg = c.cin / c.groups;
        int opg = c.cout / c.groups;
        Nd y = Nd.zeros(c.b, c.cout, lout);
        Nd dx = Nd.zeros(c.b, c.cin, c.length);
        Nd dw = Nd.zeros(c.cout, cpg, c.kernel);
        Nd db = Nd.zeros(c.cout);
        for (int b = 0; b < c.b; b++) {
            for (int o = 0; o < c.cout; o++) {
                int g = o / opg;
                for (int t = 0; t < lout; t++) {
                    double s = bias == null ? 0 : bias.get(o);
                    double gyv = gy.get(b, o, t);
                    db.data()[o] += gyv;
                    for (int ci = 0; ci < cpg; ci++) {
                        for (int k = 0; k < c.kernel; k++) {
                            int i = t * c.stride - c.padding + k * c.dilation;
                            if (i < 0 || i >= c.length) {
                                continue;
                            }
                            int channel = g * cpg + ci;
                            s += w.get(o, ci, k) * x.get(b, channel, i);
                            dx.data()[dx.index(b, channel, i)] += w.get(o, ci, k) * gyv;
                            dw.data()[dw.index(o, ci, k)] += x.get(b, channel, i) * gyv;
                        }
                    }
                    y.data()[y.index(b, o, t)] = s;
                }
            }
        }
        return new Expected(y, dx, dw, db);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void conv1dForwardAndBackward(Case c, Layout layout) {
        int[] xs = {c.b, c.cin, c.length};
        int[] ws = {c.cout, c.cin / c.groups, c.kernel};
        int[] ys = {c.b, c.cout, c.outLength()};
        float[] xv = TestData.normal(1, numel(xs), 1);
        float[] wv = TestData.normal(2, numel(ws), 1);
        float[] bv = TestData.normal(3, c.cout, 1);
        float[] gv = TestData.normal(4, numel(ys), 1);
        Nd bias = c.bias ? Nd.of(bv, c.cout) : null;
        Expected e = reference(c, Nd.of(xv, xs), Nd.of(wv, ws), bias, Nd.of(gv, ys));
        Layout other = Layout.values()[(layout.ordinal() + 1) % Layout.values().length];
        Tensor x = put(layout, xv, xs);
        Tensor w = put(other, wv, ws);
        Tensor gy = put(other, gv, ys);
        String what = "conv1d " + c + " " + layout;
        Tensor y = x.conv1d(w, c.bias ? put(layout, bv, c.cout) : null, c.stride, c.padding, c.dilation, c.groups);
        assertClose(y, e.y, 1e-4, 1e-4, what);
        assertClose(Tensor.conv1dBackwardInput(gy, w, c.length, c.stride, c.padding, c.dilation, c.groups), e.dx, 1e-4, 1e-4,
                what + " dx");
        assertClose(x.conv1dBackwardWeight(gy, c.kernel, c.stride, c.padding, c.dilation, c.groups), e.dw, 1e-4, 1e-4,
                what + " dw");
        // The forward's own columns give the weight gradient without a second unfold (what Var.conv1d does).
        Tensor.Conv1dOut kept = x.conv1dWithColumns(w, null, c.stride, c.padding, c.dilation, c.groups);
        assertClose(Tensor.conv1dBackwardWeight(kept.columns(), gy, c.kernel, c.groups), e.dw, 1e-4, 1e-4,
                what + " dw from the kept columns");
    }

    /** Columns written out by hand: x = 1..5, kernel 2, stride 2, padding 1 reads x[-1, 0], x[1, 2], x[3, 4]. */
    @Test
    void unfoldAndFoldByHand() {
        Tensor x = put(new float[] {1, 2, 3, 4, 5}, 1, 1, 5);
        Tensor cols = x.unfold1d(2, 2, 1, 1);
        assertThat(cols.shape()).containsExactly(2, 1, 3);
        assertThat(cols.toFloatArray()).containsExactly(0, 2, 4, 1, 3, 5);
        // Two items of two channels, kernel 2: row c * 2 + k holds item 0's run, then item 1's.
        Tensor pair = put(new float[] {1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60}, 2, 2, 3);
        Tensor pairCols = pair.unfold1d(2, 1, 0, 1);
        assertThat(pairCols.shape()).containsExactly(4, 2, 2);
        assertThat(pairCols.toFloatArray()).containsExactly(1, 2, 4, 5, 2, 3, 5, 6, 10, 20, 40, 50, 20, 30, 50, 60);
        // Folding them back counts each element's readers: the ends once, the middle twice.
        assertThat(pairCols.fold1d(3, 2, 1, 0, 1).toFloatArray())
                .containsExactly(1, 4, 3, 10, 40, 30, 4, 10, 6, 40, 100, 60);
        // Dilation 2, kernel 3, padding 2: every input is read by up to three columns; fold sums them.
        Tensor ones = put(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 3, 1, 5);
        Tensor counts = ones.fold1d(5, 3, 1, 2, 2);
        assertThat(counts.toFloatArray()).containsExactly(2, 2, 3, 2, 2);
    }

    @Test
    void convolutionOfAWideBatchMatchesTheLoop() {
        // Enough rows and columns to be split across threads and past every vector width.
        Case c = new Case(5, 12, 333, 20, 9, 1, 4, 2, 2, true);
        conv1dForwardAndBackward(c, Layout.CONTIGUOUS);
    }

    // ---------------------------------------------------------------- batch norm

    private static final int[][] NORM_SHAPES = {{2, 3, 5}, {1, 4, 1}, {4, 1, 33}, {3, 7, 17}, {8, 5, 100}, {2, 3, 1}};

    static Stream<Arguments> normShapes() {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : NORM_SHAPES) {
            for (Layout l : Layout.values()) {
                out.add(Arguments.of(s, l));
            }
        }
        return out.stream();
    }

    /** y, mean, rstd (biased variance) and the gradients of batch norm in double precision. */
    private record NormExpected(Nd y, Nd mean, Nd rstd, Nd dx, Nd dgamma, Nd dbeta) {}

    private static NormExpected normReference(Nd x, Nd gamma, Nd beta, Nd gy, double eps) {
        int b = x.dim(0);
        int ch = x.dim(1);
        int len = x.dim(2);
        double n = (double) b * len;
        Nd y = Nd.zeros(x.shape());
        Nd dx = Nd.zeros(x.shape());
        Nd mean = Nd.zeros(ch);
        Nd rstd = Nd.zeros(ch);
        Nd dgamma = Nd.zeros(ch);
        Nd dbeta = Nd.zeros(ch);
        for (int c = 0; c < ch; c++) {
            double s = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < len; j++) {
                    s += x.get(i, c, j);
                }
            }
            double m = s / n;
            double v = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < len; j++) {
                    v += (x.get(i, c, j) - m) * (x.get(i, c, j) - m);
                }
            }
            double rs = 1 / Math.sqrt(v / n + eps);
            mean.data()[c] = m;
            rstd.data()[c] = rs;
            double sg = 0;
            double sgx = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < len; j++) {
                    double xh = (x.get(i, c, j) - m) * rs;
                    y.data()[y.index(i, c, j)] = xh * gamma.get(c) + beta.get(c);
                    sg += gy.get(i, c, j);
                    sgx += gy.get(i, c, j) * xh;
                }
            }
            dgamma.data()[c] = sgx;
            dbeta.data()[c] = sg;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < len; j++) {
                    double xh = (x.get(i, c, j) - m) * rs;
                    dx.data()[dx.index(i, c, j)] = gamma.get(c) * rs * (gy.get(i, c, j) - sg / n - xh * sgx / n);
                }
            }
        }
        return new NormExpected(y, mean, rstd, dx, dgamma, dbeta);
    }

    @ParameterizedTest
    @MethodSource("normShapes")
    void batchNormForwardAndBackward(int[] shape, Layout layout) {
        int c = shape[1];
        float[] v = TestData.normal(5, numel(shape), 2);
        float[] gamma = TestData.normal(6, c, 1);
        float[] beta = TestData.normal(7, c, 1);
        float[] g = TestData.normal(8, numel(shape), 1);
        float eps = 1e-5f;
        NormExpected e = normReference(Nd.of(v, shape), Nd.of(gamma, c), Nd.of(beta, c), Nd.of(g, shape), eps);
        Layout other = Layout.values()[(layout.ordinal() + 1) % Layout.values().length];
        Tensor x = put(layout, v, shape);
        Tensor tg = put(other, gamma, c);
        var out = x.batchNorm(tg, put(Layout.STRIDED, beta, c), eps);
        String what = "batchNorm " + str(shape) + " " + layout;
        // One value per channel has variance 0: y = beta, rstd = 1/sqrt(eps), dx = 0.
        assertClose(out.y(), e.y, 1e-4, 1e-5, what + " y");
        assertClose(out.mean(), e.mean, 1e-5, 1e-6, what + " mean");
        assertClose(out.rstd(), e.rstd, 1e-4, 0, what + " rstd");
        var grads = x.batchNormBackward(put(other, g, shape), tg, out.mean(), out.rstd());
        assertClose(grads.dx(), e.dx, 1e-3, 1e-4, what + " dx");
        assertClose(grads.dgamma(), e.dgamma, 1e-4, 1e-4, what + " dgamma");
        assertClose(grads.dbeta(), e.dbeta, 1e-5, 1e-4, what + " dbeta");
    }

    /** Channels with a large common offset (the cancellation case): the statistics must not lose the spread. */
    @Test
    void batchNormIsStableForALargeOffset() {
        int[] shape = {4, 3, 65};
        float[] v = TestData.normal(9, numel(shape), 1);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] + 1e4);
        }
        float[] gamma = TestData.normal(10, 3, 1);
        float[] g = TestData.normal(11, numel(shape), 1);
        NormExpected e = normReference(Nd.of(v, shape), Nd.of(gamma, 3), Nd.zeros(3), Nd.of(g, shape), 1e-5);
        Tensor x = put(v, shape);
        var out = x.batchNorm(put(gamma, 3), put(new float[3], 3), 1e-5f);
        assertClose(out.y(), e.y, 1e-3, 1e-3, "batchNorm y at offset 1e4");
        var grads = x.batchNormBackward(put(g, shape), put(gamma, 3), out.mean(), out.rstd());
        assertClose(grads.dx(), e.dx, 1e-3, 1e-3, "batchNorm dx at offset 1e4");
        assertClose(grads.dgamma(), e.dgamma, 1e-3, 1e-3, "batchNorm dgamma at offset 1e4");
    }
}

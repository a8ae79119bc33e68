package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
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

/** Attention with a separate key/value set (MP3's masked attention), forward and backward, with and without bias. */
public class AttentionTest extends OpTest {

    /**
     * B, H, N, M, d: single tokens, odd sizes, more keys than queries and the reverse, and queries
     * and keys spanning several of a fused kernel's 32-row tiles with ragged ends.
     */
    private static final int[][] SIZES = {{1, 1, 1, 1, 1}, {2, 3, 7, 5, 4}, {1, 2, 33, 17, 8}, {2, 1, 5, 33, 7},
        {1, 1, 257, 3, 2}, {3, 1, 1, 1, 8}, {1, 2, 257, 40, 16}, {2, 1, 7, 70, 16}};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : SIZES) {
            for (boolean bias : new boolean[] {false, true}) {
                out.add(Arguments.of(s, bias, Layout.CONTIGUOUS));
            }
            out.add(Arguments.of(s, true, Layout.TRANSPOSED));
            out.add(Arguments.of(s, false, Layout.SLICED));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void forwardAndBackwardMatchReference(int[] size, boolean withBias, Layout layout) {
        int b = size[0], h = size[1], n = size[2], m = size[3], d = size[4];
        float scale = (float) (1 / Math.sqrt(d));
        float[] q = TestData.normal(1, b * h * n * d, 1);
        float[] k = TestData.normal(2, b * h * m * d, 1);
        float[] v = TestData.normal(3, b * h * m * d, 1);
        float[] bias = TestData.normal(4, h * n * m, 1);
        float[] g = TestData.normal(5, b * h * n * d, 1);
        Tensor tq = put(layout, q, b, h, n, d);
        Tensor tk = put(layout, k, b, h, m, d);
        Tensor tv = put(Layout.STRIDED, v, b, h, m, d);
        Tensor tb = withBias ? put(layout, bias, h, n, m) : null;
        Nd rq = Nd.of(q, b, h, n, d);
        Nd rk = Nd.of(k, b, h, m, d);
        Nd rv = Nd.of(v, b, h, m, d);
        Nd rb = withBias ? Nd.of(bias, h, n, m) : null;
        String what = "attention " + str(size) + (withBias ? " bias " : " ") + layout;

        var out = backend().attention(tq, tk, tv, tb, scale);
        var ref = Reference.attention(rq, rk, rv, rb, scale);
        assertClose(out.out(), ref.out(), 1e-4, 1e-5, what + " out");
        assertClose(out.logSumExp(), ref.logSumExp(), 1e-5, 1e-5, what + " logSumExp");

        Tensor gOut = put(Layout.TRANSPOSED, g, b, h, n, d);
        var grads = backend().attentionBackward(tq, tk, tv, tb, scale, out.out(), out.logSumExp(), gOut);
        var rg = Reference.attentionBackward(rq, rk, rv, rb, scale, Nd.of(g, b, h, n, d));
        assertClose(grads.dq(), rg.dq(), 1e-3, 1e-4, what + " dq");
        assertClose(grads.dk(), rg.dk(), 1e-3, 1e-4, what + " dk");
        assertClose(grads.dv(), rg.dv(), 1e-3, 1e-4, what + " dv");
        if (withBias) {
            assertClose(grads.dbias(), rg.dbias(), 1e-3, 1e-4, what + " dbias");
        } else {
            assertThat(grads.dbias()).isNull();
        }
    }

    @Test
    void maskingBiasRemovesKeys() {
        // A bias of -inf on key j gives that key zero weight: the result equals attention without it.
        int b = 1, h = 2, n = 3, m = 4, d = 5;
        float[] q = TestData.normal(6, b * h * n * d, 1);
        float[] k = TestData.normal(7, b * h * m * d, 1);
        float[] v = TestData.normal(8, b * h * m * d, 1);
        float[] bias = new float[h * n * m];
        for (int hh = 0; hh < h; hh++) {
            for (int i = 0; i < n; i++) {
                bias[(hh * n + i) * m + m - 1] = Float.NEGATIVE_INFINITY;
            }
        }
        var masked = backend().attention(put(q, b, h, n, d), put(k, b, h, m, d), put(v, b, h, m, d), put(bias, h, n, m), 0.5f);
        Tensor k3 = put(k, b, h, m, d).slice(2, 0, m - 1);
        Tensor v3 = put(v, b, h, m, d).slice(2, 0, m - 1);
        var dropped = backend().attention(put(q, b, h, n, d), k3, v3, null, 0.5f);
        int[] firstKeys = {b, h, m - 1, d};
        var ref = Reference.attention(Nd.of(q, b, h, n, d), Nd.of(k, b, h, m, d).gather(firstKeys, i -> i),
                Nd.of(v, b, h, m, d).gather(firstKeys, i -> i), null, 0.5);
        assertClose(masked.out(), ref.out(), 1e-5, 1e-6, "a key masked by a bias of -inf");
        assertClose(dropped.out(), ref.out(), 1e-5, 1e-6, "the same key sliced away");
        assertClose(masked.out(), Nd.of(dropped.out()), 1e-6, 1e-7, "masked and sliced away agree");
    }

    @Test
    void largeScoresStayFinite() {
        int b = 1, h = 1, n = 4, m = 6, d = 3;
        float[] q = TestData.normal(9, n * d, 30);
        float[] k = TestData.normal(10, m * d, 30);
        float[] v = TestData.normal(11, m * d, 1);
        var out = backend().attention(put(q, b, h, n, d), put(k, b, h, m, d), put(v, b, h, m, d), null, 1f);
        var ref = Reference.attention(Nd.of(q, b, h, n, d), Nd.of(k, b, h, m, d), Nd.of(v, b, h, m, d), null, 1);
        assertClose(out.out(), ref.out(), 1e-4, 1e-4, "scores ~1e3");
    }

    /**
     * Backends that read q, k, v and the output gradient where they lie (the heads of a
     * [B, N, H, D] projection permuted to [B, H, N, D], a window of the keys: MP3's context rows cut
     * from a longer buffer) give bit for bit what dense copies of the same values give, forward and
     * backward, with and without a bias: the arithmetic is the same whatever the layout, so anything
     * but equal bits is an indexing error.
     */
    @Test
    void permutedHeadsAndWindowsGiveTheBitsOfDenseCopies() {
        int b = 2, n = 7, m = 5, h = 3, d = 8;
        Tensor qProj = put(TestData.normal(11, b * n * h * d, 1), b, n, h * d);
        Tensor kvLong = put(TestData.normal(12, b * (m + 4) * h * d, 1), b, m + 4, h * d);
        Tensor vProj = put(TestData.normal(13, b * m * h * d, 1), b, m, h * d);
        Tensor gProj = put(TestData.normal(14, b * n * h * d, 1), b, n, h * d);
        Tensor q = qProj.reshape(b, n, h, d).permute(0, 2, 1, 3);
        Tensor k = kvLong.slice(1, 2, 2 + m).reshape(b, m, h, d).permute(0, 2, 1, 3);
        Tensor v = vProj.reshape(b, m, h, d).permute(0, 2, 1, 3);
        Tensor gOut = gProj.reshape(b, n, h, d).permute(0, 2, 1, 3);
        assertThat(q.isContiguous() || k.isContiguous() || gOut.isContiguous()).as("views, not dense").isFalse();

        for (Tensor bias : new Tensor[] {null, put(TestData.normal(15, h * n * m, 1), h, n, m)}) {
            Backend.AttentionOut viewed = Tensor.attention(q, k, v, bias, 0.35f);
            Backend.AttentionOut dense = Tensor.attention(q.copy(), k.copy(), v.copy(), bias, 0.35f);
            assertSameBits("out", dense.out(), viewed.out());
            assertSameBits("logSumExp", dense.logSumExp(), viewed.logSumExp());
            Backend.AttentionGrads gv = Tensor.attentionBackward(q, k, v, bias, 0.35f, viewed.out(),
                    viewed.logSumExp(), gOut);
            Backend.AttentionGrads gd = Tensor.attentionBackward(q.copy(), k.copy(), v.copy(), bias, 0.35f,
                    dense.out(), dense.logSumExp(), gOut.copy());
            assertSameBits("dq", gd.dq(), gv.dq());
            assertSameBits("dk", gd.dk(), gv.dk());
            assertSameBits("dv", gd.dv(), gv.dv());
            if (bias != null) {
                assertSameBits("dbias", gd.dbias(), gv.dbias());
            }
        }
    }

    private static void assertSameBits(String what, Tensor expected, Tensor actual) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertThat(Float.floatToRawIntBits(a[i])).as(what + "[" + i + "]").isEqualTo(Float.floatToRawIntBits(e[i]));
        }
    }
}

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

/**
 * Tensor.matmul through the backend's operand adaptation: every transpose flag, strided and
 * transposed views, and broadcast batch axes, against the reference. (The CPU's GEMM kernels have
 * their own tests in cpu/MatMulTest.)
 */
public class MatMulViewsTest extends OpTest {

    /** Batch shapes of a and b, and M, K, N. */
    private static final int[][][] CASES = {
        {{}, {}, {1, 1, 1}},
        {{}, {}, {7, 33, 5}},
        {{3}, {3}, {7, 1, 33}},
        {{2, 3}, {}, {5, 7, 4}},
        {{}, {2, 3}, {5, 7, 4}},
        {{2, 1}, {1, 3}, {3, 9, 2}},
        {{1}, {4}, {33, 7, 1}},
        // Odd sizes from one row or column up to several 32- and 64-wide tiles with ragged edges.
        {{}, {}, {1, 33, 7}},
        {{}, {}, {7, 257, 1}},
        {{}, {}, {33, 7, 257}},
        {{}, {}, {257, 33, 33}},
        {{}, {}, {70, 37, 45}},
        {{}, {}, {33, 1, 33}},
        // Batches: per item, one operand shared by every item, batch axes broadcast both ways.
        {{3}, {3}, {33, 20, 45}},
        {{3}, {}, {33, 20, 45}},
        {{}, {3}, {33, 20, 45}},
        {{2, 1}, {1, 3}, {17, 20, 9}},
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int[][] c : CASES) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (Layout l : Layout.values()) {
                        out.add(Arguments.of(c[0], c[1], c[2], ta, tb, l));
                    }
                }
            }
        }
        return out.stream();
    }

    private static int[] matrixShape(int[] batch, int rows, int cols) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matmulMatchesReference(int[] batchA, int[] batchB, int[] mkn, boolean transA, boolean transB, Layout layout) {
        int m = mkn[0], k = mkn[1], n = mkn[2];
        int[] sa = transA ? matrixShape(batchA, k, m) : matrixShape(batchA, m, k);
        int[] sb = transB ? matrixShape(batchB, n, k) : matrixShape(batchB, k, n);
        float[] a = TestData.normal(1, numel(sa), 1);
        float[] b = TestData.normal(2, numel(sb), 1);
        Tensor out = Tensor.matmul(put(layout, a, sa), transA, put(Layout.values()[(layout.ordinal() + 1) % 4], b, sb), transB);
        Nd ref = Reference.matmul(Nd.of(a, sa), transA, Nd.of(b, sb), transB);
        assertClose(out, ref, 1e-5, 1e-5, "matmul " + str(sa) + (transA ? "^T" : "") + " @ " + str(sb) + (transB ? "^T" : "") + " " + layout);
    }

    /**
     * The product with a bias on every row (a linear layer's forward), every transpose flag and
     * layout, a bias that is a window of a longer vector (as the q, k and v slices of one qkv bias
     * are): against the reference, and to the bit against the product followed by a separate add,
     * which is how the backend contract defines it.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void matmulWithBiasIsTheProductThenTheAdd(int[] batchA, int[] batchB, int[] mkn, boolean transA, boolean transB,
                                             Layout layout) {
        int m = mkn[0], k = mkn[1], n = mkn[2];
        int[] sa = transA ? matrixShape(batchA, k, m) : matrixShape(batchA, m, k);
        int[] sb = transB ? matrixShape(batchB, n, k) : matrixShape(batchB, k, n);
        float[] a = TestData.normal(11, numel(sa), 1);
        float[] b = TestData.normal(12, numel(sb), 1);
        float[] bias = TestData.normal(13, n + 5, 1);
        Tensor ta = put(layout, a, sa);
        Tensor tb = put(Layout.values()[(layout.ordinal() + 1) % 4], b, sb);
        Tensor tbias = put(bias, n + 5).slice(0, 2, n + 2);
        Tensor out = Tensor.matmul(ta, transA, tb, transB, tbias);
        Nd ref = Reference.binary(BinaryOp.ADD, Reference.matmul(Nd.of(a, sa), transA, Nd.of(b, sb), transB),
                Nd.of(java.util.Arrays.copyOfRange(bias, 2, n + 2), n));
        String what = "matmul + bias " + str(sa) + (transA ? "^T" : "") + " @ " + str(sb) + (transB ? "^T" : "") + " " + layout;
        assertClose(out, ref, 1e-5, 1e-5, what);
        TensorAssert.assertSameBits(out, Tensor.matmul(ta, transA, tb, transB).add(tbias), what + " vs matmul then add");
    }

    /**
     * The product with an addend of its own shape (a residual connection, or a gradient the product
     * accumulates into), with and without a bias, every transpose flag and layout, the addend itself a
     * view in the layout's style: against the reference, and to the bit against the product followed
     * by separate adds, as the backend contract defines it.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void matmulWithAddendIsTheProductThenTheAdds(int[] batchA, int[] batchB, int[] mkn, boolean transA, boolean transB,
                                                Layout layout) {
        int m = mkn[0], k = mkn[1], n = mkn[2];
        int[] sa = transA ? matrixShape(batchA, k, m) : matrixShape(batchA, m, k);
        int[] sb = transB ? matrixShape(batchB, n, k) : matrixShape(batchB, k, n);
        int[] so = Shape.matmul(sa, transA, sb, transB).out();
        float[] a = TestData.normal(21, numel(sa), 1);
        float[] b = TestData.normal(22, numel(sb), 1);
        float[] bias = TestData.normal(23, n, 1);
        float[] addend = TestData.normal(24, numel(so), 1);
        Tensor ta = put(layout, a, sa);
        Tensor tb = put(Layout.values()[(layout.ordinal() + 1) % 4], b, sb);
        Tensor tbias = put(bias, n);
        Tensor tr = put(Layout.values()[(layout.ordinal() + 2) % 4], addend, so);
        Nd product = Reference.matmul(Nd.of(a, sa), transA, Nd.of(b, sb), transB);
        String what = str(sa) + (transA ? "^T" : "") + " @ " + str(sb) + (transB ? "^T" : "") + " " + layout;

        Tensor plain = Tensor.matmul(ta, transA, tb, transB, null, tr);
        assertClose(plain, Reference.binary(BinaryOp.ADD, product, Nd.of(addend, so)), 1e-5, 1e-5, "matmul + addend " + what);
        TensorAssert.assertSameBits(plain, Tensor.matmul(ta, transA, tb, transB).add(tr), "matmul + addend vs then add " + what);

        Tensor both = Tensor.matmul(ta, transA, tb, transB, tbias, tr);
        assertClose(both, Reference.binary(BinaryOp.ADD, Reference.binary(BinaryOp.ADD, product, Nd.of(bias, n)),
                Nd.of(addend, so)), 1e-5, 1e-5, "matmul + bias + addend " + what);
        TensorAssert.assertSameBits(both, Tensor.matmul(ta, transA, tb, transB).add(tbias).add(tr),
                "matmul + bias + addend vs then adds " + what);
    }

    /**
     * A product with its activation (a linear layer and its GELU), every transpose flag and layout,
     * direct and tiled sizes, with and without a bias: the result to the bit against the product
     * followed by the unary op, and the kept pre-activation to the bit against the product.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void matmulActivatedIsTheProductThenTheActivation(int[] batchA, int[] batchB, int[] mkn, boolean transA, boolean transB,
                                                     Layout layout) {
        int m = mkn[0], k = mkn[1], n = mkn[2];
        int[] sa = transA ? matrixShape(batchA, k, m) : matrixShape(batchA, m, k);
        int[] sb = transB ? matrixShape(batchB, n, k) : matrixShape(batchB, k, n);
        Tensor ta = put(layout, TestData.normal(31, numel(sa), 1), sa);
        Tensor tb = put(Layout.values()[(layout.ordinal() + 1) % 4], TestData.normal(32, numel(sb), 1), sb);
        Tensor tbias = put(TestData.normal(33, n, 1), n);
        String what = str(sa) + (transA ? "^T" : "") + " @ " + str(sb) + (transB ? "^T" : "") + " " + layout;
        UnaryOp[] ops = {UnaryOp.GELU, UnaryOp.RELU, UnaryOp.GELU_TANH};
        UnaryOp op = ops[Math.floorMod(java.util.Arrays.hashCode(mkn) + layout.ordinal(), ops.length)];
        for (Tensor bias : new Tensor[] {null, tbias}) {
            Backend.ActivatedProduct r = Tensor.matmulActivated(ta, transA, tb, transB, bias, op);
            Tensor product = Tensor.matmul(ta, transA, tb, transB, bias);
            String w = op + (bias == null ? "" : " + bias") + " " + what;
            TensorAssert.assertSameBits(r.pre(), product, "pre-activation of " + w);
            TensorAssert.assertSameBits(r.out(), product.unary(op), "activation of " + w);
        }
    }

    @Test
    void anAddendOfAnotherShapeIsRefused() {
        Tensor a = put(TestData.normal(1, 6, 1), 2, 3);
        Tensor b = put(TestData.normal(2, 12, 1), 3, 4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tensor.matmul(a, false, b, false, null, put(new float[8], 4, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("addend [4, 2] does not match the product's shape [2, 4]");
    }

    /** Views as models make them: windows with a row stride, transposes, interleaved heads, broadcasts. */
    @Test
    void matmulOfViewsThatModelsMake() {
        float[] wide = TestData.normal(3, 40 * 60, 1);
        Nd wr = Nd.of(wide, 40, 60);
        Tensor tw = put(wide, 40, 60);
        float[] b = TestData.normal(4, 25 * 33, 1);
        assertClose(tw.slice(1, 5, 30).matmul(put(b, 25, 33)),
                Reference.matmul(wr.gather(new int[] {40, 25}, i -> new int[] {i[0], i[1] + 5}), false, Nd.of(b, 25, 33), false),
                1e-5, 1e-5, "a column window (row stride 60)");
        float[] c = TestData.normal(5, 40 * 9, 1);
        assertClose(tw.transpose(0, 1).slice(0, 10, 35).matmul(put(c, 40, 9)),
                Reference.matmul(wr.gather(new int[] {25, 40}, i -> new int[] {i[1], i[0] + 10}), false, Nd.of(c, 40, 9), false),
                1e-5, 1e-5, "a window of a transposed view (column-major)");

        // Attention scores q k^T with q = k = heads [B, N, H, d] permuted to [B, H, N, d]: the heads interleave.
        float[] heads = TestData.normal(6, 2 * 19 * 3 * 16, 1);
        Tensor th = put(heads, 2, 19, 3, 16).permute(0, 2, 1, 3);
        Nd hr = Nd.of(heads, 2, 19, 3, 16).gather(new int[] {2, 3, 19, 16}, i -> new int[] {i[0], i[2], i[1], i[3]});
        assertClose(Tensor.matmul(th, false, th, true), Reference.matmul(hr, false, hr, true), 1e-5, 1e-5, "permuted heads q k^T");

        float[] items = TestData.normal(7, 6 * 20 * 30, 1);
        float[] d = TestData.normal(8, 25 * 8, 1);
        assertClose(put(items, 6, 20, 30).slice(2, 0, 25).matmul(put(d, 25, 8)),
                Reference.matmul(Nd.of(items, 6, 20, 30).gather(new int[] {6, 20, 25}, i -> i), false, Nd.of(d, 25, 8), false),
                1e-5, 1e-5, "batch items with a row stride");

        float[] row = TestData.normal(9, 12, 1);
        float[] e = TestData.normal(10, 12 * 7, 1);
        assertClose(put(row, 1, 12).expand(9, 12).matmul(put(e, 12, 7)),
                Reference.matmul(Reference.expand(Nd.of(row, 1, 12), new int[] {9, 12}), false, Nd.of(e, 12, 7), false),
                1e-5, 1e-5, "an expanded operand (row stride 0)");

        assertClose(put(new float[0], 5, 0).matmul(put(new float[0], 0, 4)), Nd.zeros(5, 4), 0, 0, "an empty inner dimension");
    }
}

package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.mp3.tensor.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views and copies: reshape, permute, transpose, slice, select, (un)squeeze, expand, contiguous,
 * copy, copyFrom, to, and the in-place updates; values checked element by element against
 * index arithmetic on the reference array, for every starting layout.
 */
public class LayoutTest extends OpTest {
    private static final int[] SHAPE = {3, 7, 5};

    private Tensor x(Layout layout) {
        return put(layout, values(), SHAPE);
    }

    private static float[] values() {
        return TestData.normal(1, 3 * 7 * 5, 1);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void reshapeKeepsRowMajorOrder(Layout layout) {
        Nd ref = Nd.of(values(), SHAPE);
        Tensor x = x(layout);
        assertClose(x.reshape(7, 15), ref.reshape(7, 15), 0, 0, "reshape");
        assertClose(x.reshape(-1, 5), ref.reshape(21, 5), 0, 0, "reshape -1");
        assertClose(x.reshape(-1), ref.reshape(105), 0, 0, "reshape to one axis");
        assertClose(x.reshape(1, 105, 1), ref.reshape(1, 105, 1), 0, 0, "reshape with ones");
        assertThat(x.reshape(7, 15).isContiguous()).isTrue();
        // A contiguous tensor reshapes as a view: writes through it are visible in the original.
        if (layout == Layout.CONTIGUOUS) {
            Tensor v = x.reshape(105);
            assertThat(v.storage()).isSameAs(x.storage());
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void permuteAndTranspose(Layout layout) {
        Nd ref = Nd.of(values(), SHAPE);
        Tensor x = x(layout);
        assertClose(x.permute(2, 0, 1), ref.gather(new int[] {5, 3, 7}, i -> new int[] {i[1], i[2], i[0]}), 0, 0, "permute");
        assertClose(x.permute(-1, 1, 0), ref.gather(new int[] {5, 7, 3}, i -> new int[] {i[2], i[1], i[0]}), 0, 0, "permute negative");
        assertClose(x.transpose(0, 1), ref.gather(new int[] {7, 3, 5}, i -> new int[] {i[1], i[0], i[2]}), 0, 0, "transpose");
        assertClose(x.transpose(-1, -2).transpose(1, 2), ref, 0, 0, "transpose twice");
        assertThat(x.permute(2, 0, 1).storage()).isSameAs(x.storage());
        // Ops on permuted views see the permuted values.
        assertClose(x.transpose(0, 2).exp(), Reference.unary(UnaryOp.EXP,
                ref.gather(new int[] {5, 7, 3}, i -> new int[] {i[2], i[1], i[0]})), 1e-6, 0, "exp of transposed");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void sliceSelectSqueezeUnsqueeze(Layout layout) {
        Nd ref = Nd.of(values(), SHAPE);
        Tensor x = x(layout);
        assertClose(x.slice(1, 2, 6), ref.gather(new int[] {3, 4, 5}, i -> new int[] {i[0], i[1] + 2, i[2]}), 0, 0, "slice");
        assertClose(x.slice(-1, 4, 5), ref.gather(new int[] {3, 7, 1}, i -> new int[] {i[0], i[1], 4}), 0, 0, "slice last");
        assertThat(x.slice(0, 1, 1).numel()).isZero();
        assertClose(x.slice(2, 1, 4).slice(0, 1, 3), ref.gather(new int[] {2, 7, 3}, i -> new int[] {i[0] + 1, i[1], i[2] + 1}),
                0, 0, "slice of slice");
        assertClose(x.select(1, 6), ref.gather(new int[] {3, 5}, i -> new int[] {i[0], 6, i[1]}), 0, 0, "select");
        assertClose(x.select(0, 2).select(-1, 3), ref.gather(new int[] {7}, i -> new int[] {2, i[0], 3}), 0, 0, "select twice");
        assertThat(x.select(0, 1).select(0, 2).select(0, 3).item()).isEqualTo((float) ref.get(1, 2, 3));
        assertThat(x.get(2, 6, 4)).isEqualTo((float) ref.get(2, 6, 4));
        assertClose(x.unsqueeze(1), ref.reshape(3, 1, 7, 5), 0, 0, "unsqueeze");
        assertClose(x.unsqueeze(-1), ref.reshape(3, 7, 5, 1), 0, 0, "unsqueeze last");
        assertClose(x.unsqueeze(0).squeeze(0), ref, 0, 0, "squeeze");
        assertClose(x.slice(1, 3, 4).squeeze(1), ref.gather(new int[] {3, 5}, i -> new int[] {i[0], 3, i[1]}), 0, 0, "squeeze slice");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void expandBroadcastsWithoutCopying(Layout layout) {
        float[] v = TestData.normal(2, 7, 1);
        Tensor col = put(layout, v, 7, 1);
        Tensor e = col.expand(2, 7, 5);
        assertThat(e.storage()).isSameAs(col.storage());
        assertThat(e.isContiguous()).isFalse();
        Nd ref = Nd.of(v, 7, 1);
        assertClose(e, Reference.expand(ref, new int[] {2, 7, 5}), 0, 0, "expand");
        assertClose(e.contiguous(), Reference.expand(ref, new int[] {2, 7, 5}), 0, 0, "contiguous of expand");
        assertClose(e.sum(2, false), Reference.reduce(ReduceOp.SUM, Reference.expand(ref, new int[] {2, 7, 5}), 2, false),
                1e-6, 0, "sum of expand");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void contiguousCopyAndTo(Layout layout) {
        Nd ref = Nd.of(values(), SHAPE);
        Tensor x = x(layout);
        Tensor c = x.contiguous();
        assertThat(c.isContiguous()).isTrue();
        assertClose(c, ref, 0, 0, "contiguous");
        assertThat(c == x).isEqualTo(layout == Layout.CONTIGUOUS);
        Tensor copy = x.copy();
        assertThat(copy.isDense()).isTrue();
        assertThat(copy.storage()).isNotSameAs(x.storage());
        assertClose(copy, ref, 0, 0, "copy");
        assertThat(x.to(device())).isSameAs(x);
        Tensor host = x.to(Device.CPU);
        assertClose(host, ref, 0, 0, "to cpu");
        assertClose(host.to(device()), ref, 0, 0, "round trip");
        assertThat(x.toFloatArray()).containsExactly(ref.toFloats());
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void copyFromWritesIntoViews(Layout layout) {
        Tensor dst = put(layout, new float[3 * 7 * 5], SHAPE);
        float[] v = TestData.normal(3, 7 * 2, 1);
        // Write a [7, 2] block into columns 1..2 of the middle plane, broadcasting a row into another.
        dst.select(0, 1).slice(1, 1, 3).copyFrom(put(v, 7, 2));
        dst.select(0, 2).copyFrom(put(new float[] {1f, 2f, 3f, 4f, 5f}, 5));
        Nd expected = Nd.zeros(SHAPE);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 2; j++) {
                expected.data()[expected.index(1, i, 1 + j)] = v[i * 2 + j];
            }
            for (int j = 0; j < 5; j++) {
                expected.data()[expected.index(2, i, j)] = j + 1;
            }
        }
        assertClose(dst, expected, 0, 0, "copyFrom");
        // Copy between two strided views of the same shape.
        Tensor a = x(layout).transpose(0, 2);
        Tensor b = put(Layout.SLICED, new float[105], 5, 7, 3);
        b.copyFrom(a);
        assertClose(b, Nd.of(a), 0, 0, "view to view");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void copyFromAViewOfItself(Layout layout) {
        float[] v = TestData.normal(6, 7 * 7, 1);
        Tensor t = put(layout, v, 7, 7);
        Nd expected = Nd.of(v, 7, 7).gather(new int[] {7, 7}, i -> new int[] {i[1], i[0]});
        t.copyFrom(t.transpose(0, 1));
        assertClose(t, expected, 0, 0, "in-place transpose");
        Tensor r = put(layout, v, 7, 7);
        r.slice(0, 1, 7).copyFrom(r.slice(0, 0, 6));
        Nd shifted = Nd.of(v, 7, 7).gather(new int[] {7, 7}, i -> new int[] {Math.max(0, i[0] - 1), i[1]});
        assertClose(r, shifted, 0, 0, "overlapping shift");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void intTensorsCopyAndView(Layout layout) {
        int[] v = TestData.ints(4, 105, -1000, 1000);
        Tensor t = putInts(layout, v, SHAPE);
        Nd ref = Nd.ofInts(v, SHAPE);
        assertClose(t.transpose(0, 2).contiguous(), ref.gather(new int[] {5, 7, 3}, i -> new int[] {i[2], i[1], i[0]}), 0, 0, "int transpose");
        assertThat(t.copy().dtype()).isEqualTo(DType.I32);
        assertThat(t.select(1, 3).toIntArray()).containsExactly(ref.gather(new int[] {3, 5}, i -> new int[] {i[0], 3, i[1]}).toInts());
        Tensor dst = Tensor.zeros(device(), DType.I32, 5, 7, 3);
        dst.copyFrom(t.transpose(0, 2));
        assertThat(dst.toIntArray()).containsExactly(ref.gather(new int[] {5, 7, 3}, i -> new int[] {i[2], i[1], i[0]}).toInts());
    }

    @Test
    void zerosAreZeroInBothDtypes() {
        assertThat(Tensor.zeros(device(), DType.F32, 257).toFloatArray()).hasSize(257).containsOnly(0f);
        assertThat(Tensor.zeros(device(), DType.I32, 3, 3).toIntArray()).hasSize(9).containsOnly(0);
        Tensor like = put(TestData.normal(7, 33, 1), 3, 11).zerosLike();
        assertThat(like.device()).isEqualTo(device());
        assertThat(like.shape()).containsExactly(3, 11);
        assertThat(like.toFloatArray()).containsOnly(0f);
    }

    /** A transposed source into a column window of every row, then a row broadcast into all of it. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 257})
    void copyBetweenViewsOfOddSizes(int n) {
        float[] src = TestData.normal(8, 3 * n, 1);
        float[] dst = TestData.normal(9, n * 5, 1);
        float[] row = TestData.normal(10, 5, 1);
        Tensor d = put(dst, n, 5);
        d.slice(1, 1, 4).copyFrom(put(src, 3, n).transpose(0, 1));
        Nd window = Nd.of(dst, n, 5);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                window.data()[window.index(i, 1 + j)] = src[j * n + i];
            }
        }
        assertClose(d, window, 0, 0, "transposed source into columns 1..3, n=" + n);
        d.copyFrom(put(row, 1, 5));
        assertClose(d, Reference.expand(Nd.of(row, 1, 5), new int[] {n, 5}), 0, 0, "broadcast row, n=" + n);
    }

    /** Ten axes, reversed: no two merge, more than a device kernel's packed view holds (8). */
    @Test
    void viewsOfManyAxes() {
        int[] shape = {2, 3, 2, 2, 3, 2, 2, 2, 3, 2};
        int[] reverse = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        int[] reversedShape = {2, 3, 2, 2, 2, 3, 2, 2, 3, 2};
        float[] a = TestData.normal(11, numel(shape), 1);
        float[] b = TestData.normal(12, numel(shape), 1);
        Nd ar = Nd.of(a, shape).gather(reversedShape, LayoutTest::reversed);
        Nd br = Nd.of(b, shape).gather(reversedShape, LayoutTest::reversed);
        Tensor ta = put(a, shape).permute(reverse);
        Tensor tb = put(b, shape).permute(reverse);
        assertClose(ta.contiguous(), ar, 0, 0, "copy of a rank-10 reversed view");
        assertClose(ta.sub(tb.contiguous()), Reference.binary(BinaryOp.SUB, ar, br), 1e-7, 0, "binary on rank-10 views");
    }

    private static int[] reversed(int[] idx) {
        int[] r = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r[i] = idx[idx.length - 1 - i];
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void inPlaceUpdates(Layout layout) {
        float[] v = values();
        Tensor view = x(layout);
        view.fillInPlace(2.5f);
        assertThat(view.toFloatArray()).containsOnly(2.5f);
        if (layout == Layout.SLICED) {
            // Filling a window leaves the rest of its buffer alone.
            assertThat(view.storage().size()).isGreaterThan(view.numel());
        }
        Tensor dense = put(v, SHAPE);
        float[] w = TestData.normal(5, 105, 1);
        dense.axpyInPlace(-0.5f, put(layout, w, SHAPE));
        Nd expected = Reference.binary(BinaryOp.ADD, Nd.of(v, SHAPE), Reference.affine(Nd.of(w, SHAPE), -0.5, 0));
        assertClose(dense, expected, 1e-6, 1e-7, "axpy");
        dense.scaleInPlace(3f);
        assertClose(dense, Reference.affine(expected, 3, 0), 1e-6, 1e-7, "scale");
    }

    /** axpy into a contiguous window (rows 1-2 of 4, as a slice's gradient goes into its parent's): the rest stays. */
    @Test
    void axpyIntoAContiguousWindowLeavesTheRestAlone() {
        Tensor t = put(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 3);
        t.slice(0, 1, 3).axpyInPlace(2f, put(new float[] {0.5f, 1, 1.5f, -1, -2, -3}, 2, 3));
        // By hand: rows 1 and 2 get 2 x the operand, rows 0 and 3 are untouched.
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3, 5, 7, 9, 5, 4, 3, 10, 11, 12);
    }

    /**
     * axpy into strided windows (one of q, k and v in a [B, N, 3, heads, d] projection's gradient; a
     * column window; a transposed view): by hand, the window gets alpha x the operand, the rest stays.
     */
    @Test
    void axpyIntoAStridedWindowLeavesTheRestAlone() {
        Tensor t = put(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 3);
        t.slice(1, 1, 3).axpyInPlace(2f, put(new float[] {0.5f, 1, 1.5f, -1, -2, -3, 0, 0.25f}, 4, 2));
        assertThat(t.toFloatArray()).containsExactly(1, 3, 5, 4, 8, 4, 7, 4, 3, 10, 11, 12.5f);
        Tensor u = put(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        u.transpose(0, 1).axpyInPlace(-1f, put(new float[] {1, 4, 2, 5, 3, 6}, 3, 2));
        assertThat(u.toFloatArray()).containsOnly(0f);
        // [B=2, N=2, 3, heads=1, d=2]: add 1 .. 8 into the middle third (k) only.
        Tensor qkv = put(new float[24], 2, 2, 3, 1, 2);
        qkv.select(2, 1).axpyInPlace(1f, put(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 1, 2));
        assertThat(qkv.toFloatArray()).containsExactly(0, 0, 1, 2, 0, 0, 0, 0, 3, 4, 0, 0,
                0, 0, 5, 6, 0, 0, 0, 0, 7, 8, 0, 0);
    }

    @Test
    void fillInPlaceOnARankZeroView() {
        Tensor t = put(new float[] {1f, 2f, 3f}, 3);
        t.select(0, 1).fillInPlace(9f);
        assertThat(t.toFloatArray()).containsExactly(1f, 9f, 3f);
    }

    @Test
    void contiguityFlags() {
        Tensor t = put(new float[24], 2, 3, 4);
        assertThat(t.isContiguous()).isTrue();
        assertThat(t.isDense()).isTrue();
        assertThat(t.slice(0, 1, 2).isContiguous()).isTrue();
        assertThat(t.slice(0, 1, 2).isDense()).isFalse();
        assertThat(t.slice(2, 0, 2).isContiguous()).isFalse();
        assertThat(t.transpose(0, 1).isContiguous()).isFalse();
        assertThat(t.unsqueeze(0).isContiguous()).isTrue();
        assertThat(t.select(2, 0).isContiguous()).isFalse();
        // The factories build host tensors; moved to the device they keep their shape and values.
        assertThat(Tensor.scalar(3f).to(device()).rank()).isZero();
        assertThat(Tensor.scalar(3f).to(device()).item()).isEqualTo(3f);
        assertThat(Tensor.arange(4).to(device()).toIntArray()).containsExactly(0, 1, 2, 3);
        assertThat(Tensor.full(1.5f, 2, 2).to(device()).toFloatArray()).containsOnly(1.5f);
        assertThat(t.dim(-1)).isEqualTo(4);
        assertThat(t.zerosLike().shape()).containsExactly(2, 3, 4);
    }
}

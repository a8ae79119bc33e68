package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Function;

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

    /** An Nd of the given shape whose element at idx is ref.get(map(idx)). */
    private static Nd gather(Nd ref, int[] shape, Function<int[], int[]> map) {
        Nd out = Nd.zeros(shape);
        for (int i = 0; i < out.numel(); i++) {
            out.data()[i] = ref.get(map.apply(Nd.unravel(i, shape)));
        }
        return out;
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
        assertClose(x.permute(2, 0, 1), gather(ref, new int[] {5, 3, 7}, i -> new int[] {i[1], i[2], i[0]}), 0, 0, "permute");
        assertClose(x.permute(-1, 1, 0), gather(ref, new int[] {5, 7, 3}, i -> new int[] {i[2], i[1], i[0]}), 0, 0, "permute negative");
        assertClose(x.transpose(0, 1), gather(ref, new int[] {7, 3, 5}, i -> new int[] {i[1], i[0], i[2]}), 0, 0, "transpose");
        assertClose(x.transpose(-1, -2).transpose(1, 2), ref, 0, 0, "transpose twice");
        assertThat(x.permute(2, 0, 1).storage()).isSameAs(x.storage());
        // Ops on permuted views see the permuted values.
        assertClose(x.transpose(0, 2).exp(), Reference.unary(UnaryOp.EXP,
                gather(ref, new int[] {5, 7, 3}, i -> new int[] {i[2], i[1], i[0]})), 1e-6, 0, "exp of transposed");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void sliceSelectSqueezeUnsqueeze(Layout layout) {
        Nd ref = Nd.of(values(), SHAPE);
        Tensor x = x(layout);
        assertClose(x.slice(1, 2, 6), gather(ref, new int[] {3, 4, 5}, i -> new int[] {i[0], i[1] + 2, i[2]}), 0, 0, "slice");
        assertClose(x.slice(-1, 4, 5), gather(ref, new int[] {3, 7, 1}, i -> new int[] {i[0], i[1], 4}), 0, 0, "slice last");
        assertThat(x.slice(0, 1, 1).numel()).isZero();
        assertClose(x.slice(2, 1, 4).slice(0, 1, 3), gather(ref, new int[] {2, 7, 3}, i -> new int[] {i[0] + 1, i[1], i[2] + 1}),
                0, 0, "slice of slice");
        assertClose(x.select(1, 6), gather(ref, new int[] {3, 5}, i -> new int[] {i[0], 6, i[1]}), 0, 0, "select");
        assertClose(x.select(0, 2).select(-1, 3), gather(ref, new int[] {7}, i -> new int[] {2, i[0], 3}), 0, 0, "select twice");
        assertThat(x.select(0, 1).select(0, 2).select(0, 3).item()).isEqualTo((float) ref.get(1, 2, 3));
        assertThat(x.get(2, 6, 4)).isEqualTo((float) ref.get(2, 6, 4));
        assertClose(x.unsqueeze(1), ref.reshape(3, 1, 7, 5), 0, 0, "unsqueeze");
        assertClose(x.unsqueeze(-1), ref.reshape(3, 7, 5, 1), 0, 0, "unsqueeze last");
        assertClose(x.unsqueeze(0).squeeze(0), ref, 0, 0, "squeeze");
        assertClose(x.slice(1, 3, 4).squeeze(1), gather(ref, new int[] {3, 5}, i -> new int[] {i[0], 3, i[1]}), 0, 0, "squeeze slice");
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
        Nd expected = gather(Nd.of(v, 7, 7), new int[] {7, 7}, i -> new int[] {i[1], i[0]});
        t.copyFrom(t.transpose(0, 1));
        assertClose(t, expected, 0, 0, "in-place transpose");
        Tensor r = put(layout, v, 7, 7);
        r.slice(0, 1, 7).copyFrom(r.slice(0, 0, 6));
        Nd shifted = gather(Nd.of(v, 7, 7), new int[] {7, 7}, i -> new int[] {Math.max(0, i[0] - 1), i[1]});
        assertClose(r, shifted, 0, 0, "overlapping shift");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void intTensorsCopyAndView(Layout layout) {
        int[] v = TestData.ints(4, 105, -1000, 1000);
        Tensor t = putInts(layout, v, SHAPE);
        Nd ref = Nd.ofInts(v, SHAPE);
        assertClose(t.transpose(0, 2).contiguous(), gather(ref, new int[] {5, 7, 3}, i -> new int[] {i[2], i[1], i[0]}), 0, 0, "int transpose");
        assertThat(t.copy().dtype()).isEqualTo(DType.I32);
        assertThat(t.select(1, 3).toIntArray()).containsExactly(gather(ref, new int[] {3, 5}, i -> new int[] {i[0], 3, i[1]}).toInts());
        Tensor dst = Tensor.zeros(device(), DType.I32, 5, 7, 3);
        dst.copyFrom(t.transpose(0, 2));
        assertThat(dst.toIntArray()).containsExactly(t.transpose(0, 2).toIntArray());
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
        assertThat(Tensor.scalar(3f).rank()).isZero();
        assertThat(Tensor.scalar(3f).item()).isEqualTo(3f);
        assertThat(Tensor.arange(4).toIntArray()).containsExactly(0, 1, 2, 3);
        assertThat(Tensor.full(1.5f, 2, 2).toFloatArray()).containsOnly(1.5f);
        assertThat(t.dim(-1)).isEqualTo(4);
        assertThat(t.zerosLike().shape()).containsExactly(2, 3, 4);
    }
}

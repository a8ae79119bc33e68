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

/** sum, mean, max over every axis (keepDim both ways), argmax and sumTo against the double reference. */
public class ReductionTest extends OpTest {
    private static final int[][] SHAPES = {{1}, {7}, {33}, {257}, {7, 33}, {33, 1, 7}, {3, 257, 5}, {2, 3, 1, 33}};

    static Stream<Arguments> shapesAndLayouts() {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (Layout l : Layout.values()) {
                out.add(Arguments.of(s, l));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("shapesAndLayouts")
    void reduceEveryAxisMatchesReference(int[] shape, Layout layout) {
        // Distinct values: MAX has a unique answer and argmax a unique index.
        float[] v = TestData.distinct(shape.length * 31L + numel(shape), numel(shape), 0.01);
        Tensor x = put(layout, v, shape);
        Nd xr = Nd.of(v, shape);
        for (int axis = 0; axis < shape.length; axis++) {
            for (boolean keep : new boolean[] {false, true}) {
                for (ReduceOp op : ReduceOp.values()) {
                    // A float sum of n terms of size s is within about n * ulp(s) of the exact sum.
                    assertClose(x.reduce(op, axis, keep), Reference.reduce(op, xr, axis, keep), 1e-5, 1e-5,
                            op + " axis " + axis + " keepDim " + keep + " of " + str(shape) + " " + layout);
                }
            }
            assertClose(x.argmax(axis), Reference.argmax(xr, axis), 0, 0, "argmax axis " + axis + " of " + str(shape) + " " + layout);
            int negative = axis - shape.length;
            assertClose(x.sum(negative, false), Reference.reduce(ReduceOp.SUM, xr, axis, false), 1e-5, 1e-5, "sum negative axis");
        }
    }

    @ParameterizedTest
    @MethodSource("shapesAndLayouts")
    void wholeTensorReductionsAreRankZero(int[] shape, Layout layout) {
        float[] v = TestData.normal(5, numel(shape), 1);
        Tensor x = put(layout, v, shape);
        Nd flat = Nd.of(v, v.length);
        assertThat(x.sum().shape()).isEmpty();
        assertClose(x.sum(), Reference.reduce(ReduceOp.SUM, flat, 0, false), 1e-5, 1e-5, "sum()");
        assertClose(x.mean(), Reference.reduce(ReduceOp.MEAN, flat, 0, false), 1e-5, 1e-6, "mean()");
        assertClose(x.max(), Reference.reduce(ReduceOp.MAX, flat, 0, false), 0, 0, "max()");
    }

    @Test
    void maxOfAllNegativeRowsAndInfinities() {
        float[] v = {-5f, -3f, -4f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, -1e30f};
        Tensor x = put(v, 2, 3);
        assertThat(x.max(1, false).toFloatArray()).containsExactly(-3f, -1e30f);
        assertThat(x.argmax(1).toIntArray()).containsExactly(1, 2);
        assertThat(x.max(0, true).toFloatArray()).containsExactly(-5f, -3f, -4f);
    }

    /** Long enough that a backend reducing in fixed chunks needs several passes (5000 -> 79 -> 2 -> 1 at 64). */
    @Test
    void longAxesMatchReference() {
        float[] v = TestData.normal(7, 5000, 1);
        Tensor x = put(v, 5000).add(0.5f);
        Nd xr = Reference.affine(Nd.of(v, 5000), 1, 0.5);
        for (ReduceOp op : ReduceOp.values()) {
            assertClose(x.reduce(op, 0, false), Reference.reduce(op, xr, 0, false), 1e-5, 1e-5, op + " over 5000");
        }
        float[] cols = TestData.normal(8, 300 * 7, 1);
        Tensor c = put(Layout.TRANSPOSED, cols, 300, 7);
        Nd cr = Nd.of(cols, 300, 7);
        assertClose(c.sum(0, false), Reference.reduce(ReduceOp.SUM, cr, 0, false), 1e-5, 1e-5, "column sums over 300 rows");
        assertClose(c.sum(), Reference.reduce(ReduceOp.SUM, cr.reshape(2100), 0, false), 1e-5, 1e-5, "sum of everything");
        assertThat(c.sum().shape()).isEmpty();
        // A bias gradient's shape: many rows into more columns than one block of a parallel split.
        float[] wide = TestData.normal(9, 700 * 601, 1);
        Tensor w = put(wide, 700, 601);
        Nd wr = Nd.of(wide, 700, 601);
        for (ReduceOp op : ReduceOp.values()) {
            assertClose(w.reduce(op, 0, false), Reference.reduce(op, wr, 0, false), 1e-5, 1e-5, op + " of 700 rows of 601");
        }
        assertClose(w.sumTo(601), Reference.sumTo(wr, new int[] {601}), 1e-5, 1e-5, "sumTo [601] from [700, 601]");
        // Wider than the largest column block (4,096), with a partial last block.
        float[] wider = TestData.normal(10, 60 * 9001, 1);
        Tensor x2 = put(wider, 60, 9001);
        Nd x2r = Nd.of(wider, 60, 9001);
        for (ReduceOp op : ReduceOp.values()) {
            assertClose(x2.reduce(op, 0, false), Reference.reduce(op, x2r, 0, false), 1e-5, 1e-5, op + " of 60 rows of 9001");
        }
    }

    /** NaN is above every number (Java's Math.max); argmax picks the first NaN. */
    @Test
    void nanIsTheMaximum() {
        Tensor x = put(new float[] {1, 3, 3, 0, Float.NaN, 2, 5, Float.NaN, Float.NaN}, 3, 3);
        assertThat(x.argmax(1).toIntArray()).containsExactly(1, 1, 1);
        assertThat(x.max(1, false).toFloatArray()).containsExactly(3f, Float.NaN, Float.NaN);
        assertThat(x.argmax(0).toIntArray()).containsExactly(2, 1, 2);
        assertThat(x.max(0, false).toFloatArray()).containsExactly(5f, Float.NaN, Float.NaN);
    }

    @Test
    void argmaxPicksTheFirstOfTies() {
        Tensor x = put(new float[] {1f, 7f, 7f, 3f, 2f, 2f, 2f, 2f}, 2, 4);
        assertThat(x.argmax(1).toIntArray()).containsExactly(1, 0);
        assertThat(x.argmax(0).toIntArray()).containsExactly(1, 0, 0, 0);
    }

    @Test
    void emptyAxisSumsToZero() {
        Tensor x = Tensor.zeros(device(), DType.F32, 3, 0);
        assertThat(x.sum(1, false).toFloatArray()).containsExactly(0f, 0f, 0f);
        assertThat(x.sum(0, false).shape()).containsExactly(0);
    }

    /** Shapes that broadcast to [3, 5, 7] (and rank-0), each summed back. */
    @ParameterizedTest
    @MethodSource("shapesAndLayouts")
    void sumToUndoesBroadcasting(int[] shape, Layout layout) {
        float[] v = TestData.normal(6, numel(shape), 1);
        Tensor x = put(layout, v, shape);
        Nd xr = Nd.of(v, shape);
        List<int[]> targets = new ArrayList<>();
        targets.add(new int[0]);
        targets.add(shape.clone());
        for (int a = 0; a < shape.length; a++) {
            int[] t = shape.clone();
            t[a] = 1;
            targets.add(t);
            targets.add(java.util.Arrays.copyOfRange(shape, a, shape.length));
            int[] tail = java.util.Arrays.copyOfRange(shape, a, shape.length);
            tail[0] = 1;
            targets.add(tail);
        }
        for (int[] t : targets) {
            assertClose(x.sumTo(t), Reference.sumTo(xr, t), 1e-5, 1e-5, "sumTo " + str(t) + " from " + str(shape) + " " + layout);
        }
    }
}

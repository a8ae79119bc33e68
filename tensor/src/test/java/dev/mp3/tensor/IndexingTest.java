package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.mp3.tensor.testing.TensorAssert.assertClose;
import static dev.mp3.tensor.testing.TensorAssert.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;

/** indexSelect / indexAdd, takeAlong / scatterAlong and concat against the reference. */
public class IndexingTest extends OpTest {

    @ParameterizedTest
    @EnumSource(Layout.class)
    void indexSelectAndIndexAddWithDuplicates(Layout layout) {
        // Sources of rank 1..3, indices of rank 0..2 with repeated rows.
        int[][] sources = {{7}, {33, 7}, {5, 3, 257}, {1, 1}};
        int[][] indexShapes = {{}, {1}, {9}, {4, 7}};
        for (int[] xs : sources) {
            float[] v = TestData.normal(1, numel(xs), 1);
            Tensor x = put(layout, v, xs);
            for (int[] is : indexShapes) {
                int[] ids = TestData.ints(2, numel(is), 0, xs[0]);
                if (ids.length > 2) {
                    ids[1] = ids[0];
                }
                Tensor idx = putInts(layout, ids, is);
                Nd ri = Nd.ofInts(ids, is);
                String what = str(xs) + " by " + str(is) + " " + layout;
                Tensor out = x.indexSelect(idx);
                assertClose(out, Reference.indexSelect(Nd.of(v, xs), ri), 0, 0, "indexSelect " + what);
                float[] g = TestData.normal(3, out.numel(), 1);
                Tensor tg = put(layout, g, out.shape());
                assertClose(backend().indexAdd(tg, idx, xs[0]), Reference.indexAdd(Nd.of(g, out.shape()), ri, xs[0]),
                        1e-5, 1e-6, "indexAdd " + what);
            }
        }
    }

    /**
     * The gather by an inverse with -1 for "none": by hand, and as the backward of a gather by
     * distinct indices it equals indexAdd (each sum has one term).
     */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void indexSelectOrZeroIsTheBackwardOfADistinctGather(Layout layout) {
        Tensor g = put(layout, new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2);
        Tensor byHand = g.indexSelectOrZero(putInts(layout, new int[] {-1, 2, -1, 0}, 4));
        assertThat(byHand.shape()).containsExactly(4, 2);
        assertThat(byHand.toFloatArray()).containsExactly(0f, 0f, 5f, 6f, 0f, 0f, 1f, 2f);

        int rows = 300;
        int rowLen = 17;
        int[] perm = new dev.mp3.tensor.Rng(8).permutationArray(1, rows);
        int[] ids = java.util.Arrays.copyOf(perm, 120);   // 120 distinct rows of 300
        int[] inverse = new int[rows];
        java.util.Arrays.fill(inverse, -1);
        for (int i = 0; i < ids.length; i++) {
            inverse[ids[i]] = i;
        }
        float[] gv = TestData.normal(5, ids.length * rowLen, 1);
        Tensor tg = put(layout, gv, ids.length, rowLen);
        Tensor viaInverse = tg.indexSelectOrZero(putInts(layout, inverse, rows));
        assertClose(viaInverse, Reference.indexAdd(Nd.of(gv, ids.length, rowLen), Nd.ofInts(ids, ids.length), rows),
                0, 0, "indexSelectOrZero as the backward of a distinct gather, " + layout);
    }

    @Test
    void indexAddSumsEveryDuplicate() {
        Tensor g = put(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2);
        Tensor out = backend().indexAdd(g, putInts(new int[] {2, 0, 2}, 3), 4);
        assertThat(out.shape()).containsExactly(4, 2);
        assertThat(out.toFloatArray()).containsExactly(3f, 4f, 0f, 0f, 6f, 8f, 0f, 0f);
    }

    /**
     * Rows hit dozens and hundreds of times: duplicates add in index order (no float atomics), so
     * a second call gives the same bits.
     */
    @Test
    void indexAddOfManyDuplicatesIsDeterministic() {
        for (int rowLen : new int[] {1, 7, 33}) {
            float[] g = TestData.normal(20 + rowLen, 3 * 50 * rowLen, 1);
            int[] ids = TestData.ints(21, 3 * 50, 0, 12);
            Tensor tg = put(g, 3, 50, rowLen);
            Tensor idx = putInts(ids, 3, 50);
            Tensor first = backend().indexAdd(tg, idx, 40);
            assertClose(first, Reference.indexAdd(Nd.of(g, 3, 50, rowLen), Nd.ofInts(ids, 3, 50), 40), 1e-5, 1e-5,
                    "indexAdd of 150 rows into 12 of 40, row length " + rowLen);
            assertSameBits(backend().indexAdd(tg, idx, 40), first, "indexAdd again, row length " + rowLen);
        }
        float[] g = TestData.normal(22, 500 * 3, 1);
        Tensor all = backend().indexAdd(put(g, 500, 3), putInts(new int[500], 500), 2);
        assertClose(all, Reference.indexAdd(Nd.of(g, 500, 3), Nd.ofInts(new int[500], 500), 2), 1e-5, 1e-5,
                "indexAdd of 500 rows into one");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void takeAlongAndScatterAlong(Layout layout) {
        int[][] shapes = {{7}, {5, 33}, {2, 3, 257}, {4, 1}};
        for (int[] xs : shapes) {
            int n = xs[xs.length - 1];
            float[] v = TestData.normal(4, numel(xs), 1);
            for (int k : new int[] {1, 3, n + 2}) {
                int[] is = xs.clone();
                is[is.length - 1] = k;
                int[] ids = TestData.ints(5, numel(is), 0, n);
                Tensor idx = putInts(layout, ids, is);
                Nd ri = Nd.ofInts(ids, is);
                String what = str(xs) + " take " + str(is) + " " + layout;
                Tensor out = put(layout, v, xs).takeAlong(idx);
                assertClose(out, Reference.takeAlong(Nd.of(v, xs), ri), 0, 0, "takeAlong " + what);
                float[] g = TestData.normal(6, numel(is), 1);
                Tensor scattered = backend().scatterAlong(put(layout, g, is), idx, n);
                assertClose(scattered, Reference.scatterAlong(Nd.of(g, is), ri, n), 1e-5, 1e-6, "scatterAlong " + what);
                assertSameBits(backend().scatterAlong(put(layout, g, is), idx, n), scattered, "scatterAlong again " + what);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void concatAlongEveryAxis(Layout layout) {
        int[] base = {3, 7, 5};
        for (int axis = 0; axis < 3; axis++) {
            int[] s1 = base.clone();
            int[] s2 = base.clone();
            int[] s3 = base.clone();
            s2[axis] = 1;
            s3[axis] = 33;
            float[] a = TestData.normal(7, numel(s1), 1);
            float[] b = TestData.normal(8, numel(s2), 1);
            float[] c = TestData.normal(9, numel(s3), 1);
            Tensor out = Tensor.concat(List.of(put(layout, a, s1), put(Layout.STRIDED, b, s2), put(layout, c, s3)), axis);
            Nd ref = Reference.concat(List.of(Nd.of(a, s1), Nd.of(b, s2), Nd.of(c, s3)), axis);
            assertClose(out, ref, 0, 0, "concat axis " + axis + " " + layout);
            assertClose(Tensor.concat(List.of(put(layout, a, s1)), axis - 3), Nd.of(a, s1), 0, 0, "concat of one, negative axis");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void concatOfIntsAlongEveryAxis(Layout layout) {
        int[] base = {3, 4, 5};
        for (int axis = 0; axis < 3; axis++) {
            int[] s2 = base.clone();
            s2[axis] = 2;
            int[] ia = TestData.ints(10, numel(base), -9, 9);
            int[] ib = TestData.ints(11, numel(s2), -9, 9);
            Tensor ints = Tensor.concat(List.of(putInts(layout, ia, base), putInts(ib, s2)), axis);
            assertThat(ints.dtype()).isEqualTo(DType.I32);
            assertClose(ints, Reference.concat(List.of(Nd.ofInts(ia, base), Nd.ofInts(ib, s2)), axis), 0, 0,
                    "int concat axis " + axis + " " + layout);
        }
    }

    @Test
    void concatWithAnEmptyPart() {
        Tensor a = put(new float[] {1f, 2f}, 1, 2);
        Tensor empty = Tensor.zeros(device(), DType.F32, 0, 2);
        assertThat(Tensor.concat(List.of(empty, a, empty), 0).toFloatArray()).containsExactly(1f, 2f);
    }
}

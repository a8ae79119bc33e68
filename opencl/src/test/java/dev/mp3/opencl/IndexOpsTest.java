package dev.mp3.opencl;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mp3.opencl.ClTestSupport.assertSame;
import static dev.mp3.opencl.ClTestSupport.cpu;
import static dev.mp3.opencl.ClTestSupport.ints;
import static dev.mp3.opencl.ClTestSupport.normal;
import static dev.mp3.opencl.ClTestSupport.toCl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Gathers, scatter-adds and concatenation against the CPU backend. Gathers copy and scatter-adds
 * add duplicates in index order on both backends, so all of these agree bit for bit; scatter-adds
 * are also checked to give the same bits on every run (no float atomics).
 */
class IndexOpsTest {

    @Test
    void indexSelectRowsOfAnyWidthFromViews() {
        Rng rng = new Rng(50);
        ClBackend cl = ClTestSupport.backend();
        for (int[] shape : new int[][] {{40, 7}, {257}, {9, 3, 4}, {1, 33}}) {
            Tensor x = normal(rng, shape);
            Tensor idx = ints(rng, 0, shape[0], 3, 5);
            assertSame("indexSelect " + java.util.Arrays.toString(shape), cpu().indexSelect(x, idx),
                    cl.indexSelect(toCl(x), toCl(idx)));
        }
        Tensor x = normal(rng, 7, 40);
        Tensor idx = ints(rng, 0, 40, 6);
        assertSame("indexSelect of a transposed view with a strided index",
                cpu().indexSelect(x.transpose(0, 1), idx.slice(0, 1, 6)),
                cl.indexSelect(toCl(x).transpose(0, 1), toCl(idx).slice(0, 1, 6)));
    }

    @Test
    void indexAddSumsDuplicatesInIndexOrderDeterministically() {
        Rng rng = new Rng(51);
        ClBackend cl = ClTestSupport.backend();
        for (int rowLen : new int[] {1, 7, 33}) {
            Tensor g = normal(rng, 3, 50, rowLen);
            Tensor idx = ints(rng, 0, 12, 3, 50);
            Tensor expected = cpu().indexAdd(g, idx, 40);
            Tensor first = cl.indexAdd(toCl(g), toCl(idx), 40);
            assertSame("indexAdd rowLen=" + rowLen, expected, first);
            assertSame("indexAdd again, same bits", first, cl.indexAdd(toCl(g), toCl(idx), 40));
        }
        Tensor g = normal(rng, 500, 3);
        Tensor same = Tensor.ofInts(new int[500], 500);
        assertSame("indexAdd of 500 rows into one", cpu().indexAdd(g, same, 2), cl.indexAdd(toCl(g), toCl(same), 2));
    }

    /** The placement step may leave a row's slots in any order; the sort must restore index order. */
    @Test
    void theRowSortRestoresIndexOrderFromAnyPlacement() {
        ClBackend cl = ClTestSupport.backend();
        Rng rng = new Rng(56);
        int[] counts = {0, 1, 2, 7, 500};
        int[] starts = new int[counts.length];
        int total = 0;
        for (int r = 0; r < counts.length; r++) {
            starts[r] = total;
            total += counts[r];
        }
        int[] slots = new int[total];
        for (int r = 0; r < counts.length; r++) {
            int[] perm = rng.permutationArray(1, counts[r]);
            for (int j = 0; j < counts[r]; j++) {
                slots[starts[r] + j] = 1000 * r + perm[j];
            }
        }
        Tensor dslots = toCl(Tensor.ofInts(slots, total));
        Program p = cl.context().program("index", "");
        synchronized (cl) {
            cl.context().launch(p, "index_add_sort").buffer(buffer(toCl(Tensor.ofInts(starts, 5))))
                    .buffer(buffer(toCl(Tensor.ofInts(counts, 5)))).i32(counts.length)
                    .buffer(buffer(dslots)).run(counts.length, 1);
        }
        int[] sorted = dslots.toIntArray();
        for (int r = 0; r < counts.length; r++) {
            for (int j = 0; j < counts[r]; j++) {
                assertThat(sorted[starts[r] + j]).as("row " + r + " slot " + j).isEqualTo(1000 * r + j);
            }
        }
    }

    private static ClBuffer buffer(Tensor t) {
        return ((ClStorage) t.storage()).buffer();
    }

    @Test
    void takeAlongAndScatterAlong() {
        Rng rng = new Rng(52);
        ClBackend cl = ClTestSupport.backend();
        for (int n : new int[] {1, 7, 33, 257}) {
            Tensor x = normal(rng, 2, 5, n);
            Tensor idx = ints(rng, 0, n, 2, 5, 9);
            assertSame("takeAlong n=" + n, cpu().takeAlong(x, idx), cl.takeAlong(toCl(x), toCl(idx)));
            Tensor g = normal(rng, 2, 5, 9);
            Tensor first = cl.scatterAlong(toCl(g), toCl(idx), n);
            assertSame("scatterAlong with duplicates n=" + n, cpu().scatterAlong(g, idx, n), first);
            assertSame("scatterAlong again, same bits", first, cl.scatterAlong(toCl(g), toCl(idx), n));
        }
    }

    @Test
    void concatAlongEveryAxisBothDtypes() {
        Rng rng = new Rng(53);
        ClBackend cl = ClTestSupport.backend();
        for (int axis = 0; axis < 3; axis++) {
            int[] s1 = {3, 4, 5};
            int[] s2 = {3, 4, 5};
            s2[axis] = 2;
            Tensor a = normal(rng, s1);
            Tensor b = normal(rng, s2);
            assertSame("concat axis " + axis, cpu().concat(List.of(a, b), axis), cl.concat(List.of(toCl(a), toCl(b)), axis));
            Tensor ia = ints(rng, -9, 9, s1);
            Tensor ib = ints(rng, -9, 9, s2);
            assertThat(cl.concat(List.of(toCl(ia), toCl(ib)), axis).toIntArray())
                    .containsExactly(cpu().concat(List.of(ia, ib), axis).toIntArray());
        }
        Tensor t = normal(rng, 4, 6);
        assertSame("concat of views", cpu().concat(List.of(t.transpose(0, 1), t.transpose(0, 1).slice(0, 0, 2)), 0),
                cl.concat(List.of(toCl(t).transpose(0, 1), toCl(t).transpose(0, 1).slice(0, 0, 2)), 0));
    }

    @Test
    void badIndicesAreReportedAtTheNextReadBack() {
        ClBackend cl = ClTestSupport.backend();
        Tensor x = toCl(normal(new Rng(54), 4, 3));
        Tensor bad = toCl(Tensor.ofInts(new int[] {1, 7, 2}, 3));
        Tensor picked = cl.indexSelect(x, bad);
        assertThatThrownBy(picked::toFloatArray).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("indexSelect").hasMessageContaining("index 7 out of range [0, 4)");
        Tensor g = cl.scatterAlong(toCl(normal(new Rng(55), 2, 2)), toCl(Tensor.ofInts(new int[] {0, -1, 1, 1}, 2, 2)), 3);
        assertThatThrownBy(cl::synchronize).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scatterAlong: index -1 out of range [0, 3)");
        assertThat(g.toFloatArray()).hasSize(6);
        assertThat(x.toFloatArray()).hasSize(12);
    }
}

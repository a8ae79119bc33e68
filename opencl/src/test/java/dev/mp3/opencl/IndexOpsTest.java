package dev.mp3.opencl;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.mp3.opencl.ClTestSupport.normal;
import static dev.mp3.opencl.ClTestSupport.toCl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the device's index kernels have: indexAdd's deterministic sort step, and bad indices
 * found on the device and thrown at the next read-back. (Their values, duplicates and error
 * messages are checked by the shared IndexingTest and BadInputTest, see {@link OpenClOpsTest}.)
 */
class IndexOpsTest {

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

    /** The error surfaces at the first read-back or synchronize, and only once: the backend stays usable. */
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

package dev.mp3.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * The OpenBLAS binding of {@link SgemmPeerBench} against a double-precision loop, on every
 * combination of stored-transposed operands, and the benchmark's own check that our SGEMM and
 * OpenBLAS's compute the same product. Needs Debian's libopenblas0-pthread (.ci/run installs it).
 */
@EnabledIf("dev.mp3.bench.OpenBlas#available")
class OpenBlasTest {

    @Test
    void sgemmMatchesADoubleLoopForEveryTransposeCombination() {
        OpenBlas blas = OpenBlas.load();
        blas.threads(2);
        int m = 37;
        int k = 29;
        int n = 41;
        SplittableRandom random = new SplittableRandom(7);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextDouble() - 0.5);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (random.nextDouble() - 0.5);
        }
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                float[] c = new float[m * n];
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment na = arena.allocateFrom(ValueLayout.JAVA_FLOAT, a);
                    MemorySegment nb = arena.allocateFrom(ValueLayout.JAVA_FLOAT, b);
                    MemorySegment nc = arena.allocate((long) c.length * Float.BYTES);
                    blas.sgemm(transA, transB, m, n, k, na, nb, nc);
                    MemorySegment.copy(nc, ValueLayout.JAVA_FLOAT, 0, c, 0, c.length);
                }
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            // op(A)[i, p] and op(B)[p, j] from storage [m, k] or [k, m], [k, n] or [n, k]
                            sum += (double) a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
                        }
                        assertThat((double) c[i * n + j]).as("transA %s transB %s C[%d, %d]", transA, transB, i, j)
                                .isCloseTo(sum, offset(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void rejectsHeapSegmentsAndShortOperands() {
        OpenBlas blas = OpenBlas.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment four = arena.allocate(4 * Float.BYTES);
            assertThatThrownBy(() -> blas.sgemm(false, false, 2, 2, 2, MemorySegment.ofArray(new float[4]), four, four))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A must be native memory");
            assertThatThrownBy(() -> blas.sgemm(false, false, 2, 3, 2, four, four, four))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("B must be native memory of at least 6 floats, got 4 floats");
        }
    }

    @Test
    void theBenchmarkFindsOursAndOpenBlasComputingTheSameProduct() throws InterruptedException {
        OpenBlas blas = OpenBlas.load();
        blas.threads(1);
        for (String shape : new String[] {"70x33x50", "40x300x20:tA", "30x17x45:tB"}) {
            SgemmPeerBench.Result r = SgemmPeerBench.measure(blas, shape, 2, 0.01);
            assertThat(r.maxRelativeDifference()).as(shape).isLessThan(1e-5);
            assertThat(Arrays.stream(r.ours()).min().orElseThrow()).isPositive();
            assertThat(Arrays.stream(r.theirs()).min().orElseThrow()).isPositive();
        }
    }
}

package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.mp3.tensor.testing.TensorAssert.assertClose;

/**
 * Tensor.matmul through the backend's operand adaptation: every transpose flag, strided and
 * transposed views, and broadcast batch axes, against the reference. (The GEMM kernel itself has
 * its own tests in cpu/MatMulTest.)
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
}

package dev.mp3.opencl;

import dev.mp3.tensor.ReduceOp;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.mp3.opencl.ClTestSupport.assertClose;
import static dev.mp3.opencl.ClTestSupport.assertSame;
import static dev.mp3.opencl.ClTestSupport.cpu;
import static dev.mp3.opencl.ClTestSupport.normal;
import static dev.mp3.opencl.ClTestSupport.toCl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reductions against the CPU backend. Sums add in a different order on the device (fixed chunks
 * of 64, then the chunk totals) than on the CPU (vector lanes or rows in turn), so they agree to
 * 1e-5 relative error, not bit for bit; max and argmax pick elements and must agree exactly.
 */
class ReduceOpsTest {
    private static final double SUM_TOL = 1e-5;

    @Test
    void everyAxisOfOddShapesAndViews() {
        Rng rng = new Rng(10);
        ClBackend cl = ClTestSupport.backend();
        for (int n : new int[] {1, 7, 33, 257}) {
            Tensor x = normal(rng, 3, n, 5);
            Tensor dx = toCl(x);
            Tensor view = x.permute(2, 0, 1);
            Tensor dview = dx.permute(2, 0, 1);
            for (ReduceOp op : ReduceOp.values()) {
                double tol = op == ReduceOp.MAX ? 0 : SUM_TOL;
                for (int axis = 0; axis < 3; axis++) {
                    for (boolean keep : new boolean[] {false, true}) {
                        String what = op + " axis " + axis + (keep ? " keepDim" : "") + " n=" + n;
                        assertClose(what, cpu().reduce(op, x, axis, keep), cl.reduce(op, dx, axis, keep), tol);
                        assertClose(what + " of a permuted view", cpu().reduce(op, view, axis, keep),
                                cl.reduce(op, dview, axis, keep), tol);
                    }
                }
            }
        }
    }

    @Test
    void longAxesTakeSeveralPasses() {
        Rng rng = new Rng(11);
        ClBackend cl = ClTestSupport.backend();
        Tensor x = normal(rng, 5000).add(0.5f);
        for (ReduceOp op : ReduceOp.values()) {
            assertClose(op + " over 5000 (three passes)", cpu().reduce(op, x, 0, false), cl.reduce(op, toCl(x), 0, false),
                    op == ReduceOp.MAX ? 0 : SUM_TOL);
        }
        Tensor cols = normal(rng, 300, 7);
        assertClose("column sums over 300 rows", cpu().reduce(ReduceOp.SUM, cols, 0, false),
                cl.reduce(ReduceOp.SUM, toCl(cols), 0, false), SUM_TOL);
        Tensor scalar = toCl(cols).sum();
        assertThat(scalar.shape()).isEmpty();
        assertClose("sum of everything", cols.sum(), scalar, SUM_TOL);
    }

    @Test
    void argmaxTakesTheFirstMaximumAndNaN() {
        Rng rng = new Rng(12);
        ClBackend cl = ClTestSupport.backend();
        for (int n : new int[] {1, 7, 33, 257}) {
            Tensor x = normal(rng, 4, n, 3);
            for (int axis = 0; axis < 3; axis++) {
                assertSame("argmax axis " + axis + " n=" + n, cpu().argmax(x, axis), cl.argmax(toCl(x), axis));
            }
        }
        Tensor ties = Tensor.of(new float[] {1, 3, 3, 0, Float.NaN, 2, 5, 5, -1}, 3, 3);
        assertThat(cl.argmax(toCl(ties), 1).toIntArray()).containsExactly(cpu().argmax(ties, 1).toIntArray());
        assertThat(cl.argmax(toCl(ties), 1).toIntArray()).containsExactly(1, 1, 0);
        assertThat(Float.isNaN(cl.reduce(ReduceOp.MAX, toCl(ties), 1, false).toFloatArray()[1])).isTrue();
    }

    @Test
    void sumToUndoesBroadcasting() {
        Rng rng = new Rng(13);
        ClBackend cl = ClTestSupport.backend();
        Tensor x = normal(rng, 4, 7, 33);
        for (int[] target : new int[][] {{7, 1}, {1, 33}, {33}, {4, 1, 33}, {1, 7, 1}, {}}) {
            assertClose("sumTo " + java.util.Arrays.toString(target), cpu().sumTo(x, target), cl.sumTo(toCl(x), target),
                    SUM_TOL);
        }
        Tensor view = x.transpose(1, 2);
        assertClose("sumTo of a view", cpu().sumTo(view, new int[] {7}), cl.sumTo(toCl(x).transpose(1, 2), new int[] {7}),
                SUM_TOL);
    }
}

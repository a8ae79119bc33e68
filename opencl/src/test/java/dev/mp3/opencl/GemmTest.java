package dev.mp3.opencl;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.mp3.opencl.ClTestSupport.assertClose;
import static dev.mp3.opencl.ClTestSupport.cpu;
import static dev.mp3.opencl.ClTestSupport.normal;
import static dev.mp3.opencl.ClTestSupport.toCl;

/**
 * SGEMM against the CPU backend: every transpose combination, odd sizes, batches, a shared
 * operand, broadcast batch axes and strided operands, through both the direct and the tiled
 * kernel, and every configuration the tuner may choose. Both kernels and the CPU compute each
 * output as the same chain of fused multiply-adds over k, so the results agree to 1e-6 relative
 * error (in practice bit for bit).
 */
class GemmTest {
    private static final double TOL = 1e-6;
    private static final int[][] SIZES = {{1, 7, 33}, {7, 1, 257}, {33, 257, 7}, {257, 33, 33}, {70, 45, 37}, {33, 33, 1}};

    @AfterEach
    void automatic() {
        if (Platforms.discover().found()) {
            ClTestSupport.backend().setGemmPath(GemmKernels.Path.AUTO);
        }
    }

    /** a [.., m, k] or stored transposed, b likewise; compares op(a) op(b) on both backends. */
    private static void check(String what, Tensor a, boolean ta, Tensor b, boolean tb, Tensor da, Tensor db) {
        assertClose(what, cpu().matmul(a, ta, b, tb), ClTestSupport.backend().matmul(da, ta, db, tb), TOL);
    }

    private static Tensor operand(Rng rng, boolean trans, int rows, int cols, int... batch) {
        int[] shape = java.util.Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = trans ? cols : rows;
        shape[batch.length + 1] = trans ? rows : cols;
        return normal(rng, shape);
    }

    @Test
    void allTransposesOddSizesBothKernels() {
        Rng rng = new Rng(30);
        for (GemmKernels.Path path : new GemmKernels.Path[] {GemmKernels.Path.DIRECT, GemmKernels.Path.TILED}) {
            ClTestSupport.backend().setGemmPath(path);
            for (int[] mnk : SIZES) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        Tensor a = operand(rng, ta, mnk[0], mnk[2]);
                        Tensor b = operand(rng, tb, mnk[2], mnk[1]);
                        check(path + " " + java.util.Arrays.toString(mnk) + (ta ? " A^T" : "") + (tb ? " B^T" : ""),
                                a, ta, b, tb, toCl(a), toCl(b));
                    }
                }
            }
        }
    }

    @Test
    void batchedSharedAndBroadcastOperands() {
        Rng rng = new Rng(31);
        for (GemmKernels.Path path : new GemmKernels.Path[] {GemmKernels.Path.DIRECT, GemmKernels.Path.TILED}) {
            ClTestSupport.backend().setGemmPath(path);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    String flags = path + (ta ? " A^T" : "") + (tb ? " B^T" : "");
                    Tensor a = operand(rng, ta, 33, 20, 3);
                    Tensor b = operand(rng, tb, 20, 45, 3);
                    check("batched " + flags, a, ta, b, tb, toCl(a), toCl(b));
                    Tensor w = operand(rng, tb, 20, 45);
                    check("shared B " + flags, a, ta, w, tb, toCl(a), toCl(w));
                    Tensor a1 = operand(rng, ta, 33, 20);
                    check("shared A " + flags, a1, ta, b, tb, toCl(a1), toCl(b));
                    Tensor x = operand(rng, ta, 17, 20, 2, 1);
                    Tensor y = operand(rng, tb, 20, 9, 1, 3);
                    check("batch axes broadcast both ways " + flags, x, ta, y, tb, toCl(x), toCl(y));
                }
            }
        }
    }

    @Test
    void stridedOperandsNeedNoCopyOrGetOne() {
        Rng rng = new Rng(32);
        ClBackend cl = ClTestSupport.backend();
        Tensor wide = normal(rng, 40, 60);
        Tensor b = normal(rng, 25, 33);
        Tensor c = normal(rng, 40, 9);
        Tensor heads = normal(rng, 2, 19, 3, 16);
        Tensor items = normal(rng, 6, 20, 30);
        Tensor d = normal(rng, 25, 8);
        Tensor row = normal(rng, 1, 12);
        Tensor e = normal(rng, 12, 7);
        Tensor dwide = toCl(wide);
        Tensor dheads = toCl(heads);
        for (GemmKernels.Path path : new GemmKernels.Path[] {GemmKernels.Path.DIRECT, GemmKernels.Path.TILED}) {
            cl.setGemmPath(path);
            check(path + " a column slice (row stride 60)", wide.slice(1, 5, 30), false, b, false,
                    dwide.slice(1, 5, 30), toCl(b));
            check(path + " a transposed view read column-major", wide.transpose(0, 1).slice(0, 10, 35), false, c, false,
                    dwide.transpose(0, 1).slice(0, 10, 35), toCl(c));
            check(path + " permuted heads q k^T (copied: heads interleave)", heads.permute(0, 2, 1, 3), false,
                    heads.permute(0, 2, 1, 3), true, dheads.permute(0, 2, 1, 3), dheads.permute(0, 2, 1, 3));
            check(path + " batch items with a row stride", items.slice(2, 0, 25), false, d, false,
                    toCl(items).slice(2, 0, 25), toCl(d));
            check(path + " an expanded operand (row stride 0)", row.expand(9, 12), false, e, false,
                    toCl(row).expand(9, 12), toCl(e));
            check(path + " an empty inner dimension gives zeros", normal(rng, 5, 0), false, normal(rng, 0, 4), false,
                    toCl(normal(rng, 5, 0)), toCl(normal(rng, 0, 4)));
        }
    }

    @Test
    void everyTunerCandidateIsCorrect() {
        Rng rng = new Rng(33);
        ClBackend cl = ClTestSupport.backend();
        GemmConfig before = cl.gemmConfig();
        cl.setGemmPath(GemmKernels.Path.TILED);
        Tensor a = normal(rng, 2, 70, 37);
        Tensor b = normal(rng, 2, 45, 37);
        Tensor expected = cpu().matmul(a, false, b, true);
        Tensor da = toCl(a);
        Tensor db = toCl(b);
        try {
            for (GemmConfig c : GemmConfig.CANDIDATES) {
                if (c.problem(cl.deviceInfo()) != null) {
                    continue;
                }
                cl.useGemmConfig(c);
                assertClose("candidate " + c, expected, cl.matmul(da, false, db, true), TOL);
            }
            GemmConfig scalarLoads = new GemmConfig(16, 16, 8, 2, 2, 1);
            cl.useGemmConfig(scalarLoads);
            assertClose("scalar loads " + scalarLoads, expected, cl.matmul(da, false, db, true), TOL);
        } finally {
            cl.useGemmConfig(before);
        }
    }
}

package dev.mp3.tensor;

import dev.mp3.tensor.cpu.Parallel;
import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.mp3.tensor.testing.TensorAssert.assertSameBits;

/**
 * "Results never depend on the number of threads" (Backend): every op, on inputs large enough to
 * be split into several chunks whose boundaries fall mid-vector, gives the same bits on 1 and 2
 * threads, and the same bits when called twice.
 */
class DeterminismTest {
    /** Elements: a few parallel chunks of the elementwise grain (2^14), not a multiple of any vector width. */
    private static final int N = 3 * (1 << 14) + 77;
    private static final int ROWS = 1001;
    private static final int C = 33;

    private static int savedThreads;

    @BeforeAll
    static void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterAll
    static void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    private static Backend cpu() {
        return Backends.cpu();
    }

    private static void assertThreadIndependent(String what, Supplier<List<Tensor>> op) {
        Parallel.setThreads(1);
        List<Tensor> one = op.get();
        Parallel.setThreads(2);
        List<Tensor> two = op.get();
        List<Tensor> again = op.get();
        for (int i = 0; i < one.size(); i++) {
            assertSameBits(two.get(i), one.get(i), what + " output " + i + ", 2 threads vs 1");
            assertSameBits(again.get(i), two.get(i), what + " output " + i + ", repeated call");
        }
    }

    private static Tensor normal(long seed, int... shape) {
        return Tensor.of(TestData.normal(seed, Shape.numel(shape), 2), shape);
    }

    @Test
    void elementwise() {
        Tensor x = normal(1, N);
        Tensor pos = Tensor.of(TestData.uniform(2, N, 0.1, 4), N);
        Tensor y = normal(3, N);
        Tensor strided = Layout.STRIDED.place(TestData.normal(4, N, 1), new int[] {N});
        for (UnaryOp op : UnaryOp.values()) {
            Tensor in = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT ? pos : x;
            assertThreadIndependent(op.toString(), () -> List.of(in.unary(op), strided.abs().add(0.1f).unary(op)));
            assertThreadIndependent(op + " backward", () -> List.of(cpu().unaryBackward(op, in, y), cpu().unaryBackward(op, in, strided)));
        }
        Tensor row = normal(5, C);
        Tensor mat = normal(6, ROWS, C);
        for (BinaryOp op : BinaryOp.values()) {
            assertThreadIndependent(op.toString(), () -> List.of(x.binary(op, y), mat.binary(op, row), row.binary(op, mat),
                    x.binary(op, strided)));
        }
        Tensor mask = Tensor.of(TestData.uniform(7, C, 0, 1), C).affine(1f, -0.5f).relu();
        assertThreadIndependent("affine, clamp, maskedFill, equal", () -> List.of(x.affine(0.3f, -1f), x.clamp(-1f, 1f),
                cpu().clampBackward(x, y, -1f, 1f), mat.maskedFill(mask, 7f), mat.eq(row), strided.contiguous()));
    }

    @Test
    void reductions() {
        Tensor mat = normal(8, ROWS, C);
        Tensor cube = normal(9, 37, 41, 43);
        List<Supplier<Tensor>> ops = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            ops.add(() -> mat.reduce(op, 0, false));
            ops.add(() -> mat.reduce(op, 1, true));
            ops.add(() -> cube.reduce(op, 1, false));
            ops.add(() -> cube.transpose(0, 2).reduce(op, 2, false));
        }
        ops.add(() -> mat.argmax(1));
        ops.add(() -> cube.argmax(0));
        ops.add(() -> cube.sumTo(1, 41, 1));
        // A bias gradient: thousands of rows summed into a few hundred columns, split by column blocks.
        Tensor tall = normal(11, 3001, 601);
        ops.add(() -> tall.sumTo(601));
        Tensor wide = normal(12, 67, 9001);
        ops.add(() -> wide.sumTo(9001));
        ops.add(() -> tall.reduce(ReduceOp.MAX, 0, true));
        ops.add(() -> normal(10, N).sum());
        assertThreadIndependent("reductions", () -> ops.stream().map(Supplier::get).toList());
    }

    @Test
    void rows() {
        Tensor x = normal(11, ROWS, C);
        Tensor g = normal(12, ROWS, C);
        Tensor gamma = normal(13, C);
        Tensor beta = normal(14, C);
        Tensor targets = Tensor.ofInts(TestData.ints(15, ROWS, -1, C), ROWS);
        Tensor gl = normal(16, ROWS);
        assertThreadIndependent("softmax", () -> {
            Tensor p = x.softmax();
            Tensor lp = x.logSoftmax();
            return List.of(p, lp, cpu().softmaxBackward(p, g, false), cpu().softmaxBackward(lp, g, true));
        });
        assertThreadIndependent("layerNorm", () -> {
            var out = cpu().layerNorm(x, gamma, beta, 1e-5f);
            var grads = cpu().layerNormBackward(g, x, gamma, out.mean(), out.rstd());
            return List.of(out.y(), out.mean(), out.rstd(), grads.dx(), grads.dgamma(), grads.dbeta());
        });
        assertThreadIndependent("crossEntropy", () -> List.of(cpu().crossEntropy(x, targets, 0.1f),
                cpu().crossEntropyBackward(x, targets, 0.1f, gl)));
    }

    @Test
    void matmulAndAttention() {
        Tensor a = normal(17, 4, 65, 33);
        Tensor b = normal(18, 33, 129);
        assertThreadIndependent("matmul", () -> List.of(a.matmul(b), Tensor.matmul(b, true, a, true),
                Tensor.matmul(a.transpose(1, 2).contiguous(), true, b, false)));
        Tensor wide = normal(24, 700, 300);
        Tensor w = normal(25, 130, 300);
        Tensor bias129 = normal(26, 129);
        Tensor bias130 = normal(27, 130);
        assertThreadIndependent("matmul with bias", () -> List.of(Tensor.matmul(a, false, b, false, bias129),
                Tensor.matmul(wide, false, w, true, bias130), Tensor.matmul(w, false, wide, true, normal(28, 700))));
        Tensor q = normal(19, 2, 3, 33, 8);
        Tensor k = normal(20, 2, 3, 17, 8);
        Tensor v = normal(21, 2, 3, 17, 8);
        Tensor bias = normal(22, 3, 33, 17);
        Tensor g = normal(23, 2, 3, 33, 8);
        assertThreadIndependent("attention", () -> {
            var out = cpu().attention(q, k, v, bias, 0.35f);
            var grads = cpu().attentionBackward(q, k, v, bias, 0.35f, out.out(), out.logSumExp(), g);
            return List.of(out.out(), out.logSumExp(), grads.dq(), grads.dk(), grads.dv(), grads.dbias());
        });
    }

    @Test
    void convolutionAndBatchNorm() {
        Tensor x = normal(40, 4, 16, 301);
        Tensor w = normal(41, 24, 16, 9);
        Tensor wg = normal(42, 24, 4, 3);
        Tensor bias = normal(43, 24);
        Tensor gy = normal(44, 4, 24, 151);
        Tensor gyg = normal(45, 4, 24, 149);
        assertThreadIndependent("conv1d", () -> List.of(x.conv1d(w, bias, 2, 4, 1, 1), x.conv1d(wg, null, 2, 1, 3, 4),
                Tensor.conv1dBackwardInput(gy, w, 301, 2, 4, 1, 1), x.conv1dBackwardWeight(gy, 9, 2, 4, 1, 1),
                Tensor.conv1dBackwardInput(gyg, wg, 301, 2, 1, 3, 4), x.conv1dBackwardWeight(gyg, 3, 2, 1, 3, 4),
                x.unfold1d(5, 1, 2, 1).fold1d(301, 5, 1, 2, 1)));
        Tensor gamma = normal(46, 16);
        Tensor beta = normal(47, 16);
        Tensor g = normal(48, 4, 16, 301);
        assertThreadIndependent("batchNorm", () -> {
            var out = x.batchNorm(gamma, beta, 1e-5f);
            var grads = x.batchNormBackward(g, gamma, out.mean(), out.rstd());
            return List.of(out.y(), out.mean(), out.rstd(), grads.dx(), grads.dgamma(), grads.dbeta());
        });
    }

    @Test
    void indexing() {
        Tensor table = normal(24, 300, C);
        Tensor idx = Tensor.ofInts(TestData.ints(25, 2000, 0, 300), 2000);
        Tensor g = normal(26, 2000, C);
        Tensor x = normal(27, ROWS, C);
        Tensor along = Tensor.ofInts(TestData.ints(28, ROWS * 40, 0, C), ROWS, 40);
        Tensor ga = normal(29, ROWS, 40);
        assertThreadIndependent("indexing", () -> List.of(table.indexSelect(idx), cpu().indexAdd(g, idx, 300),
                x.takeAlong(along), cpu().scatterAlong(ga, along, C), Tensor.concat(List.of(x, x.transpose(0, 1).contiguous().reshape(ROWS, C)), 1)));
    }

    @Test
    void randomAndAdam() {
        assertThreadIndependent("random", () -> List.of(new Rng(5).uniform(N), new Rng(5).normal(0f, 1f, N),
                new Rng(6).truncatedNormal(0f, 1f, -2f, 2f, 1000)));
        Tensor p0 = normal(30, N);
        Tensor grad = normal(31, N);
        Tensor m0 = normal(32, N).mul(0.1f);
        Tensor v0 = normal(33, N).square().mul(0.01f);
        for (boolean decoupled : new boolean[] {false, true}) {
            assertThreadIndependent("adam decoupled=" + decoupled, () -> {
                Tensor p = p0.copy();
                Tensor m = m0.copy();
                Tensor v = v0.copy();
                cpu().adamInPlace(p, grad, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.05f, decoupled, 0.19f, 0.002f);
                return List.of(p, m, v);
            });
        }
        assertThreadIndependent("axpy, scale, fill", () -> {
            Tensor p = p0.copy();
            p.axpyInPlace(0.3f, grad);
            Tensor q = p0.copy();
            q.scaleInPlace(1.7f);
            Tensor f = p0.copy();
            f.fillInPlace(0.25f);
            return List.of(p, q, f);
        });
    }
}

package dev.mp3.opencl;

import dev.mp3.tensor.BinaryOp;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

import static dev.mp3.opencl.ClTestSupport.assertClose;
import static dev.mp3.opencl.ClTestSupport.assertSame;
import static dev.mp3.opencl.ClTestSupport.cpu;
import static dev.mp3.opencl.ClTestSupport.normal;
import static dev.mp3.opencl.ClTestSupport.toCl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory, elementwise, random and Adam ops of the OpenCL backend against the CPU backend, on odd
 * sizes, non-contiguous views and broadcasts. Ops with the same arithmetic on both backends must
 * agree bit for bit; transcendental functions (exp, log, tanh, erf-based GELU, ...) differ by a
 * few ulps between Java's and the device's math library, so they get 1e-5 relative error.
 */
class ElementwiseOpsTest {
    private static final int[] SIZES = {1, 7, 33, 257};
    private static final double TRANSCENDENTAL = 1e-5;

    @Test
    void uploadDownloadAndZeroedAllocation() {
        Rng rng = new Rng(1);
        ClBackend cl = ClTestSupport.backend();
        Tensor x = normal(rng, 7, 33);
        Tensor d = toCl(x);
        assertSame("round trip", x, d);
        assertSame("transposed view", x.transpose(0, 1).contiguous(), d.transpose(0, 1));
        assertSame("sliced view", x.slice(1, 3, 20).contiguous(), d.slice(1, 3, 20));
        Tensor ints = ClTestSupport.ints(rng, -50, 50, 5, 9);
        assertThat(toCl(ints).transpose(0, 1).toIntArray()).containsExactly(ints.transpose(0, 1).toIntArray());
        Tensor z = Tensor.zeros(cl.device(), DType.F32, 257);
        assertThat(z.toFloatArray()).containsOnly(0f);
        assertThat(Tensor.zeros(cl.device(), DType.I32, 3, 3).toIntArray()).containsOnly(0);
    }

    @Test
    void copyIntoViewsAndFromBroadcasts() {
        Rng rng = new Rng(2);
        for (int n : SIZES) {
            Tensor src = normal(rng, 3, n);
            Tensor dstCpu = normal(rng, n, 5);
            Tensor dstCl = toCl(dstCpu);
            cpu().copy(src.transpose(0, 1), dstCpu.slice(1, 1, 4));
            ClTestSupport.backend().copy(toCl(src).transpose(0, 1), dstCl.slice(1, 1, 4));
            assertSame("copy into a strided slice, n=" + n, dstCpu, dstCl);
            Tensor row = normal(rng, 1, 5);
            dstCpu.copyFrom(row);
            dstCl.copyFrom(toCl(row));
            assertSame("broadcast copy, n=" + n, dstCpu, dstCl);
        }
        Tensor ints = ClTestSupport.ints(rng, 0, 100, 4, 6);
        Tensor cat = Tensor.concat(java.util.List.of(toCl(ints), toCl(ints).slice(1, 0, 2)), 1);
        assertThat(cat.toIntArray()).containsExactly(Tensor.concat(java.util.List.of(ints, ints.slice(1, 0, 2)), 1).toIntArray());
    }

    @Test
    void fillAxpyScale() {
        Rng rng = new Rng(3);
        for (int n : SIZES) {
            Tensor a = normal(rng, n, 3);
            Tensor b = normal(rng, 3, n);
            Tensor ca = a.copy();
            Tensor da = toCl(a);
            ca.axpyInPlace(0.37f, b.transpose(0, 1));
            da.axpyInPlace(0.37f, toCl(b).transpose(0, 1));
            assertSame("axpy with a transposed source, n=" + n, ca, da);
            ca.scaleInPlace(-1.7f);
            da.scaleInPlace(-1.7f);
            assertSame("scale, n=" + n, ca, da);
            ca.slice(1, 1, 2).fillInPlace(4.5f);
            da.slice(1, 1, 2).fillInPlace(4.5f);
            assertSame("fill of a column view, n=" + n, ca, da);
        }
    }

    private static Tensor input(Rng rng, UnaryOp op, int... shape) {
        return switch (op) {
            case LOG, SQRT, RSQRT -> rng.uniform(0.05f, 4f, shape);
            default -> rng.normal(0f, 2f, shape);
        };
    }

    private static boolean exact(UnaryOp op) {
        return switch (op) {
            case NEG, RELU, SQUARE, ABS -> true;
            default -> false;
        };
    }

    @Test
    void unaryOpsAndTheirBackwardOnViews() {
        Rng rng = new Rng(4);
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : SIZES) {
                Tensor x = input(rng, op, n, 3).transpose(0, 1);
                Tensor gy = normal(rng, n);
                double tol = exact(op) ? 0 : TRANSCENDENTAL;
                assertClose(op + " n=" + n, cpu().unary(op, x), ClTestSupport.backend().unary(op, toCl(x.contiguous()).reshape(3, n)), tol);
                assertClose(op + " on a transposed view, n=" + n, cpu().unary(op, x),
                        ClTestSupport.backend().unary(op, toCl(x.transpose(0, 1).contiguous()).transpose(0, 1)), tol);
                assertClose(op + " backward with a broadcast gradient, n=" + n,
                        cpu().unaryBackward(op, x, gy.unsqueeze(0)),
                        ClTestSupport.backend().unaryBackward(op, toCl(x.contiguous()), toCl(gy).unsqueeze(0)), tol);
            }
        }
    }

    @Test
    void binaryOpsBroadcastAndStrided() {
        Rng rng = new Rng(5);
        for (BinaryOp op : BinaryOp.values()) {
            double tol = op == BinaryOp.DIV && !ClTestSupport.backend().deviceInfo().correctlyRoundedDivideSqrt() ? 1e-6 : 0;
            for (int n : SIZES) {
                Tensor a = normal(rng, 7, n);
                Tensor row = normal(rng, n);
                Tensor col = normal(rng, 7, 1);
                Tensor t = normal(rng, n, 7);
                assertClose(op + " [7,n] with [n], n=" + n, cpu().binary(op, a, row),
                        ClTestSupport.backend().binary(op, toCl(a), toCl(row)), tol);
                assertClose(op + " [7,1] with [n], n=" + n, cpu().binary(op, col, row),
                        ClTestSupport.backend().binary(op, toCl(col), toCl(row)), tol);
                assertClose(op + " transposed view with [7,1], n=" + n, cpu().binary(op, t.transpose(0, 1), col),
                        ClTestSupport.backend().binary(op, toCl(t).transpose(0, 1), toCl(col)), tol);
            }
        }
        Tensor nan = Tensor.of(new float[] {Float.NaN, 1f, -0f, 0f}, 4);
        Tensor other = Tensor.of(new float[] {2f, Float.NaN, 0f, -0f}, 4);
        for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
            float[] want = cpu().binary(op, nan, other).toFloatArray();
            float[] got = ClTestSupport.backend().binary(op, toCl(nan), toCl(other)).toFloatArray();
            for (int i = 0; i < 4; i++) {
                assertThat(Float.floatToIntBits(got[i])).as(op + " Java semantics at " + i)
                        .isEqualTo(Float.floatToIntBits(want[i]));
            }
        }
    }

    @Test
    void affineClampMaskedFillEqual() {
        Rng rng = new Rng(6);
        ClBackend cl = ClTestSupport.backend();
        for (int n : SIZES) {
            Tensor x = normal(rng, n, 5).transpose(0, 1);
            Tensor dx = toCl(x.transpose(0, 1).contiguous()).transpose(0, 1);
            Tensor gy = normal(rng, 5, n);
            assertSame("affine n=" + n, cpu().affine(x, 1.3f, -0.2f), cl.affine(dx, 1.3f, -0.2f));
            assertSame("clamp n=" + n, cpu().clamp(x, -0.5f, 0.7f), cl.clamp(dx, -0.5f, 0.7f));
            assertSame("clamp backward n=" + n, cpu().clampBackward(x, gy, -0.5f, 0.7f),
                    cl.clampBackward(dx, toCl(gy), -0.5f, 0.7f));
            Tensor mask = rng.uniform(1, n).affine(1f, -0.5f).clamp(0f, 1f);
            assertSame("masked fill with a broadcast mask n=" + n, cpu().maskedFill(x, mask, -9f),
                    cl.maskedFill(dx, toCl(mask), -9f));
            Tensor y = x.contiguous().maskedFill(mask, 0.25f);
            assertSame("equal f32 n=" + n, cpu().equal(x, y), cl.equal(dx, toCl(y)));
            Tensor ia = ClTestSupport.ints(rng, 0, 3, 5, n);
            Tensor ib = ClTestSupport.ints(rng, 0, 3, n);
            assertSame("equal i32 broadcast n=" + n, cpu().equal(ia, ib), cl.equal(toCl(ia), toCl(ib)));
        }
    }

    @Test
    void randomNumbersFollowTheCounterBasedGenerator() {
        ClBackend cl = ClTestSupport.backend();
        long key = new Rng(77).nextKey();
        int[] shape = {33, 257};
        assertSame("uniform is bit-identical", cpu().random(Rng.Kind.UNIFORM, shape, key),
                cl.random(Rng.Kind.UNIFORM, shape, key));
        // Box-Muller in double on both sides when the device has fp64; in float otherwise.
        double tol = cl.deviceInfo().hasExtension("cl_khr_fp64") ? 1e-6 : 1e-5;
        assertClose("normal", cpu().random(Rng.Kind.NORMAL, shape, key), cl.random(Rng.Kind.NORMAL, shape, key), tol);
        Tensor onDevice = new Rng(5).normal(cl.device(), 0f, 1f, 4, 4);
        assertThat(onDevice.device()).isEqualTo(cl.device());
        assertClose("Rng.normal on the device", new Rng(5).normal(0f, 1f, 4, 4), onDevice, tol);
    }

    @Test
    void adamAndAdamWMatchTheCpuUpdate() {
        Rng rng = new Rng(8);
        ClBackend cl = ClTestSupport.backend();
        for (boolean decoupled : new boolean[] {true, false}) {
            for (int n : SIZES) {
                Tensor p = normal(rng, n, 3);
                Tensor m = normal(rng, n, 3).mul(0.1f);
                Tensor v = normal(rng, n, 3).square().mul(0.01f);
                Tensor g = normal(rng, 3, n).transpose(0, 1);
                Tensor dp = toCl(p);
                Tensor dm = toCl(m);
                Tensor dv = toCl(v);
                Tensor dg = toCl(g.transpose(0, 1).contiguous()).transpose(0, 1);
                for (int step = 1; step <= 3; step++) {
                    float b1 = (float) (1 - Math.pow(0.9, step));
                    float b2 = (float) (1 - Math.pow(0.999, step));
                    cpu().adamInPlace(p, g, m, v, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, decoupled, b1, b2);
                    cl.adamInPlace(dp, dg, dm, dv, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, decoupled, b1, b2);
                }
                // The CPU's vector body and scalar tail round m/denom*step differently; 1e-6 covers both.
                String what = (decoupled ? "AdamW" : "Adam") + " n=" + n;
                assertClose(what + " param", p, dp, 1e-6);
                assertClose(what + " m", m, dm, 1e-6);
                assertClose(what + " v", v, dv, 1e-6);
            }
        }
    }

    @Test
    void viewsOfMoreThanEightUnmergeableAxes() {
        Rng rng = new Rng(9);
        ClBackend cl = ClTestSupport.backend();
        int[] shape = {2, 3, 2, 2, 3, 2, 2, 2, 3, 2};
        int[] reverse = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        Tensor x = normal(rng, shape);
        Tensor y = normal(rng, shape);
        Tensor dx = toCl(x);
        Tensor dy = toCl(y);
        assertSame("copy of a rank-10 reversed view", x.permute(reverse).contiguous(), dx.permute(reverse).contiguous());
        assertSame("binary on rank-10 views", cpu().binary(BinaryOp.SUB, x.permute(reverse), y.permute(reverse).contiguous()),
                cl.binary(BinaryOp.SUB, dx.permute(reverse), dy.permute(reverse).contiguous()));
    }

    @Test
    void tensorsReportTheirDevice() {
        ClBackend cl = ClTestSupport.backend();
        Tensor t = toCl(Tensor.arange(5));
        assertThat(t.device()).isEqualTo(cl.device());
        assertThat(t.device().type()).isEqualTo("opencl");
        assertThat(Device.parse(t.device().toString())).isEqualTo(cl.device());
    }
}

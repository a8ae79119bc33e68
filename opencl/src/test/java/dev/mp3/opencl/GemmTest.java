package dev.mp3.opencl;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MatMulViewsTest;
import dev.mp3.tensor.testing.TestData;
import org.jocl.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The two SGEMM kernels and the tuner's configurations. {@link OpenClOpsTest} runs the shared
 * matmul cases with the kernel chosen by size; here every case runs through each kernel forced (the
 * direct one on products the size rule would tile, the tiled one on single rows and columns, where
 * every tile is ragged), and a sample of the tuner's search space is checked on every layout.
 */
@EnabledIf("dev.mp3.opencl.ClTestSupport#platformFound")
class GemmTest {

    /** Every shared matmul case through one kernel, then the size rule again. */
    abstract static class ForcedPath extends MatMulViewsTest {
        abstract GemmKernels.Path path();

        @Override
        protected Device device() {
            return ClTestSupport.device();
        }

        @BeforeEach
        void force() {
            ClTestSupport.backend().setGemmPath(path());
        }

        @AfterEach
        void automatic() {
            ClTestSupport.backend().setGemmPath(GemmKernels.Path.AUTO);
        }
    }

    @Nested class Direct extends ForcedPath { @Override GemmKernels.Path path() { return GemmKernels.Path.DIRECT; } }

    @Nested class Tiled extends ForcedPath { @Override GemmKernels.Path path() { return GemmKernels.Path.TILED; } }

    /**
     * A sample of the generated search space (of a GPU with 1024 work-items and 48 KiB, so the
     * GPU-only shapes are in it), the large 8x8-per-work-item tiles single- and double-buffered
     * and the GPUs' default among them: every layout on odd sizes, batched, equal in every bit to the direct kernel and
     * within float rounding of a double-precision loop.
     */
    @Test
    void aSampleOfTheSearchSpaceComputesEveryLayoutExactly() {
        ClBackend backend = ClTestSupport.backend();
        ClContext cl = backend.context();
        List<GemmConfig> space = GemmConfig.space(GemmSpaceTest.gpu(1024, 48 * 1024));
        List<GemmConfig> sample = new ArrayList<>(List.of(
                new GemmConfig(128, 128, 16, 8, 8, 4, true), new GemmConfig(128, 128, 32, 8, 8, 4, false),
                new GemmConfig(64, 128, 8, 8, 8, 8, true), new GemmConfig(16, 32, 8, 1, 2, 1, true),
                new GemmConfig(32, 16, 32, 2, 1, 2, false), GemmConfig.GPU_DEFAULT));
        for (int i = 7; i < space.size(); i += space.size() / 3) {
            sample.add(space.get(i));
        }
        assertThat(space).containsAll(sample.subList(0, 3));
        int batch = 2, m = 70, n = 45, k = 37;
        float[] a = TestData.normal(33, batch * m * k, 1);
        float[] b = TestData.normal(34, batch * k * n, 1);
        ClBuffer da = upload(backend, a);
        ClBuffer db = upload(backend, b);
        ClBuffer dc = cl.pool.allocate(DType.F32, batch * m * n);
        GemmKernels direct = new GemmKernels(cl, GemmConfig.defaultFor(cl.info));
        for (GemmConfig c : sample) {
            assertThat(c.problem(cl.info)).as(c.toString()).isNull();
            Program program = cl.programOnce("gemm", c.defines());
            try {
                GemmKernels tiled = new GemmKernels(cl, c, program);
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        String what = c + ", " + (ta ? "t" : "n") + (tb ? "t" : "n");
                        GemmKernels.Operand oa = new GemmKernels.Operand(da, 0, ta ? m : k, m * k, ta);
                        GemmKernels.Operand ob = new GemmKernels.Operand(db, 0, tb ? k : n, k * n, tb);
                        direct.gemm(batch, m, n, k, oa, ob, dc, GemmKernels.Path.DIRECT);
                        float[] want = download(cl, dc, batch * m * n);
                        tiled.gemm(batch, m, n, k, oa, ob, dc, GemmKernels.Path.TILED);
                        float[] got = download(cl, dc, batch * m * n);
                        for (int i = 0; i < got.length; i++) {
                            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", the direct kernel's " + want[i]);
                            }
                        }
                        double[][] exact = matmul(a, ta, b, tb, batch, m, n, k);
                        for (int i = 0; i < got.length; i++) {
                            // The forward error bound of a float dot product: k units of rounding times sum |a b|.
                            double bound = k * 0x1p-24 * exact[1][i];
                            assertThat((double) got[i]).as(what + " element " + i).isCloseTo(exact[0][i], within(bound));
                        }
                    }
                }
            } finally {
                program.release();
            }
        }
    }

    /** C[t] = op(A[t]) op(B[t]) in double precision, and sum |a b| per element; A[t] stored [m, k] or
     *  [k, m], B[t] [k, n] or [n, k]. */
    private static double[][] matmul(float[] a, boolean ta, float[] b, boolean tb, int batch, int m, int n, int k) {
        double[] c = new double[batch * m * n];
        double[] abs = new double[c.length];
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    double sa = 0;
                    for (int p = 0; p < k; p++) {
                        double av = a[t * m * k + (ta ? p * m + i : i * k + p)];
                        double bv = b[t * k * n + (tb ? j * k + p : p * n + j)];
                        s += av * bv;
                        sa += Math.abs(av * bv);
                    }
                    c[(t * m + i) * n + j] = s;
                    abs[(t * m + i) * n + j] = sa;
                }
            }
        }
        return new double[][] {c, abs};
    }

    private static ClBuffer upload(ClBackend backend, float[] data) {
        ClBuffer buf = backend.context().pool.allocate(DType.F32, data.length);
        backend.context().write(buf.mem(), 4L * data.length, Pointer.to(data));
        return buf;
    }

    private static float[] download(ClContext cl, ClBuffer buf, int n) {
        float[] out = new float[n];
        cl.read(buf.mem(), 0, 4L * n, Pointer.to(out));
        return out;
    }
}

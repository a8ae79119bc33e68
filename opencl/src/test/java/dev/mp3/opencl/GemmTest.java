package dev.mp3.opencl;

import dev.mp3.tensor.Device;
import dev.mp3.tensor.MatMulViewsTest;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static dev.mp3.tensor.testing.TensorAssert.assertClose;

/**
 * The two SGEMM kernels and the tuner's configurations. {@link OpenClOpsTest} runs the shared
 * matmul cases with the kernel chosen by size; here every case runs through each kernel forced (the
 * direct one on products the size rule would tile, the tiled one on single rows and columns, where
 * every tile is ragged), and every tuner candidate is checked on a product with ragged tiles.
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

    @Test
    void everyTunerCandidateIsCorrect() {
        ClBackend cl = ClTestSupport.backend();
        float[] a = TestData.normal(33, 2 * 70 * 37, 1);
        float[] b = TestData.normal(34, 2 * 45 * 37, 1);
        Nd expected = Reference.matmul(Nd.of(a, 2, 70, 37), false, Nd.of(b, 2, 45, 37), true);
        Tensor da = Tensor.of(a, 2, 70, 37).to(cl.device());
        Tensor db = Tensor.of(b, 2, 45, 37).to(cl.device());
        GemmConfig before = cl.gemmConfig();
        cl.setGemmPath(GemmKernels.Path.TILED);
        try {
            for (GemmConfig c : GemmConfig.CANDIDATES) {
                if (c.problem(cl.deviceInfo()) != null) {
                    continue;
                }
                cl.useGemmConfig(c);
                assertClose(cl.matmul(da, false, db, true), expected, 1e-5, 1e-5, "candidate " + c);
            }
            GemmConfig scalarLoads = new GemmConfig(16, 16, 8, 2, 2, 1);
            cl.useGemmConfig(scalarLoads);
            assertClose(cl.matmul(da, false, db, true), expected, 1e-5, 1e-5, "scalar loads " + scalarLoads);
        } finally {
            cl.useGemmConfig(before);
            cl.setGemmPath(GemmKernels.Path.AUTO);
        }
    }
}

package dev.mp3.opencl;

import dev.mp3.tensor.Backends;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** OpenCL failures come out as readable exceptions; an explicit OpenCL request never falls back. */
class ErrorsTest {

    @Test
    void aBuildFailureCarriesTheBuildLog() {
        ClBackend cl = ClTestSupport.backend();
        assertThatThrownBy(() -> Program.build(cl.context(), "broken", "__kernel void k(__global float* x) { x[0] = not_declared; }", ""))
                .isInstanceOf(ClException.class)
                .hasMessageContaining("building broken.cl for " + cl.deviceInfo().name())
                .hasMessageContaining("build log")
                .hasMessageContaining("not_declared")
                .hasMessageContaining("CL_BUILD_PROGRAM_FAILURE");
    }

    @Test
    void anUnknownDeviceListsTheDevicesThatExist() {
        ClBackend cl = ClTestSupport.backend();
        assertThatThrownBy(() -> Backends.get(Device.parse("opencl:9:9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("opencl:9:9: no such OpenCL device")
                .hasMessageContaining("opencl:" + cl.deviceInfo().address())
                .hasMessageContaining(cl.deviceInfo().name());
        assertThatThrownBy(() -> Backends.get(Device.parse("opencl:gpu")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected opencl or opencl:PLATFORM:DEVICE");
    }

    @Test
    void anAllocationBeyondTheDeviceNamesTheSize() {
        ClBackend cl = ClTestSupport.backend();
        long elements = cl.deviceInfo().maxAllocBytes() / 4 + 1;
        assumeTrue(elements <= Integer.MAX_VALUE, "the device allows single buffers beyond 2^31 floats");
        long bytes = elements * 4;
        assertThatThrownBy(() -> cl.allocate(DType.F32, (int) elements))
                .isInstanceOf(ClException.class)
                .hasMessageContaining("out of device memory")
                .hasMessageContaining(bytes + " bytes")
                .hasMessageContaining("CL_DEVICE_MAX_MEM_ALLOC_SIZE");
    }

    @Test
    void aMalformedTuningCacheNamesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("opencl-tuning.json");
        Files.writeString(file, "{\"dev | 1\": {\"tm\": 64, \"tn\": 64");
        assertThatThrownBy(() -> TuningCache.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tuning cache " + file + " is malformed")
                .hasMessageContaining("mp3 tune");
        Files.writeString(file, "{\"dev | 1\": {\"tm\": 64, \"tn\": 64, \"tk\": 16, \"wm\": 5, \"wn\": 4, \"vw\": 4, \"gflops\": 1}}");
        assertThatThrownBy(() -> TuningCache.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tm must be a multiple of wm");
        assertThat(TuningCache.read(dir.resolve("absent.json"))).isEmpty();
    }

    @Test
    void gemmConfigsAreValidatedAgainstTheDevice() {
        assertThatThrownBy(() -> new GemmConfig(64, 64, 16, 4, 4, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vw must be 1, 2, 4 or 8");
        ClBackend cl = ClTestSupport.backend();
        GemmConfig huge = new GemmConfig(1024, 1024, 1024, 1, 1, 4);
        assertThat(huge.problem(cl.deviceInfo())).contains("work-items per group exceed");
        assertThatThrownBy(() -> cl.useGemmConfig(huge))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot run on");
    }
}

package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.BackendProvider;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tuner, its cache file, the provider registration, the devices listing and device names on tensors. */
class TunerAndDevicesTest {

    @Test
    void theTunerKeepsTheFastestCorrectCandidateAndCachesIt(@TempDir Path dir) {
        ClBackend cl = ClTestSupport.backend();
        GemmConfig before = cl.gemmConfig();
        Path file = dir.resolve("mp3").resolve("opencl-tuning.json");
        List<GemmConfig> candidates = List.of(new GemmConfig(16, 16, 8, 2, 2, 2), new GemmConfig(32, 32, 16, 4, 4, 4));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            GemmTuner.Result r = GemmTuner.tune(cl, candidates, List.of(new int[] {96, 80, 72}), 2, file,
                    new PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(candidates).contains(r.config());
            assertThat(r.gflops()).isPositive();
            assertThat(cl.gemmConfig()).isEqualTo(r.config());
            Map<String, TuningCache.Entry> cache = TuningCache.read(file);
            assertThat(cache).containsKey(TuningCache.key(cl.deviceInfo()));
            assertThat(cache.get(TuningCache.key(cl.deviceInfo())).config()).isEqualTo(r.config());
            String text = log.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("GFLOP/s").contains("chose " + r.config());
        } finally {
            cl.useGemmConfig(before);
        }
    }

    @Test
    void theCacheKeepsOtherDevicesEntries(@TempDir Path dir) {
        Path file = dir.resolve("t.json");
        TuningCache.write(file, Map.of("Other \"GPU\" | 1.0", new TuningCache.Entry(GemmConfig.GPU_DEFAULT, 1234.5)));
        Map<String, TuningCache.Entry> read = TuningCache.read(file);
        assertThat(read).containsOnlyKeys("Other \"GPU\" | 1.0");
        assertThat(read.get("Other \"GPU\" | 1.0").config()).isEqualTo(GemmConfig.GPU_DEFAULT);
        assertThat(read.get("Other \"GPU\" | 1.0").gflops()).isEqualTo(1234.5);
    }

    @Test
    void theProviderIsFoundAndEachDeviceHasOneBackend() {
        ClBackend cl = ClTestSupport.backend();
        assertThat(Backends.knownTypes()).contains("opencl");
        Backend byAddress = Backends.get(Device.parse("opencl:" + cl.deviceInfo().address()));
        assertThat(byAddress).isSameAs(cl);
        assertThat(ClBackend.open(cl.deviceInfo().address())).isSameAs(cl);
        BackendProvider provider = Backends.providers().stream().filter(p -> p.type().equals("opencl")).findFirst().orElseThrow();
        List<String> lines = provider.describeDevices();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("opencl:" + cl.deviceInfo().address())
                .contains(cl.deviceInfo().name()).contains("compute units").contains("global").contains("local")
                .contains("max work-group"));
    }

    @Test
    void gpuKTakesTheKthGpuModuloTheirNumberAsDataParallelRanksDo() {
        ClTestSupport.backend();   // skips without an OpenCL platform
        List<DeviceInfo> devices = Platforms.discover().devices();
        List<DeviceInfo> gpus = devices.stream().filter(DeviceInfo::gpu).toList();
        // Ranks 0..5 on this machine: with G GPUs rank k takes GPU k mod G; PoCL has no GPU, so
        // every rank takes a device in turn (the one CPU device here).
        List<DeviceInfo> pool = gpus.isEmpty() ? devices : gpus;
        for (int k = 0; k < 6; k++) {
            assertThat(Platforms.select("gpu:" + k).address()).as("rank " + k)
                    .isEqualTo(pool.get(k % pool.size()).address());
        }
        assertThatThrownBy(() -> Platforms.select("gpu:first")).hasMessageContaining("expected opencl:gpu:K");
        assertThatThrownBy(() -> Platforms.select("gpu:-1")).hasMessageContaining("expected opencl:gpu:K");
    }

    @Test
    void tensorsReportTheirDeviceAndDoNotMixWithTheCpu() {
        ClBackend cl = ClTestSupport.backend();
        Tensor t = Tensor.arange(5).to(cl.device());
        assertThat(t.device()).isEqualTo(cl.device());
        assertThat(t.device().type()).isEqualTo("opencl");
        assertThat(Device.parse(t.device().toString())).isEqualTo(cl.device());
        assertThatThrownBy(() -> t.eq(Tensor.arange(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eq: tensors on different devices").hasMessageContaining("to(device)");
    }
}

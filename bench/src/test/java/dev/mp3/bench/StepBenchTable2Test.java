package dev.mp3.bench;

import dev.mp3.nn.Parameter;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Table 2 memory of StepBench on a tiny ViT: model state by hand, reproducible, falling with eta;
 * and the model options (a three-channel image, as the CIFAR ViT-S shape) reaching the model.
 */
class StepBenchTable2Test {

    private static final ViTConfig TINY = new ViTConfig(8, 4, 1, 8, 1, 2, 2f, 10, true, PositionEmbedding.LEARNED,
            false, 0f, 0f, 1e-6f);

    @Test
    void supervisedStateIsParametersGradientsAndTwoMoments() {
        StepBench.StepRunner r = new StepBench.StepRunner(TINY, "supervised", 2, Device.CPU);
        r.step();   // the optimizer's moments exist from the first update on
        long params = 0;
        for (Parameter p : new VisionTransformer(TINY, new Rng(0)).namedParameters().values()) {
            params += 4L * p.numel();
        }
        StepBench.StepMemory m = r.memory();
        assertThat(m.stateBytes()).isEqualTo(4 * params);
        assertThat(m.peakBytes()).isGreaterThan(m.stateBytes());
        assertThat(r.memory()).isEqualTo(m);
    }

    @Test
    void mp3MemoryIsReproducibleAndFallsWithTheMaskingRatio() {
        Map<String, Long> peak = new LinkedHashMap<>();
        for (String mode : StepBench.TABLE2_MODES) {
            StepBench.StepRunner r = new StepBench.StepRunner(TINY, mode, 2, Device.CPU);
            r.step();
            StepBench.StepMemory m = r.memory();
            assertThat(r.memory()).as(mode).isEqualTo(m);
            peak.put(mode, m.peakBytes());
        }
        assertThat(peak.get("mp3-eta0.25")).isLessThan(peak.get("mp3-eta0"));
        assertThat(peak.get("mp3-eta0.5")).isLessThan(peak.get("mp3-eta0.25"));
        assertThat(peak.get("mp3-eta0.75")).isLessThan(peak.get("mp3-eta0.5"));
    }

    @Test
    void modelOptionsReachTheModelAndAThreeChannelStepRuns() {
        ViTConfig c = StepBench.config(Map.of("dim", "8", "depth", "1", "heads", "2", "patch", "4", "image", "8",
                "channels", "3"));
        assertThat(c.numPatches()).isEqualTo(4);   // (8 / 4)^2
        VisionTransformer model = new VisionTransformer(c, new Rng(0));
        // The patch embedding maps each 3 x 4 x 4 patch to 8 features: 8 x 48 weights and 8 biases.
        assertThat(model.patchEmbed.parameterCount()).isEqualTo(8 * 48 + 8);
        StepBench.StepRunner r = new StepBench.StepRunner(c, "supervised", 2, Device.CPU);
        r.step();
        assertThat(r.memory().stateBytes()).isEqualTo(4L * 4 * model.parameterCount());
        assertThat(StepBench.config(Map.of()).channels()).isEqualTo(1);
    }
}

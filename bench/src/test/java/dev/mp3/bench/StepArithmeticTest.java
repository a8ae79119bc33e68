package dev.mp3.bench;

import dev.mp3.method.ContextMasking;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.ViTConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The step's arithmetic against the table worked by hand in BENCHMARKS.md ("What bounds MP3's saving"). */
class StepArithmeticTest {
    private static final ViTConfig VIT192 = StepBench.config(java.util.Map.of());

    @Test
    void theDefaultViTMatchesTheHandWorkedTable() {
        // By hand, ViT-192 at batch 128 (N = 49, patches 4x4x1, hidden 768, 10 classes): the
        // supervised step 17.744e9 forward multiply-adds over 50 tokens, x 6 = 106.46 GFLOP;
        // MP3 with context M: 49 tokens, keys M, position head 49 x 192 x 49.
        assertThat(StepArithmetic.gflops(VIT192, 128, 49)).isCloseTo(106.46, within(0.01));
        ViTConfig mp3 = PositionPrediction.pretrainingModel(VIT192);
        assertThat(StepArithmetic.gflops(mp3, 128, 49)).isCloseTo(104.60, within(0.01));
        assertThat(StepArithmetic.gflops(mp3, 128, 37)).isCloseTo(99.48, within(0.01));
        assertThat(StepArithmetic.gflops(mp3, 128, 25)).isCloseTo(94.37, within(0.01));
        assertThat(StepArithmetic.gflops(mp3, 128, 13)).isCloseTo(89.25, within(0.01));
        assertThat(ContextMasking.contextSize(49, 0.75f)).isEqualTo(13);
    }

    @Test
    void aContextOutsideTheTokensIsRefused() {
        assertThatThrownBy(() -> StepArithmetic.gflops(VIT192, 128, 50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("50 tokens out of 49");
    }
}

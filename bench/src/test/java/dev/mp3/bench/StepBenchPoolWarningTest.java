package dev.mp3.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** StepBench's warning when its models' steps outgrow the CPU backend's array pool. */
class StepBenchPoolWarningTest {

    private static final long MB = 1L << 20;

    @Test
    void silentWhileTheStepsFitThePool() {
        assertThat(StepBench.poolWarning(3, 1536 * MB, 1536 * MB, 6144 * MB)).isNull();
        assertThat(StepBench.poolWarning(3, 3600 * MB, 4096 * MB, 16384 * MB)).isNull();
    }

    @Test
    void namesTheSizesAndTheHeapThatWouldDo() {
        // Three ViT-192 models of about 1.2 GB of arrays each against the default heap of a 24 GB machine.
        String warning = StepBench.poolWarning(3, 3600 * MB, 1536 * MB, 6144 * MB);
        assertThat(warning).contains("3 models", "3600 MB", "1536 MB", "6144 MB", "above 14400 MB");
    }
}

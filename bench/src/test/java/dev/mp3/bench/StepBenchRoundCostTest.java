package dev.mp3.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** StepBench's MP3 cost taken round by round, against ratios worked out by hand. */
class StepBenchRoundCostTest {

    @Test
    void ratiosOfTheSameRoundSorted() {
        // Rounds 2 and 3 ran in a slow minute (every mode twice as slow): the ratios do not see it.
        double[] supervised = {1.0, 2.0, 2.0, 1.0, 1.0};
        double[] eta75 = {0.8, 1.5, 1.7, 0.9, 0.7};
        assertThat(StepBench.roundRatios(eta75, supervised)).containsExactly(
                new double[] {0.7, 0.75, 0.8, 0.85, 0.9}, within(1e-12));
    }

    @Test
    void reportsMedianAndRangeOfEachMode() {
        Map<String, double[]> steps = Map.of(
                "supervised", new double[] {1.0, 2.0, 1.0},
                "mp3-eta0.75", new double[] {0.7, 1.8, 0.8},
                "mp3-eta0", new double[] {0.9, 2.0, 1.1});
        // eta 0.75: 0.7, 0.9, 0.8 -> median 0.80, range 0.70-0.90; eta 0: 0.9, 1.0, 1.1 -> 1.00, 0.90-1.10.
        assertThat(StepBench.roundCost(steps))
                .isEqualTo("eta0.75 median 0.80 (0.70-0.90), eta0 median 1.00 (0.90-1.10)");
    }

    @Test
    void roundsOfDifferentCountsAreRefused() {
        assertThatThrownBy(() -> StepBench.roundRatios(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 and 1");
    }
}

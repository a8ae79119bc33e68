package dev.mp3.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SgemmPeerBenchTest {
    @Test
    void medianRoundRatioTakesTheMiddleRoundOfAnOddCount() {
        // Round ratios 2.0, 0.5, 1.25: sorted 0.5, 1.25, 2.0, so the median is 1.25; the ratio of the
        // means, (100 + 50 + 125) / (50 + 100 + 100) = 1.1, is another figure.
        var r = new SgemmPeerBench.Result("s", new double[] {100, 50, 125}, new double[] {50, 100, 100}, 0);
        assertThat(r.medianRoundRatio()).isCloseTo(1.25, within(1e-12));
        assertThat(r.ratioOfMeans()).isCloseTo(1.1, within(1e-12));
    }

    @Test
    void medianRoundRatioAveragesTheMiddleTwoOfAnEvenCount() {
        // Round ratios 0.8, 1.5, 1.0, 3.0: sorted 0.8, 1.0, 1.5, 3.0, so the median is (1.0 + 1.5) / 2.
        var r = new SgemmPeerBench.Result("s", new double[] {80, 150, 100, 300}, new double[] {100, 100, 100, 100}, 0);
        assertThat(r.medianRoundRatio()).isCloseTo(1.25, within(1e-12));
        assertThat(r.roundRatioRange()).containsExactly(0.8, 3.0);
    }
}

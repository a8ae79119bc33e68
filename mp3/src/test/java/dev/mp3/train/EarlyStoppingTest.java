package dev.mp3.train;

import dev.mp3.nn.Linear;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EarlyStoppingTest {

    @Test
    void keepsTheBestWeightsAndStopsAfterPatienceValidationsWithoutImprovement() {
        Linear layer = new Linear(3, 2, true, new Rng(1));
        EarlyStopping s = new EarlyStopping(2);
        assertThat(s.record(10, 0.5, layer)).isFalse();
        float[] atBest = layer.weight.value().toFloatArray();
        layer.weight.load(Tensor.full(7f, 2, 3));
        assertThat(s.record(20, 0.4, layer)).isFalse();
        assertThat(s.record(30, 0.5, layer)).as("a tie is no improvement").isTrue();
        assertThat(s.best()).isEqualTo(0.5);
        assertThat(s.bestStep()).isEqualTo(10);
        s.restoreBest(layer);
        assertThat(layer.weight.value().toFloatArray()).containsExactly(atBest);
    }

    @Test
    void anImprovementResetsTheCountAndPatienceZeroNeverStops() {
        Linear layer = new Linear(2, 2, false, new Rng(2));
        EarlyStopping s = new EarlyStopping(2);
        s.record(1, 0.3, layer);
        s.record(2, 0.2, layer);
        assertThat(s.record(3, 0.6, layer)).isFalse();
        assertThat(s.sinceBest()).isZero();
        assertThat(s.bestStep()).isEqualTo(3);
        EarlyStopping never = new EarlyStopping(0);
        for (int i = 0; i < 20; i++) {
            assertThat(never.record(i, 0.1, layer)).isFalse();
        }
    }
}

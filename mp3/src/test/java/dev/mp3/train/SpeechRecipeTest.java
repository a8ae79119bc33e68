package dev.mp3.train;

import dev.mp3.nn.LrSchedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpeechRecipeTest {

    /** Section 4.3: Adam, batch 256, 500 updates at 1e-4, then 1e-3 halved every 10k; smoothing 0.1; 30k updates. */
    @Test
    void defaultsAreThePapers() {
        SpeechRecipe c = SpeechRecipe.classify();
        assertThat(c.batchSize()).isEqualTo(256);
        assertThat(c.updates()).isEqualTo(30_000);
        assertThat(c.labelSmoothing()).isEqualTo(0.1f);
        assertThat(c.positionFraction()).isEqualTo(1f);
        LrSchedule s = c.schedule(1);
        assertThat(s.at(0)).isCloseTo(1e-4, within(1e-9));
        assertThat(s.at(499)).isCloseTo(1e-4, within(1e-9));
        assertThat(s.at(500)).isCloseTo(1e-3, within(1e-9));
        assertThat(s.at(9_999)).isCloseTo(1e-3, within(1e-9));
        assertThat(s.at(10_000)).isCloseTo(5e-4, within(1e-9));
        assertThat(s.at(29_999)).isCloseTo(2.5e-4, within(1e-9));
        SpeechRecipe p = SpeechRecipe.pretrain();
        assertThat(p.task()).isEqualTo(SpeechRecipe.Task.PRETRAIN);
        assertThat(p.positionFraction()).isEqualTo(0.05f);
        assertThat(p.labelSmoothing()).isZero();
        assertThat(p.batchSize()).isEqualTo(256);
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> SpeechRecipe.classify().withUpdates(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--updates must be positive, got 0");
        assertThatThrownBy(() -> SpeechRecipe.pretrain().withPositionFraction(2f))
                .hasMessageContaining("--pe-fraction must lie in [0, 1], got 2.0");
        assertThatThrownBy(() -> SpeechRecipe.classify().withValidation(10, -1)).hasMessageContaining("--patience");
        assertThatThrownBy(() -> SpeechRecipe.classify().withSchedule(1e-4f, 10, Float.NaN, 100))
                .hasMessageContaining("--lr NaN");
    }
}

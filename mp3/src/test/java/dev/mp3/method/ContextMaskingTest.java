package dev.mp3.method;

import dev.mp3.nn.Context;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextMaskingTest {

    @Test
    void contextSizeIsNMinusFloorEtaN() {
        // By hand: floor(0.75 * 49) = 36, so 13 context tokens; floor(0.5 * 64) = 32.
        assertThat(ContextMasking.contextSize(49, 0.75f)).isEqualTo(13);
        assertThat(ContextMasking.contextSize(64, 0.5f)).isEqualTo(32);
        assertThat(ContextMasking.contextSize(49, 0f)).isEqualTo(49);
        assertThat(ContextMasking.contextSize(10, 0.99f)).isEqualTo(1);
        assertThatThrownBy(() -> ContextMasking.contextSize(10, 1f)).hasMessageContaining("eta");
    }

    @Test
    void eachExampleGetsDistinctTokensAndTheFlatRowsPointIntoItsOwnBlock() {
        Context c = ContextMasking.sample(new Rng(4), 3, 16, 0.75f, Device.CPU);
        int[] idx = c.indices().toIntArray();
        int[] flat = c.flatRows().toIntArray();
        assertThat(c.size()).isEqualTo(4);
        for (int b = 0; b < 3; b++) {
            int[] row = Arrays.copyOfRange(idx, b * 4, b * 4 + 4);
            assertThat(Arrays.stream(row).distinct().count()).isEqualTo(4);
            for (int m = 0; m < 4; m++) {
                assertThat(row[m]).isBetween(0, 15);
                assertThat(flat[b * 4 + m]).isEqualTo(b * 16 + row[m]);
            }
        }
    }

    @Test
    void etaZeroMeansFullAttentionAndTheSameSeedGivesTheSameContext() {
        assertThat(ContextMasking.sample(new Rng(1), 2, 9, 0f, Device.CPU)).isNull();
        int[] a = ContextMasking.sample(new Rng(8), 2, 9, 0.5f, Device.CPU).indices().toIntArray();
        int[] b = ContextMasking.sample(new Rng(8), 2, 9, 0.5f, Device.CPU).indices().toIntArray();
        assertThat(a).containsExactly(b);
    }

    @Test
    void contextsAreUniformOverTokens() {
        // Every token should be chosen with probability M/N = 4/16 per example.
        Rng rng = new Rng(11);
        int[] counts = new int[16];
        int trials = 4000;
        for (int t = 0; t < trials; t++) {
            for (int i : ContextMasking.sample(rng, 1, 16, 0.75f, Device.CPU).indices().toIntArray()) {
                counts[i]++;
            }
        }
        for (int c : counts) {
            // mean 1000, binomial sd sqrt(4000 * 0.25 * 0.75) = 27.4; 5 sd bounds.
            assertThat(c).isBetween(863, 1137);
        }
    }
}

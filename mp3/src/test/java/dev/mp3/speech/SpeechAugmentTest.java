package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.tensor.Rng;
import java.util.HashSet;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SpeechAugmentTest {

    static SpeechDataConfig config(double frequency, double maxVolume, int maxShift) {
        return new SpeechDataConfig(SpeechDataConfig.COMMAND_WORDS, 0.1, 0.1, SpeechDataConfig.Silence.ZEROS, frequency,
                maxVolume, maxShift, Mfcc.Config.TC_RESNET);
    }

    static float[] ramp() {
        float[] x = new float[16000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i + 1) / 32000f;
        }
        return x;
    }

    @Test
    void shiftMovesAndZeroFills() {
        float[] x = {1, 2, 3, 4, 5};
        assertThat(SpeechAugment.shifted(x, 2)).containsExactly(0, 0, 1, 2, 3);
        assertThat(SpeechAugment.shifted(x, -2)).containsExactly(3, 4, 5, 0, 0);
        assertThat(SpeechAugment.shifted(x, 0)).containsExactly(1, 2, 3, 4, 5);
        assertThat(SpeechAugment.shifted(x, 7)).containsExactly(0, 0, 0, 0, 0);
        assertThat(SpeechAugment.shifted(x, -9)).containsExactly(0, 0, 0, 0, 0);
    }

    /** Without noise, the output is the ramp shifted by some s in [-1600, 1600): recover s. */
    @Test
    void shiftsStayWithinHundredMilliseconds() {
        SpeechAugment augment = new SpeechAugment(config(0, 0.1, 1600), new float[0][]);
        float[] x = ramp();
        Set<Integer> shifts = new HashSet<>();
        for (long key = 0; key < 400; key++) {
            float[] y = augment.apply(x, Rng.mix(key));
            int s = 8001 - Math.round(y[8000] * 32000f); // y[8000] = x[8000 - s] = (8001 - s) / 32000
            assertThat(s).isBetween(-1600, 1599);
            assertThat(java.util.Arrays.equals(y, SpeechAugment.shifted(x, s))).as("key %d is a pure shift by %d", key, s)
                    .isTrue();
            shifts.add(s);
        }
        assertThat(shifts.stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThan(-1400);
        assertThat(shifts.stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(1400);
        assertThat(x[0]).isEqualTo(1 / 32000f); // the input is not modified
    }

    /**
     * With a constant background of 1 and no shift, the output is clip + volume: volume is
     * 0 in about 20% of clips and otherwise within (0, 0.1); the sum is clipped at 1.
     */
    @Test
    void backgroundMixedWithProbabilityPointEightAtVolumeUpToPointOne() {
        float[] ones = new float[20000];
        java.util.Arrays.fill(ones, 1f);
        SpeechAugment augment = new SpeechAugment(config(0.8, 0.1, 0), new float[][] {ones});
        float[] x = new float[16000];
        x[0] = 0.95f;
        int mixed = 0;
        int trials = 2000;
        double volumeSum = 0;
        for (long key = 0; key < trials; key++) {
            float[] y = augment.apply(x, Rng.mix(key + 1000));
            float volume = y[1];
            int off = 0;
            for (int i = 1; i < y.length; i++) {
                off += y[i] == volume ? 0 : 1;
            }
            assertThat(off).as("samples that are not clip + volume").isZero();
            assertThat(volume).isBetween(0f, 0.1f);
            assertThat(y[0]).isEqualTo(Math.min(1f, 0.95f + volume));
            if (volume > 0) {
                mixed++;
                volumeSum += volume;
            }
        }
        assertThat(mixed / (double) trials).isCloseTo(0.8, Offset.offset(0.03));
        assertThat(volumeSum / mixed).isCloseTo(0.05, Offset.offset(0.004));
    }

    /** The crop is a contiguous window of the background, anywhere in it. */
    @Test
    void backgroundCropIsAWindowOfARandomFile() {
        float[] rampNoise = new float[16000 + 999];
        for (int i = 0; i < rampNoise.length; i++) {
            rampNoise[i] = i;
        }
        float[] negative = new float[16000];
        java.util.Arrays.fill(negative, -5f);
        SpeechAugment augment = new SpeechAugment(config(1.0, 1e-6, 0), new float[][] {rampNoise, negative});
        int fromRamp = 0;
        for (long key = 0; key < 200; key++) {
            float[] y = augment.apply(new float[16000], Rng.mix(key));
            if (y[0] >= 0) {
                fromRamp++;
                // y[i] = volume * (offset + i): a straight line whose slope is the volume.
                double volume = ((double) y[15999] - y[0]) / 15999;
                assertThat(volume).isBetween(0.0, 1e-6);
                if (volume > 1e-8) {
                    assertThat(y[0] / volume).isBetween(-0.5, 999.5);
                    assertThat((double) y[8000]).isCloseTo(y[0] + 8000 * volume, Offset.offset(1e-6 * y[8000]));
                }
            } else {
                assertThat(y[0]).isEqualTo(y[15999]);
            }
        }
        assertThat(fromRamp).isBetween(70, 130);
    }

    @Test
    void rejectsShortOrMissingBackground() {
        assertThatThrownBy(() -> new SpeechAugment(config(0.8, 0.1, 0), new float[][] {new float[100]}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than one clip");
        assertThatThrownBy(() -> new SpeechAugment(config(0.8, 0.1, 0), new float[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs background recordings");
    }
}

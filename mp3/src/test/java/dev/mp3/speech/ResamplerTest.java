package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    static float[] sine(double hz, double amplitude, int rate, int samples) {
        float[] x = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    /** Amplitude and phase of the component at hz, by correlation over [from, to). */
    static double[] component(float[] y, double hz, int rate, int from, int to) {
        double s = 0;
        double c = 0;
        for (int i = from; i < to; i++) {
            s += y[i] * Math.sin(2 * Math.PI * hz * i / rate);
            c += y[i] * Math.cos(2 * Math.PI * hz * i / rate);
        }
        int n = to - from;
        return new double[] {2 * Math.hypot(s, c) / n, Math.atan2(c, s)};
    }

    static double rms(float[] y, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) y[i] * y[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    @Test
    void espeakRateToSpeechRateKeepsFrequencyAmplitudeAndPhase() {
        Resampler r = new Resampler(22050, 16000);
        for (double hz : new double[] {250, 1000, 3333, 6000}) {
            float[] in = sine(hz, 0.5, 22050, 22050);
            float[] out = r.resample(in);
            assertThat(out).hasSize(16000);
            // Away from the zero-padded ends the output is the same sine sampled at 16 kHz.
            float[] want = sine(hz, 0.5, 16000, 16000);
            for (int i = 400; i < 15600; i++) {
                assertThat((double) out[i]).as("%s Hz sample %d", hz, i).isCloseTo(want[i], Offset.offset(2e-3));
            }
            double[] amp = component(out, hz, 16000, 400, 15600);
            assertThat(amp[0]).as("%s Hz amplitude", hz).isCloseTo(0.5, Offset.offset(0.0025));
        }
    }

    @Test
    void removesWhatWouldAliasAboveTheNewNyquist() {
        Resampler r = new Resampler(22050, 16000);
        for (double hz : new double[] {8200, 9000, 10500}) {
            float[] out = r.resample(sine(hz, 0.5, 22050, 22050));
            // An alias would land at 16000 - hz; nothing of the 0.5 amplitude may survive.
            assertThat(rms(out, 400, 15600)).as("%s Hz", hz).isLessThan(0.5 * 1e-3);
        }
    }

    @Test
    void upsamplingAndDcGain() {
        Resampler r = new Resampler(8000, 16000);
        float[] out = r.resample(sine(440, 0.3, 8000, 8000));
        assertThat(out).hasSize(16000);
        float[] want = sine(440, 0.3, 16000, 16000);
        for (int i = 400; i < 15600; i++) {
            assertThat((double) out[i]).isCloseTo(want[i], Offset.offset(1e-3));
        }
        float[] dc = new float[22050];
        java.util.Arrays.fill(dc, 0.25f);
        float[] dcOut = new Resampler(22050, 16000).resample(dc);
        for (int i = 400; i < 15600; i++) {
            assertThat((double) dcOut[i]).isCloseTo(0.25, Offset.offset(1e-5));
        }
    }

    @Test
    void sameRateIsACopy() {
        float[] in = {1f, -2f, 3f};
        assertThat(new Resampler(16000, 16000).resample(in)).containsExactly(1f, -2f, 3f);
        assertThatThrownBy(() -> new Resampler(0, 16000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}

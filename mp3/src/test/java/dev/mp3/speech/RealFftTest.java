package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RealFftTest {

    /** The definition, in double: X[k] = sum_t x[t] exp(-2 pi i k t / n), x zero beyond length. */
    static double[][] dft(float[] x, int length, int n) {
        double[][] out = new double[2][n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int t = 0; t < length; t++) {
                double a = -2 * Math.PI * (double) k * t / n;
                re += x[t] * Math.cos(a);
                im += x[t] * Math.sin(a);
            }
            out[0][k] = re;
            out[1][k] = im;
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"4, 4", "8, 5", "16, 16", "64, 37", "256, 256", "512, 480", "512, 512", "1024, 999"})
    void matchesTheDefinitionOnRandomInput(int n, int length) {
        Random random = new Random(n * 31L + length);
        float[] x = new float[length + 3]; // longer array than length: the tail must be ignored
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
            if (i < length) {
                scale += Math.abs(x[i]);
            }
        }
        RealFft fft = new RealFft(n);
        float[] re = new float[n / 2 + 1];
        float[] im = new float[n / 2 + 1];
        fft.forward(x, length, re, im);
        double[][] want = dft(x, length, n);
        for (int k = 0; k <= n / 2; k++) {
            assertThat((double) re[k]).as("re[%d] n=%d", k, n).isCloseTo(want[0][k],
                    org.assertj.core.data.Offset.offset(2e-6 * scale));
            assertThat((double) im[k]).as("im[%d] n=%d", k, n).isCloseTo(want[1][k],
                    org.assertj.core.data.Offset.offset(2e-6 * scale));
        }
        // Reusing the instance (scratch buffers) gives the same answer.
        float[] re2 = new float[n / 2 + 1];
        float[] im2 = new float[n / 2 + 1];
        fft.forward(x, length, re2, im2);
        assertThat(re2).containsExactly(re);
        assertThat(im2).containsExactly(im);
    }

    @Test
    void cosineAtABinIsOnePeak() {
        int n = 512;
        float[] x = new float[n];
        for (int t = 0; t < n; t++) {
            x[t] = (float) Math.cos(2 * Math.PI * 37 * t / n);
        }
        float[] re = new float[n / 2 + 1];
        float[] im = new float[n / 2 + 1];
        new RealFft(n).forward(x, n, re, im);
        for (int k = 0; k <= n / 2; k++) {
            double want = k == 37 ? n / 2.0 : 0.0;
            assertThat((double) re[k]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-3));
            assertThat((double) im[k]).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void rejectsBadSizes() {
        assertThatThrownBy(() -> new RealFft(480)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> new RealFft(2)).isInstanceOf(IllegalArgumentException.class);
        RealFft fft = new RealFft(8);
        assertThatThrownBy(() -> fft.forward(new float[9], 9, new float[5], new float[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 8");
        assertThatThrownBy(() -> fft.forward(new float[8], 8, new float[4], new float[5]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

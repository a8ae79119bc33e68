package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameBatchFftTest {

    /** Each lane's power spectrum equals |RealFft|^2 of that lane's frame alone. */
    @ParameterizedTest
    @CsvSource({"8, 8", "16, 11", "64, 64", "512, 480", "1024, 1000"})
    void everyLaneMatchesTheScalarFft(int n, int length) {
        int lanes = FrameBatchFft.LANES;
        Random random = new Random(n + 7L * length);
        float[][] frames = new float[lanes][length];
        float[] interleaved = new float[length * lanes];
        for (int l = 0; l < lanes; l++) {
            double level = Math.pow(10, -l % 4); // lanes of different loudness
            for (int t = 0; t < length; t++) {
                frames[l][t] = (float) (level * random.nextGaussian());
                interleaved[t * lanes + l] = frames[l][t];
            }
        }
        float[] power = new float[(n / 2 + 1) * lanes];
        new FrameBatchFft(n).power(interleaved, length, power);
        RealFft scalar = new RealFft(n);
        float[] re = new float[n / 2 + 1];
        float[] im = new float[n / 2 + 1];
        for (int l = 0; l < lanes; l++) {
            scalar.forward(frames[l], length, re, im);
            for (int k = 0; k <= n / 2; k++) {
                double want = (double) re[k] * re[k] + (double) im[k] * im[k];
                assertThat((double) power[k * lanes + l]).as("lane %d bin %d", l, k)
                        .isCloseTo(want, Offset.offset(1e-5 * (want + 1e-3 * length * Math.pow(10, -2 * (l % 4)))));
            }
        }
    }
}

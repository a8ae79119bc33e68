package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MfccTest {

    private static final Mfcc MFCC = new Mfcc();

    static Path resource(String name) {
        try {
            return Path.of(MfccTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[][] table(String name) throws IOException {
        List<String> lines = Files.readAllLines(resource(name));
        return lines.stream().map(l -> java.util.Arrays.stream(l.trim().split("\\s+"))
                .mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
    }

    @Test
    void oneSecondGives98FramesOf40() {
        Mfcc.Config c = Mfcc.Config.TC_RESNET;
        assertThat(c.frames()).isEqualTo(98); // 1 + (16000 - 480) / 160
        assertThat(c.spectrumBins()).isEqualTo(257);
        assertThat(MFCC.featureSize()).isEqualTo(98 * 40);
        float[] clip = ResamplerTest.sine(1000, 0.5, 16000, 16000);
        assertThat(MFCC.compute(clip)).hasSize(98 * 40);
        assertThat(MFCC.logMelSpectrogram(clip)).hasSize(98 * 64);
    }

    @Test
    void wrongClipLengthIsRejected() {
        assertThatThrownBy(() -> MFCC.compute(new float[15999])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("15999 samples, expected 16000");
        assertThatThrownBy(() -> MFCC.computeScalar(new float[16001])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16001 samples, expected 16000");
    }

    /**
     * Silence: every log-mel value is ln(1e-6), so the DCT of a constant row leaves only c0 =
     * sqrt(2/64) * 64 * ln(1e-6) = sqrt(128) ln(1e-6), and c1..c39 vanish.
     */
    @Test
    void silenceHasOnlyTheZerothCoefficient() {
        double c0 = Math.sqrt(128) * Math.log(1e-6);
        for (float[] f : List.of(MFCC.compute(new float[16000]), MFCC.computeScalar(new float[16000]))) {
            for (int frame = 0; frame < 98; frame++) {
                assertThat((double) f[frame * 40]).isCloseTo(c0, Offset.offset(1e-4));
                for (int k = 1; k < 40; k++) {
                    assertThat((double) f[frame * 40 + k]).isCloseTo(0.0, Offset.offset(1e-4));
                }
            }
        }
    }

    /**
     * A pure tone lands in the mel filter whose centre is nearest its pitch on the mel scale. The
     * expected filter comes from the mel formula here, not from the code under test: the 66 edges
     * are equally spaced from mel(80 Hz) to mel(7600 Hz), filter j has its peak at edge j + 1.
     * The frequencies are chosen to lie within 0.21 of an edge spacing of a centre, so the answer
     * is not a near tie.
     */
    @ParameterizedTest
    @ValueSource(doubles = {300, 600, 800, 2000, 2500, 3000, 6000, 7000})
    void toneLandsInTheRightMelBin(double hz) {
        double lo = 1127 * Math.log(1 + 80 / 700.0);
        double hi = 1127 * Math.log(1 + 7600 / 700.0);
        double step = (hi - lo) / 65;
        double mel = 1127 * Math.log(1 + hz / 700.0);
        int expected = (int) Math.round((mel - lo) / step) - 1; // nearest centre lo + (j + 1) step
        double offCentre = Math.abs((mel - lo) / step - (expected + 1));
        assertThat(offCentre).isLessThan(0.21);

        float[] logMel = MFCC.logMelSpectrogram(ResamplerTest.sine(hz, 0.5, 16000, 16000));
        for (int frame = 0; frame < 98; frame++) {
            int best = 0;
            for (int j = 1; j < 64; j++) {
                if (logMel[frame * 64 + j] > logMel[frame * 64 + best]) {
                    best = j;
                }
            }
            assertThat(best).as("%s Hz, frame %d", hz, frame).isEqualTo(expected);
        }
    }

    /**
     * Against numpy (float64, numpy.fft.rfft, an FFT-based DCT): mfcc_reference.py wrote the
     * WAV inputs and the expected values. Our arithmetic is float32, as TensorFlow's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mfcc_reference_tones", "mfcc_reference_short"})
    void matchesTheNumpyReference(String name) throws IOException {
        float[] clip = Wav.readSpeechClip(resource(name + ".wav"), 16000);
        double[][] wantLogMel = table(name + ".logmel.txt");
        double[][] wantMfcc = table(name + ".mfcc.txt");
        assertThat(wantLogMel).hasDimensions(98, 64);
        assertThat(wantMfcc).hasDimensions(98, 40);
        for (boolean fast : new boolean[] {true, false}) {
            float[] logMel = fast ? MFCC.logMelSpectrogram(clip) : MFCC.logMelSpectrogramScalar(clip);
            float[] mfcc = fast ? MFCC.compute(clip) : MFCC.computeScalar(clip);
            assertClose(name + (fast ? " fast" : " scalar"), logMel, mfcc, wantLogMel, wantMfcc);
        }
    }

    private static void assertClose(String what, float[] logMel, float[] mfcc, double[][] wantLogMel,
                                    double[][] wantMfcc) {
        double worstLogMel = 0;
        double worstMfcc = 0;
        for (int f = 0; f < 98; f++) {
            for (int j = 0; j < 64; j++) {
                worstLogMel = Math.max(worstLogMel, Math.abs(logMel[f * 64 + j] - wantLogMel[f][j]));
            }
            for (int k = 0; k < 40; k++) {
                worstMfcc = Math.max(worstMfcc, Math.abs(mfcc[f * 40 + k] - wantMfcc[f][k]));
            }
        }
        assertThat(worstLogMel).as("%s: max |log-mel - numpy|", what).isLessThan(2e-4);
        assertThat(worstMfcc).as("%s: max |mfcc - numpy|", what).isLessThan(2e-4);
    }

    /** The fast path against its scalar twin on random clips of several loudness levels. */
    @Test
    void fastPathMatchesScalarTwin() {
        java.util.Random random = new java.util.Random(11);
        for (double level : new double[] {1e-4, 0.01, 0.3}) {
            float[] clip = new float[16000];
            for (int i = 0; i < clip.length; i++) {
                clip[i] = (float) (level * random.nextGaussian() + 0.5 * level * Math.sin(i * 0.05));
            }
            float[] fastLogMel = MFCC.logMelSpectrogram(clip);
            float[] slowLogMel = MFCC.logMelSpectrogramScalar(clip);
            for (int i = 0; i < fastLogMel.length; i++) {
                assertThat((double) fastLogMel[i]).as("level %s log-mel %d", level, i)
                        .isCloseTo(slowLogMel[i], Offset.offset(1e-4));
            }
            float[] fast = MFCC.compute(clip);
            float[] slow = MFCC.computeScalar(clip);
            for (int i = 0; i < fast.length; i++) {
                assertThat((double) fast[i]).as("level %s mfcc %d", level, i).isCloseTo(slow[i], Offset.offset(2e-4));
            }
        }
    }

    /**
     * Features must not change while the JIT compiles the fast path (Vector API operations run as
     * plain Java until C2 intrinsifies them; a vector log, for one, differs by an ulp or so).
     */
    @Test
    void sameFeaturesBeforeAndAfterWarmUp() {
        Mfcc fresh = new Mfcc();
        java.util.Random random = new java.util.Random(5);
        float[][] clips = new float[24][16000];
        for (int c = 0; c < clips.length; c++) {
            double level = Math.pow(10, -c % 6);
            for (int i = 0; i < 16000; i++) {
                clips[c][i] = (float) (level * (random.nextGaussian() * Math.sin(Math.PI * i / 16000)
                        + Math.sin(2 * Math.PI * (100 + 97 * c) * i / 16000)));
            }
        }
        float[][] cold = new float[clips.length][];
        for (int c = 0; c < clips.length; c++) {
            cold[c] = fresh.compute(clips[c]);
        }
        for (int i = 0; i < 2000; i++) {
            fresh.compute(clips[i % clips.length]);
        }
        for (int c = 0; c < clips.length; c++) {
            assertThat(fresh.compute(clips[c])).as("clip %d", c).containsExactly(cold[c]);
        }
    }

    /** A configuration whose frame count is smaller than one lane group still works. */
    @Test
    void fewerFramesThanLanes() {
        Mfcc.Config c = new Mfcc.Config(16000, 1280, 480, 160, 512, 64, 80, 7600, 1e-6, 13);
        Mfcc small = new Mfcc(c);
        assertThat(c.frames()).isEqualTo(6);
        float[] clip = ResamplerTest.sine(700, 0.2, 16000, 1280);
        float[] fast = small.compute(clip);
        float[] slow = small.computeScalar(clip);
        assertThat(fast).hasSize(6 * 13);
        for (int i = 0; i < fast.length; i++) {
            assertThat((double) fast[i]).isCloseTo(slow[i], Offset.offset(2e-4));
        }
    }

    @Test
    void parallelCallsAgreeWithSequentialOnes() {
        float[][] clips = new float[16][];
        for (int i = 0; i < clips.length; i++) {
            clips[i] = ResamplerTest.sine(200 + 300 * i, 0.1 + 0.05 * i, 16000, 16000);
        }
        float[][] sequential = new float[clips.length][];
        for (int i = 0; i < clips.length; i++) {
            sequential[i] = MFCC.compute(clips[i]);
        }
        float[][] parallel = IntStream.range(0, clips.length).parallel().mapToObj(i -> MFCC.compute(clips[i]))
                .toArray(float[][]::new);
        for (int i = 0; i < clips.length; i++) {
            assertThat(parallel[i]).containsExactly(sequential[i]);
        }
    }

    @Test
    void melFilterbankMatchesTheDenseDefinition() {
        MelFilterbank bank = new MelFilterbank(64, 257, 16000, 80, 7600);
        double[][] dense = MelFilterbank.denseWeights(64, 257, 16000, 80, 7600);
        java.util.Random random = new java.util.Random(7);
        float[] power = new float[257];
        for (int k = 0; k < power.length; k++) {
            power[k] = random.nextFloat();
        }
        float[] mel = new float[64];
        bank.apply(power, mel, 0);
        for (int j = 0; j < 64; j++) {
            double want = 0;
            for (int k = 0; k < 257; k++) {
                want += dense[k][j] * power[k];
            }
            assertThat((double) mel[j]).isCloseTo(want, Offset.offset(1e-5 * Math.max(1, want)));
        }
        // A zero DC row and no area normalisation, as TensorFlow's matrix: weights never exceed
        // the triangle's peak of 1, and every filter, even the narrowest near 80 Hz (about 2.4
        // FFT bins of 31.25 Hz wide), covers at least one bin.
        assertThat(dense[0]).containsOnly(0.0);
        for (int j = 0; j < 64; j++) {
            double peak = 0;
            for (int k = 0; k < 257; k++) {
                peak = Math.max(peak, dense[k][j]);
            }
            assertThat(peak).as("peak of filter %d", j).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
        }
        assertThatThrownBy(() -> new MelFilterbank(64, 257, 16000, 80, 9000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("highHz");
    }
}

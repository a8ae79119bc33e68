package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mp3.tensor.cpu.Parallel;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.jtransforms.fft.FloatFFT_1D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * The FFT choice for the MFCC front end: our scalar {@link RealFft}, JTransforms 3.1
 * (FloatFFT_1D.realForward) in the same scalar pipeline, and the Vector API path that transforms
 * {@link FrameBatchFft#LANES} frames at once; as 512-point power spectra per second and as whole
 * 1 s clips to MFCCs per second (one thread, then all threads over clips). Skipped unless asked
 * for:
 *
 * <pre>
 * mvn -q -pl mp3 -am test -Dtest=MfccBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Dspeech.bench=true
 * </pre>
 *
 * The two implementations run interleaved, several rounds each, and the median round is
 * reported, because the machines this runs on are shared. Before timing, JTransforms' power
 * spectra are checked against ours on the same frames.
 */
@EnabledIfSystemProperty(named = "speech.bench", matches = "true")
class MfccBenchmarkTest {

    private static final int ROUNDS = 7;

    /** JTransforms' in-place packed real FFT: a[2k] = Re X[k], a[2k+1] = Im X[k], a[1] = Re X[n/2]. */
    static Mfcc.PowerSpectrum jtransforms(int n) {
        FloatFFT_1D fft = new FloatFFT_1D(n);
        float[] a = new float[n];
        return (frame, length, power) -> {
            System.arraycopy(frame, 0, a, 0, length);
            Arrays.fill(a, length, n, 0f);
            fft.realForward(a);
            power[0] = a[0] * a[0];
            power[n / 2] = a[1] * a[1];
            for (int k = 1; k < n / 2; k++) {
                power[k] = a[2 * k] * a[2 * k] + a[2 * k + 1] * a[2 * k + 1];
            }
        };
    }

    static Mfcc.PowerSpectrum ours(int n) {
        RealFft fft = new RealFft(n);
        float[] re = new float[n / 2 + 1];
        float[] im = new float[n / 2 + 1];
        return (frame, length, power) -> {
            fft.forward(frame, length, re, im);
            for (int k = 0; k <= n / 2; k++) {
                power[k] = re[k] * re[k] + im[k] * im[k];
            }
        };
    }

    @Test
    void compareFfts() {
        ConcurrencyUtils.setNumberOfThreads(1); // 512 points never split, but make sure
        Random random = new Random(1);
        float[][] frames = new float[256][480];
        for (float[] f : frames) {
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) random.nextGaussian();
            }
        }
        float[][] clips = new float[64][16000];
        for (float[] c : clips) {
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) (0.1 * random.nextGaussian());
            }
        }
        Mfcc.PowerSpectrum mine = ours(512);
        Mfcc.PowerSpectrum theirs = jtransforms(512);
        float[] p1 = new float[257];
        float[] p2 = new float[257];
        for (float[] f : frames) {
            mine.compute(f, 480, p1);
            theirs.compute(f, 480, p2);
            for (int k = 0; k < 257; k++) {
                assertThat((double) p1[k]).isCloseTo(p2[k], Offset.offset(1e-4 * (1 + p2[k])));
            }
        }
        Mfcc mfccOurs = new Mfcc(Mfcc.Config.TC_RESNET, () -> ours(512));
        Mfcc mfccTheirs = new Mfcc(Mfcc.Config.TC_RESNET, () -> jtransforms(512));
        int lanes = FrameBatchFft.LANES;
        FrameBatchFft batchFft = new FrameBatchFft(512);
        float[] interleaved = new float[480 * lanes];
        for (int i = 0; i < interleaved.length; i++) {
            interleaved[i] = frames[(i % lanes) * 7 % 256][i / lanes];
        }
        float[] batchPower = new float[257 * lanes];

        String[] names = {"scalar RealFft (ours)", "scalar JTransforms 3.1", "Vector API, frames in lanes"};
        double[][] fftRate = new double[3][ROUNDS];
        double[][] clipRate = new double[3][ROUNDS];
        double[][] clipRateParallel = new double[3][ROUNDS];
        for (int round = -2; round < ROUNDS; round++) { // two warm-up rounds
            for (int impl = 0; impl < 3; impl++) {
                final int which = impl;
                Mfcc.PowerSpectrum spectrum = impl == 0 ? mine : theirs;
                Mfcc mfcc = impl == 1 ? mfccTheirs : mfccOurs;
                double a = which == 2
                        ? perSecond(20_000, () -> {
                            for (int i = 0; i < 20_000 / lanes; i++) {
                                batchFft.power(interleaved, 480, batchPower);
                            }
                        })
                        : perSecond(20_000, () -> {
                            for (int i = 0; i < 20_000; i++) {
                                spectrum.compute(frames[i & 255], 480, p1);
                            }
                        });
                double b = perSecond(300, () -> {
                    for (int i = 0; i < 300; i++) {
                        run(mfcc, which, clips[i & 63]);
                    }
                });
                double c = perSecond(600, () -> Parallel.forRange(600, 8, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        run(mfcc, which, clips[i & 63]);
                    }
                }));
                if (round >= 0) {
                    fftRate[impl][round] = a;
                    clipRate[impl][round] = b;
                    clipRateParallel[impl][round] = c;
                }
            }
        }
        System.out.printf("%nMFCC front end, FFT choice (median of %d rounds; %d lanes; %d threads in the last column)%n",
                ROUNDS, lanes, Parallel.threads());
        System.out.printf("%-30s %14s %17s %20s%n", "implementation", "FFT-512/s", "clips/s 1 thread",
                "clips/s all threads");
        for (int impl = 0; impl < 3; impl++) {
            System.out.printf("%-30s %14.0f %17.0f %20.0f%n", names[impl], median(fftRate[impl]),
                    median(clipRate[impl]), median(clipRateParallel[impl]));
        }
    }

    private static void run(Mfcc mfcc, int impl, float[] clip) {
        if (impl == 2) {
            mfcc.compute(clip);
        } else {
            mfcc.computeScalar(clip);
        }
    }

    private static double perSecond(int items, Runnable body) {
        long t0 = System.nanoTime();
        body.run();
        return items / ((System.nanoTime() - t0) * 1e-9);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}

package dev.mp3.speech;

import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;

/**
 * MFCC features as TC-ResNet computes them (hyperconnect/TC-ResNet, datasets/preprocessors.py,
 * MFCCPreprocessor), which the paper keeps unchanged. TC-ResNet calls TensorFlow's signal ops; this
 * class follows their definitions step by step:
 *
 * <ol>
 *   <li>{@code tf.signal.stft(frame_length=480, frame_step=160)}: frames of 30 ms every 10 ms
 *       without end padding, so a 1 s clip (16,000 samples) gives 1 + (16000 - 480) / 160 = 98
 *       frames; each frame times a periodic Hann window w[i] = 0.5 - 0.5 cos(2 pi i / 480); the
 *       default fft_length is the next power of two, 512, so frames are zero-padded to 512 and
 *       the real FFT gives 257 bins;</li>
 *   <li>power spectrum |X|^2 ({@code tf.real(stfts * tf.conj(stfts))}, magnitude_squared=True);</li>
 *   <li>{@code linear_to_mel_weight_matrix(64, 257, 16000, 80, 7600)}: see {@link MelFilterbank};</li>
 *   <li>{@code tf.log(mel + 1e-6)};</li>
 *   <li>{@code mfccs_from_log_mel_spectrograms}: the unnormalised DCT-II
 *       2 sum_j x_j cos(pi k (2j + 1) / 2N) times rsqrt(2N), i.e.
 *       c_k = sqrt(2/N) sum_j x_j cos(pi k (2j + 1) / 2N) with N = 64 (HTK's scaling: orthonormal
 *       except c_0, which is sqrt(2) larger);</li>
 *   <li>the first 40 coefficients: a [98, 40] matrix, stored row-major (frame, coefficient).</li>
 * </ol>
 *
 * Two implementations of the same steps: {@link #compute} and {@link #logMelSpectrogram} (the
 * fast path) run {@link FrameBatchFft#LANES} frames at a time through Vector API kernels, lane l
 * holding frame l of the group; {@link #computeScalar} and {@link #logMelSpectrogramScalar} (the
 * simple twin) go one frame at a time through {@link RealFft}. The twin is tested against numpy
 * and the fast path against the twin. Arithmetic is float32 as in TensorFlow (the twin
 * accumulates its DCT in double). Instances are immutable and thread-safe; each thread keeps its
 * own scratch buffers.
 */
public final class Mfcc {

    /** The front end's settings; {@link #TC_RESNET} holds the paper's. */
    public record Config(int sampleRate, int clipSamples, int windowSamples, int strideSamples, int fftLength,
                         int melBins, double lowHz, double highHz, double logOffset, int coefficients) {

        public static final Config TC_RESNET = new Config(16_000, 16_000, 480, 160, 512, 64, 80.0, 7600.0,
                1e-6, 40);

        public Config {
            if (windowSamples <= 0 || strideSamples <= 0 || clipSamples < windowSamples || fftLength < windowSamples
                    || Integer.bitCount(fftLength) != 1 || coefficients <= 0 || coefficients > melBins
                    || logOffset <= 0) {
                throw new IllegalArgumentException("Mfcc.Config: need 0 < window (" + windowSamples
                        + ") <= clip (" + clipSamples + "), stride > 0 (" + strideSamples
                        + "), a power-of-two fftLength >= window (" + fftLength + "), 0 < coefficients ("
                        + coefficients + ") <= melBins (" + melBins + ") and logOffset > 0 (" + logOffset + ")");
            }
        }

        /** Frames per clip: 1 + (clip - window) / stride, no end padding (98 for the defaults). */
        public int frames() {
            return 1 + (clipSamples - windowSamples) / strideSamples;
        }

        public int spectrumBins() {
            return fftLength / 2 + 1;
        }
    }

    /** Power spectrum of one zero-padded frame; one instance per thread (FFTs keep scratch). */
    interface PowerSpectrum {
        void compute(float[] frame, int length, float[] power);
    }

    private final Config config;
    private final float[] window;
    private final MelFilterbank mel;
    /** dct[k][j] = sqrt(2/N) cos(pi k (2j + 1) / 2N), k below the kept coefficients. */
    private final double[][] dct;
    private final float[][] dctFloat;
    private final ThreadLocal<ScalarWorkspace> scalarWorkspace;
    private final ThreadLocal<BatchWorkspace> batchWorkspace;

    public Mfcc() {
        this(Config.TC_RESNET);
    }

    public Mfcc(Config config) {
        this(config, () -> fftPowerSpectrum(config.fftLength()));
    }

    /** With another FFT for the scalar twin: the benchmark compares libraries through this. */
    Mfcc(Config config, Supplier<PowerSpectrum> spectrum) {
        this.config = config;
        int n = config.windowSamples();
        window = new float[n];
        for (int i = 0; i < n; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n)); // periodic Hann
        }
        mel = new MelFilterbank(config.melBins(), config.spectrumBins(), config.sampleRate(), config.lowHz(),
                config.highHz());
        int nm = config.melBins();
        dct = new double[config.coefficients()][nm];
        dctFloat = new float[config.coefficients()][nm];
        for (int k = 0; k < config.coefficients(); k++) {
            for (int j = 0; j < nm; j++) {
                dct[k][j] = Math.sqrt(2.0 / nm) * Math.cos(Math.PI * k * (2 * j + 1) / (2.0 * nm));
                dctFloat[k][j] = (float) dct[k][j];
            }
        }
        scalarWorkspace = ThreadLocal.withInitial(() -> new ScalarWorkspace(config, spectrum.get()));
        batchWorkspace = ThreadLocal.withInitial(() -> new BatchWorkspace(config));
    }

    private static PowerSpectrum fftPowerSpectrum(int fftLength) {
        RealFft fft = new RealFft(fftLength);
        float[] re = new float[fftLength / 2 + 1];
        float[] im = new float[fftLength / 2 + 1];
        return (frame, length, power) -> {
            fft.forward(frame, length, re, im);
            for (int k = 0; k < re.length; k++) {
                power[k] = re[k] * re[k] + im[k] * im[k];
            }
        };
    }

    public Config config() {
        return config;
    }

    /** Number of values {@link #compute} returns: frames * coefficients (98 * 40). */
    public int featureSize() {
        return config.frames() * config.coefficients();
    }

    /** MFCCs of one clip of exactly clipSamples samples, as [frames, coefficients] row-major. */
    public float[] compute(float[] clip) {
        float[] out = new float[featureSize()];
        compute(clip, out, 0);
        return out;
    }

    /** As {@link #compute(float[])}, writing into {@code out[offset ..]}. */
    public void compute(float[] clip, float[] out, int offset) {
        batches(clip, out, offset, true);
    }

    /** log(mel power + 1e-6) of one clip, as [frames, melBins] row-major (before the DCT). */
    public float[] logMelSpectrogram(float[] clip) {
        float[] out = new float[config.frames() * config.melBins()];
        batches(clip, out, 0, false);
        return out;
    }

    private void checkLength(float[] clip) {
        if (clip.length != config.clipSamples()) {
            throw new IllegalArgumentException("Mfcc: clip of " + clip.length + " samples, expected "
                    + config.clipSamples() + " (pad or crop first, e.g. Wav.readSpeechClip(file, "
                    + config.clipSamples() + "))");
        }
    }

    // ---------------------------------------------------------------- fast path: LANES frames at once

    /**
     * Frames go through in groups of LANES; lanes past the last frame transform zeros and are
     * not written out. Writes MFCCs when {@code mfcc}, else the log-mel spectrogram.
     */
    private void batches(float[] clip, float[] out, int offset, boolean mfcc) {
        checkLength(clip);
        int lanes = FrameBatchFft.LANES;
        int frames = config.frames();
        int n = config.windowSamples();
        int nm = config.melBins();
        int nc = config.coefficients();
        float logOffset = (float) config.logOffset();
        BatchWorkspace ws = batchWorkspace.get();
        for (int f0 = 0; f0 < frames; f0 += lanes) {
            int valid = Math.min(lanes, frames - f0);
            for (int l = 0; l < lanes; l++) {
                int base = (f0 + l) * config.strideSamples();
                for (int i = 0; i < n; i++) {
                    ws.frames[i * lanes + l] = l < valid ? clip[base + i] * window[i] : 0f;
                }
            }
            ws.fft.power(ws.frames, n, ws.power);
            mel.applyBatch(ws.power, ws.logMel);
            // Scalar Math.log, not lanewise(LOG): the vector log's result depends on whether the
            // JIT has compiled this code yet (SVML stub versus Java fallback), and features must
            // not change during a run.
            for (int i = 0; i < nm * lanes; i++) {
                ws.logMel[i] = (float) Math.log(ws.logMel[i] + logOffset);
            }
            if (!mfcc) {
                for (int j = 0; j < nm; j++) {
                    for (int l = 0; l < valid; l++) {
                        out[offset + (f0 + l) * nm + j] = ws.logMel[j * lanes + l];
                    }
                }
                continue;
            }
            for (int k = 0; k < nc; k++) {
                float[] basis = dctFloat[k];
                FloatVector acc = FloatVector.zero(FrameBatchFft.SPECIES);
                for (int j = 0; j < nm; j++) {
                    FloatVector x = FloatVector.fromArray(FrameBatchFft.SPECIES, ws.logMel, j * lanes);
                    acc = x.fma(FloatVector.broadcast(FrameBatchFft.SPECIES, basis[j]), acc);
                }
                acc.intoArray(ws.lane, 0);
                for (int l = 0; l < valid; l++) {
                    out[offset + (f0 + l) * nc + k] = ws.lane[l];
                }
            }
        }
    }

    // ---------------------------------------------------------------- simple twin: one frame at a time

    /** {@link #compute}, one frame at a time in plain Java (the reference the fast path is tested against). */
    public float[] computeScalar(float[] clip) {
        ScalarWorkspace ws = scalarWorkspace.get();
        float[] logMel = ws.logMel;
        logMelScalar(clip, logMel, ws);
        int nm = config.melBins();
        int nc = config.coefficients();
        float[] out = new float[featureSize()];
        for (int f = 0; f < config.frames(); f++) {
            int row = f * nm;
            for (int k = 0; k < nc; k++) {
                double[] basis = dct[k];
                double acc = 0;
                for (int j = 0; j < nm; j++) {
                    acc += basis[j] * logMel[row + j];
                }
                out[f * nc + k] = (float) acc;
            }
        }
        return out;
    }

    /** {@link #logMelSpectrogram}, one frame at a time in plain Java. */
    public float[] logMelSpectrogramScalar(float[] clip) {
        float[] out = new float[config.frames() * config.melBins()];
        logMelScalar(clip, out, scalarWorkspace.get());
        return out;
    }

    private void logMelScalar(float[] clip, float[] out, ScalarWorkspace ws) {
        checkLength(clip);
        int n = config.windowSamples();
        int nm = config.melBins();
        float logOffset = (float) config.logOffset();
        for (int f = 0; f < config.frames(); f++) {
            int base = f * config.strideSamples();
            for (int i = 0; i < n; i++) {
                ws.frame[i] = clip[base + i] * window[i];
            }
            ws.spectrum.compute(ws.frame, n, ws.power);
            mel.apply(ws.power, out, f * nm);
            for (int j = 0; j < nm; j++) {
                out[f * nm + j] = (float) Math.log(out[f * nm + j] + logOffset);
            }
        }
    }

    private static final class ScalarWorkspace {
        final PowerSpectrum spectrum;
        final float[] frame;
        final float[] power;
        final float[] logMel;

        ScalarWorkspace(Config config, PowerSpectrum spectrum) {
            this.spectrum = spectrum;
            frame = new float[config.windowSamples()];
            power = new float[config.spectrumBins()];
            logMel = new float[config.frames() * config.melBins()];
        }
    }

    /** Scratch for the fast path, every array in FrameBatchFft's lane-interleaved layout. */
    private static final class BatchWorkspace {
        final FrameBatchFft fft;
        final float[] frames;
        final float[] power;
        final float[] logMel;
        final float[] lane = new float[FrameBatchFft.LANES];

        BatchWorkspace(Config config) {
            int lanes = FrameBatchFft.LANES;
            fft = new FrameBatchFft(config.fftLength());
            frames = new float[config.windowSamples() * lanes];
            power = new float[config.spectrumBins() * lanes];
            logMel = new float[config.melBins() * lanes];
        }
    }
}

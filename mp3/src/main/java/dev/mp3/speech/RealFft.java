package dev.mp3.speech;

/**
 * Discrete Fourier transform of a real signal whose length n is a power of two, returning the
 * n/2 + 1 non-redundant bins X[k] = sum_t x[t] exp(-2 pi i k t / n), k = 0..n/2 (numpy's rfft).
 *
 * <p>The standard trick halves the work: the even and odd samples are packed as one complex
 * signal z[t] = x[2t] + i x[2t+1] of length m = n/2, transformed by an iterative radix-2 complex
 * FFT, and separated again with X[k] = E[k] + exp(-2 pi i k / n) O[k], where
 * E[k] = (Z[k] + conj(Z[m-k])) / 2 and O[k] = (Z[k] - conj(Z[m-k])) / 2i are the transforms of the
 * even and odd samples.
 *
 * <p>This is the simple, one-frame-at-a-time twin of {@link FrameBatchFft}, which the MFCC front
 * end uses: MfccBenchmarkTest (numbers in BENCHMARKS.md) measured this scalar code
 * at about half of JTransforms' speed and the frames-in-lanes Vector API version at well over
 * twice it. An instance owns scratch buffers: use one per thread.
 */
public final class RealFft {

    private final int n;
    private final int m;
    private final int[] bitReverse;
    /** cos and -sin of 2 pi j / m for j < m/2: the complex FFT's twiddles exp(-2 pi i j / m). */
    private final float[] cosM;
    private final float[] sinM;
    /** cos and -sin of 2 pi k / n for k <= m: the final split's twiddles exp(-2 pi i k / n). */
    private final float[] cosN;
    private final float[] sinN;
    private final float[] zr;
    private final float[] zi;

    public RealFft(int n) {
        FftTables tables = new FftTables(n, "RealFft");
        this.n = n;
        this.m = n / 2;
        bitReverse = tables.bitReverse;
        cosM = tables.cosM;
        sinM = tables.sinM;
        cosN = tables.cosN;
        sinN = tables.sinN;
        zr = new float[m];
        zi = new float[m];
    }

    /**
     * Transforms {@code x[0..n)} into {@code re[0..n/2]} and {@code im[0..n/2]}. {@code x} may be
     * shorter than n: the rest counts as zeros (zero padding, as tf.signal.stft's fft_length).
     */
    public void forward(float[] x, int length, float[] re, float[] im) {
        if (length > n || length > x.length || re.length <= m || im.length <= m) {
            throw new IllegalArgumentException("RealFft(" + n + "): " + length + " input samples (array "
                    + x.length + ") and outputs of " + re.length + "/" + im.length + ", expected at most "
                    + n + " samples and outputs of at least " + (m + 1));
        }
        // Pack even/odd samples as real/imaginary parts, already in bit-reversed order.
        for (int t = 0; t < m; t++) {
            int r = bitReverse[t];
            int e = 2 * t;
            zr[r] = e < length ? x[e] : 0f;
            zi[r] = e + 1 < length ? x[e + 1] : 0f;
        }
        complexButterflies();
        // Split Z into the transforms of the even and odd samples and combine them.
        for (int k = 0; k <= m / 2; k++) {
            int a = k == 0 ? 0 : k;
            int b = k == 0 ? 0 : m - k;
            float er = 0.5f * (zr[a] + zr[b]);
            float ei = 0.5f * (zi[a] - zi[b]);
            float or = 0.5f * (zi[a] + zi[b]);
            float oi = -0.5f * (zr[a] - zr[b]);
            // X[k] = E[k] + w^k O[k]; X[m-k] = conj(E[k]) + w^(m-k) conj(O[k]), w = exp(-2 pi i / n).
            re[k] = er + cosN[k] * or - sinN[k] * oi;
            im[k] = ei + cosN[k] * oi + sinN[k] * or;
            int j = m - k;
            re[j] = er + cosN[j] * or + sinN[j] * oi;
            im[j] = -ei - cosN[j] * oi + sinN[j] * or;
        }
    }

    /** In-place decimation-in-time radix-2 FFT of (zr, zi), input already bit-reversed. */
    private void complexButterflies() {
        for (int len = 2; len <= m; len <<= 1) {
            int half = len >> 1;
            int stride = m / len;
            for (int start = 0; start < m; start += len) {
                for (int j = 0; j < half; j++) {
                    float wr = cosM[j * stride];
                    float wi = sinM[j * stride];
                    int p = start + j;
                    int q = p + half;
                    float tr = wr * zr[q] - wi * zi[q];
                    float ti = wr * zi[q] + wi * zr[q];
                    zr[q] = zr[p] - tr;
                    zi[q] = zi[p] - ti;
                    zr[p] += tr;
                    zi[p] += ti;
                }
            }
        }
    }
}

package dev.mp3.speech;

/**
 * Band-limited sample-rate conversion by a rational factor (espeak-ng's 22,050 Hz to the 16,000 Hz
 * the MFCC front end expects): a Kaiser-windowed sinc low-pass evaluated as a polyphase filter.
 *
 * <p>With g = gcd(in, out), up = out / g and down = in / g (320 and 441 for 22,050 to 16,000),
 * output sample n sits at input position t = n * down / up. Its value is the sum over nearby
 * input samples k of x[k] * h(t - k), where h is a sinc whose cutoff lies just below the lower of
 * the two Nyquist frequencies (so nothing above 8 kHz folds back into the band when
 * downsampling). t - k takes only {@code up} distinct fractional parts, so the taps of every
 * phase are computed once. Each phase's taps are normalised to sum to one, which makes the DC
 * gain exactly 1. Input beyond either end counts as zero.
 */
public final class Resampler {

    /** Fraction of the lower Nyquist frequency kept as passband. */
    private static final double ROLLOFF = 0.94;
    /** Sinc zero crossings on each side of the centre: filter length versus transition width. */
    private static final int ZERO_CROSSINGS = 64;
    /** Kaiser window shape: about 90 dB stopband attenuation. */
    private static final double KAISER_BETA = 9.0;

    private final int up;
    private final int down;
    /** Half the filter length in input samples. */
    private final int half;
    /** taps[phase][j] multiplies x[k0 - half + 1 + j] for output phase (n * down) mod up. */
    private final float[][] taps;

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("Resampler: sample rates must be positive, got " + inRate
                    + " -> " + outRate);
        }
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        // Cutoff in cycles per input sample: below the output's Nyquist when downsampling.
        double cutoff = 0.5 * ROLLOFF * Math.min(1.0, (double) up / down);
        this.half = (int) Math.ceil(ZERO_CROSSINGS / (2.0 * cutoff));
        this.taps = new float[up][2 * half];
        for (int phase = 0; phase < up; phase++) {
            double frac = (double) phase / up;
            double sum = 0;
            double[] h = new double[2 * half];
            for (int j = 0; j < 2 * half; j++) {
                double x = frac + half - 1 - j; // t - k for k = k0 - half + 1 + j
                h[j] = 2 * cutoff * sinc(2 * cutoff * x) * kaiser(x / half);
                sum += h[j];
            }
            for (int j = 0; j < 2 * half; j++) {
                taps[phase][j] = (float) (h[j] / sum);
            }
        }
    }

    /** Resamples a whole signal; the output has floor(length * out / in) samples. */
    public float[] resample(float[] in) {
        int outLength = (int) ((long) in.length * up / down);
        float[] out = new float[outLength];
        if (up == down) {
            System.arraycopy(in, 0, out, 0, outLength);
            return out;
        }
        for (int n = 0; n < outLength; n++) {
            long pos = (long) n * down;
            int k0 = (int) (pos / up);
            float[] t = taps[(int) (pos % up)];
            int first = k0 - half + 1;
            int jLo = Math.max(0, -first);
            int jHi = Math.min(t.length, in.length - first);
            float acc = 0f;
            for (int j = jLo; j < jHi; j++) {
                acc += t[j] * in[first + j];
            }
            out[n] = acc;
        }
        return out;
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Kaiser window on [-1, 1]: I0(beta * sqrt(1 - u^2)) / I0(beta), zero outside. */
    private static double kaiser(double u) {
        if (Math.abs(u) >= 1) {
            return 0;
        }
        return besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / besselI0(KAISER_BETA);
    }

    /** Modified Bessel function of order 0 by its power series (converges fast for x below 20). */
    private static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        double q = x * x / 4;
        for (int k = 1; term > 1e-12 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}

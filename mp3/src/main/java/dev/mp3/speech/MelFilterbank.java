package dev.mp3.speech;

import jdk.incubator.vector.FloatVector;

/**
 * Triangular mel filters over the bins of a one-sided power spectrum, defined exactly as
 * TensorFlow's {@code tf.signal.linear_to_mel_weight_matrix} (which TC-ResNet, and so the paper,
 * uses):
 *
 * <ul>
 *   <li>HTK mel scale: mel(f) = 1127 ln(1 + f / 700);</li>
 *   <li>spectrum bin k (of {@code numSpectrumBins} spanning 0 .. sampleRate/2) sits at
 *       f_k = k * (sampleRate / 2) / (numSpectrumBins - 1); the DC bin gets weight 0;</li>
 *   <li>numMelBins + 2 edges equally spaced in mel from mel(lowHz) to mel(highHz); filter j has
 *       lower edge, centre, upper edge = edges j, j+1, j+2;</li>
 *   <li>weight(k, j) = max(0, min(rising slope, falling slope)), slopes linear in mel: the peak
 *       is 1 and the filters are not area-normalised.</li>
 * </ul>
 *
 * Each filter is stored as its run of non-zero weights, so applying it costs about two
 * multiply-adds per spectrum bin instead of numMelBins.
 */
public final class MelFilterbank {

    private final int numMelBins;
    /** First spectrum bin with a non-zero weight in filter j. */
    private final int[] start;
    /** The non-zero weights of filter j, for bins start[j], start[j] + 1, ... */
    private final float[][] weights;

    public MelFilterbank(int numMelBins, int numSpectrumBins, double sampleRate, double lowHz, double highHz) {
        if (numMelBins <= 0 || numSpectrumBins < 2 || sampleRate <= 0 || lowHz < 0 || lowHz >= highHz
                || highHz > sampleRate / 2) {
            throw new IllegalArgumentException("MelFilterbank: need numMelBins > 0 (got " + numMelBins
                    + "), numSpectrumBins >= 2 (got " + numSpectrumBins + "), sampleRate > 0 (got " + sampleRate
                    + ") and 0 <= lowHz < highHz <= sampleRate/2 (got " + lowHz + ", " + highHz + ")");
        }
        this.numMelBins = numMelBins;
        this.start = new int[numMelBins];
        this.weights = new float[numMelBins][];
        double[][] dense = denseWeights(numMelBins, numSpectrumBins, sampleRate, lowHz, highHz);
        for (int j = 0; j < numMelBins; j++) {
            int lo = 0;
            while (lo < numSpectrumBins && dense[lo][j] == 0) {
                lo++;
            }
            int hi = numSpectrumBins;
            while (hi > lo && dense[hi - 1][j] == 0) {
                hi--;
            }
            start[j] = lo;
            weights[j] = new float[hi - lo];
            for (int k = lo; k < hi; k++) {
                weights[j][k - lo] = (float) dense[k][j];
            }
        }
    }

    /** HTK's mel scale, as TensorFlow: 1127 ln(1 + f / 700). */
    public static double hertzToMel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }

    /**
     * The full [numSpectrumBins][numMelBins] weight matrix in double precision, computed straight
     * from the definition (the sparse filters are cut from it; tests read it too).
     */
    static double[][] denseWeights(int numMelBins, int numSpectrumBins, double sampleRate, double lowHz,
                                   double highHz) {
        double nyquist = sampleRate / 2;
        double lowMel = hertzToMel(lowHz);
        double highMel = hertzToMel(highHz);
        double[] edges = new double[numMelBins + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = lowMel + (highMel - lowMel) * i / (numMelBins + 1);
        }
        double[][] w = new double[numSpectrumBins][numMelBins];
        for (int k = 1; k < numSpectrumBins; k++) { // k = 0 (DC) stays zero, as HTK and TensorFlow
            double mel = hertzToMel(nyquist * k / (numSpectrumBins - 1));
            for (int j = 0; j < numMelBins; j++) {
                double rising = (mel - edges[j]) / (edges[j + 1] - edges[j]);
                double falling = (edges[j + 2] - mel) / (edges[j + 2] - edges[j + 1]);
                w[k][j] = Math.max(0.0, Math.min(rising, falling));
            }
        }
        return w;
    }

    /**
     * The same for {@link FrameBatchFft#LANES} frames at once, in its layout: power[k * LANES + l]
     * is bin k of frame l, mel[j * LANES + l] receives filter j of frame l.
     */
    void applyBatch(float[] power, float[] mel) {
        int lanes = FrameBatchFft.LANES;
        for (int j = 0; j < numMelBins; j++) {
            float[] w = weights[j];
            int s = start[j];
            FloatVector acc = FloatVector.zero(FrameBatchFft.SPECIES);
            for (int i = 0; i < w.length; i++) {
                FloatVector p = FloatVector.fromArray(FrameBatchFft.SPECIES, power, (s + i) * lanes);
                acc = p.fma(FloatVector.broadcast(FrameBatchFft.SPECIES, w[i]), acc);
            }
            acc.intoArray(mel, j * lanes);
        }
    }

    /** mel[outOffset + j] = sum_k power[k] * weight(k, j). */
    public void apply(float[] power, float[] mel, int outOffset) {
        for (int j = 0; j < numMelBins; j++) {
            float[] w = weights[j];
            int s = start[j];
            float acc = 0f;
            for (int i = 0; i < w.length; i++) {
                acc += w[i] * power[s + i];
            }
            mel[outOffset + j] = acc;
        }
    }
}

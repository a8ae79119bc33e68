package dev.mp3.speech;

/**
 * The precomputed tables of an n-point real FFT done as an m = n/2-point complex radix-2 FFT
 * followed by the even/odd split (see {@link RealFft}); shared by {@link RealFft} and
 * {@link FrameBatchFft}, which walk them in the same order.
 */
final class FftTables {
    /** Bit-reversal permutation of 0..m-1. */
    final int[] bitReverse;
    /** cos and -sin of 2 pi j / m for j < m/2: the complex FFT's twiddles exp(-2 pi i j / m). */
    final float[] cosM;
    final float[] sinM;
    /** cos and -sin of 2 pi k / n for k <= m: the final split's twiddles exp(-2 pi i k / n). */
    final float[] cosN;
    final float[] sinN;

    /** @param owner the class named in the error message for a bad length */
    FftTables(int n, String owner) {
        if (n < 4 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException(owner + ": length must be a power of two >= 4, got " + n);
        }
        int m = n / 2;
        int bits = Integer.numberOfTrailingZeros(m);
        bitReverse = new int[m];
        for (int i = 0; i < m; i++) {
            bitReverse[i] = Integer.reverse(i) >>> (32 - bits);
        }
        cosM = new float[m / 2];
        sinM = new float[m / 2];
        for (int j = 0; j < m / 2; j++) {
            cosM[j] = (float) Math.cos(2 * Math.PI * j / m);
            sinM[j] = (float) -Math.sin(2 * Math.PI * j / m);
        }
        cosN = new float[m + 1];
        sinN = new float[m + 1];
        for (int k = 0; k <= m; k++) {
            cosN[k] = (float) Math.cos(2 * Math.PI * k / n);
            sinN[k] = (float) -Math.sin(2 * Math.PI * k / n);
        }
    }
}

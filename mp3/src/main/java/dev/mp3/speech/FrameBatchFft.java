package dev.mp3.speech;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Power spectra of several frames at once: the same radix-2 real FFT as {@link RealFft}, with
 * every scalar replaced by a vector holding that value for {@link #LANES} different frames.
 *
 * <p>A 512-point FFT is too short to vectorise well along its own length (the early stages have
 * butterflies only 1, 2, 4 apart), but an MFCC computes 98 independent FFTs of the same size, so
 * vectorising across frames keeps every lane busy in every stage. Data is "structure of arrays":
 * element t of frame l lives at index t * LANES + l, so one vector load fetches element t of all
 * frames.
 *
 * <p>{@link RealFft} is the simple twin this is tested against. An instance owns scratch buffers:
 * use one per thread.
 */
final class FrameBatchFft {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Frames transformed together: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = SPECIES.length();

    private final int m;
    private final int[] bitReverse;
    private final float[] cosM;
    private final float[] sinM;
    private final float[] cosN;
    private final float[] sinN;
    private final float[] zr;
    private final float[] zi;

    FrameBatchFft(int n) {
        FftTables tables = new FftTables(n, "FrameBatchFft");
        this.m = n / 2;
        bitReverse = tables.bitReverse;
        cosM = tables.cosM;
        sinM = tables.sinM;
        cosN = tables.cosN;
        sinN = tables.sinN;
        zr = new float[m * LANES];
        zi = new float[m * LANES];
    }

    /**
     * |X[k]|^2 for k = 0..n/2 of LANES frames: {@code x[t * LANES + l]} holds sample t of frame l
     * for t below {@code length} (later samples count as zero); {@code power[k * LANES + l]}
     * receives bin k of frame l.
     */
    void power(float[] x, int length, float[] power) {
        if (length > 2 * m || x.length < length * LANES || power.length < (m + 1) * LANES) {
            throw new IllegalArgumentException("FrameBatchFft(" + 2 * m + "): " + length + " samples per frame in "
                    + x.length + " floats, power of " + power.length + " floats; expected at most " + 2 * m
                    + " samples, " + length + " * " + LANES + " input floats and " + (m + 1) + " * " + LANES
                    + " outputs");
        }
        for (int t = 0; t < m; t++) {
            int r = bitReverse[t] * LANES;
            int e = 2 * t;
            vectorOrZero(x, e, length).intoArray(zr, r);
            vectorOrZero(x, e + 1, length).intoArray(zi, r);
        }
        for (int len = 2; len <= m; len <<= 1) {
            int half = len >> 1;
            int stride = m / len;
            for (int start = 0; start < m; start += len) {
                for (int j = 0; j < half; j++) {
                    float wr = cosM[j * stride];
                    float wi = sinM[j * stride];
                    int p = (start + j) * LANES;
                    int q = p + half * LANES;
                    FloatVector ar = FloatVector.fromArray(SPECIES, zr, p);
                    FloatVector ai = FloatVector.fromArray(SPECIES, zi, p);
                    FloatVector br = FloatVector.fromArray(SPECIES, zr, q);
                    FloatVector bi = FloatVector.fromArray(SPECIES, zi, q);
                    FloatVector tr = br.mul(wr).sub(bi.mul(wi));
                    FloatVector ti = bi.mul(wr).add(br.mul(wi));
                    ar.sub(tr).intoArray(zr, q);
                    ai.sub(ti).intoArray(zi, q);
                    ar.add(tr).intoArray(zr, p);
                    ai.add(ti).intoArray(zi, p);
                }
            }
        }
        // Separate the even- and odd-sample transforms, as RealFft.forward, keeping only |X|^2.
        for (int k = 0; k <= m / 2; k++) {
            int a = k * LANES;
            int b = (k == 0 ? 0 : m - k) * LANES;
            FloatVector zra = FloatVector.fromArray(SPECIES, zr, a);
            FloatVector zia = FloatVector.fromArray(SPECIES, zi, a);
            FloatVector zrb = FloatVector.fromArray(SPECIES, zr, b);
            FloatVector zib = FloatVector.fromArray(SPECIES, zi, b);
            FloatVector er = zra.add(zrb).mul(0.5f);
            FloatVector ei = zia.sub(zib).mul(0.5f);
            FloatVector or = zia.add(zib).mul(0.5f);
            FloatVector oi = zrb.sub(zra).mul(0.5f);
            FloatVector reK = er.add(or.mul(cosN[k])).sub(oi.mul(sinN[k]));
            FloatVector imK = ei.add(oi.mul(cosN[k])).add(or.mul(sinN[k]));
            reK.mul(reK).add(imK.mul(imK)).intoArray(power, k * LANES);
            int j = m - k;
            FloatVector reJ = er.add(or.mul(cosN[j])).add(oi.mul(sinN[j]));
            FloatVector imJ = ei.neg().sub(oi.mul(cosN[j])).add(or.mul(sinN[j]));
            reJ.mul(reJ).add(imJ.mul(imJ)).intoArray(power, j * LANES);
        }
    }

    private static FloatVector vectorOrZero(float[] x, int t, int length) {
        return t < length ? FloatVector.fromArray(SPECIES, x, t * LANES) : FloatVector.zero(SPECIES);
    }
}

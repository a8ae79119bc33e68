package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import java.util.*;

public class Tp {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final FloatVector[] LO = new FloatVector[4], HI = new FloatVector[4];
    static final FloatVector LO0, LO1, LO2, LO3, HI0, HI1, HI2, HI3;
    static {
        for (int st = 0; st < 4; st++) {
            int b = 8 >> st;
            float[] lo = new float[16], hi = new float[16];
            for (int c = 0; c < 16; c++) {
                lo[c] = (c & b) == 0 ? c : 16 + c - b;
                hi[c] = (c & b) == 0 ? c + b : 16 + c;
            }
            LO[st] = FloatVector.fromArray(S, lo, 0);
            HI[st] = FloatVector.fromArray(S, hi, 0);
        }
        LO0 = LO[0]; LO1 = LO[1]; LO2 = LO[2]; LO3 = LO[3]; HI0 = HI[0]; HI1 = HI[1]; HI2 = HI[2]; HI3 = HI[3];
    }
    static void transpose16(float[] src, int from, int cs, float[] dst, int to, int lda) {
        FloatVector v0 = FloatVector.fromArray(S, src, from + 0 * cs);
        FloatVector v1 = FloatVector.fromArray(S, src, from + 1 * cs);
        FloatVector v2 = FloatVector.fromArray(S, src, from + 2 * cs);
        FloatVector v3 = FloatVector.fromArray(S, src, from + 3 * cs);
        FloatVector v4 = FloatVector.fromArray(S, src, from + 4 * cs);
        FloatVector v5 = FloatVector.fromArray(S, src, from + 5 * cs);
        FloatVector v6 = FloatVector.fromArray(S, src, from + 6 * cs);
        FloatVector v7 = FloatVector.fromArray(S, src, from + 7 * cs);
        FloatVector v8 = FloatVector.fromArray(S, src, from + 8 * cs);
        FloatVector v9 = FloatVector.fromArray(S, src, from + 9 * cs);
        FloatVector v10 = FloatVector.fromArray(S, src, from + 10 * cs);
        FloatVector v11 = FloatVector.fromArray(S, src, from + 11 * cs);
        FloatVector v12 = FloatVector.fromArray(S, src, from + 12 * cs);
        FloatVector v13 = FloatVector.fromArray(S, src, from + 13 * cs);
        FloatVector v14 = FloatVector.fromArray(S, src, from + 14 * cs);
        FloatVector v15 = FloatVector.fromArray(S, src, from + 15 * cs);
        FloatVector s0_0 = LO0.selectFrom(v0, v8), s0_8 = HI0.selectFrom(v0, v8);
        FloatVector s0_1 = LO0.selectFrom(v1, v9), s0_9 = HI0.selectFrom(v1, v9);
        FloatVector s0_2 = LO0.selectFrom(v2, v10), s0_10 = HI0.selectFrom(v2, v10);
        FloatVector s0_3 = LO0.selectFrom(v3, v11), s0_11 = HI0.selectFrom(v3, v11);
        FloatVector s0_4 = LO0.selectFrom(v4, v12), s0_12 = HI0.selectFrom(v4, v12);
        FloatVector s0_5 = LO0.selectFrom(v5, v13), s0_13 = HI0.selectFrom(v5, v13);
        FloatVector s0_6 = LO0.selectFrom(v6, v14), s0_14 = HI0.selectFrom(v6, v14);
        FloatVector s0_7 = LO0.selectFrom(v7, v15), s0_15 = HI0.selectFrom(v7, v15);
        FloatVector s1_0 = LO1.selectFrom(s0_0, s0_4), s1_4 = HI1.selectFrom(s0_0, s0_4);
        FloatVector s1_1 = LO1.selectFrom(s0_1, s0_5), s1_5 = HI1.selectFrom(s0_1, s0_5);
        FloatVector s1_2 = LO1.selectFrom(s0_2, s0_6), s1_6 = HI1.selectFrom(s0_2, s0_6);
        FloatVector s1_3 = LO1.selectFrom(s0_3, s0_7), s1_7 = HI1.selectFrom(s0_3, s0_7);
        FloatVector s1_8 = LO1.selectFrom(s0_8, s0_12), s1_12 = HI1.selectFrom(s0_8, s0_12);
        FloatVector s1_9 = LO1.selectFrom(s0_9, s0_13), s1_13 = HI1.selectFrom(s0_9, s0_13);
        FloatVector s1_10 = LO1.selectFrom(s0_10, s0_14), s1_14 = HI1.selectFrom(s0_10, s0_14);
        FloatVector s1_11 = LO1.selectFrom(s0_11, s0_15), s1_15 = HI1.selectFrom(s0_11, s0_15);
        FloatVector s2_0 = LO2.selectFrom(s1_0, s1_2), s2_2 = HI2.selectFrom(s1_0, s1_2);
        FloatVector s2_1 = LO2.selectFrom(s1_1, s1_3), s2_3 = HI2.selectFrom(s1_1, s1_3);
        FloatVector s2_4 = LO2.selectFrom(s1_4, s1_6), s2_6 = HI2.selectFrom(s1_4, s1_6);
        FloatVector s2_5 = LO2.selectFrom(s1_5, s1_7), s2_7 = HI2.selectFrom(s1_5, s1_7);
        FloatVector s2_8 = LO2.selectFrom(s1_8, s1_10), s2_10 = HI2.selectFrom(s1_8, s1_10);
        FloatVector s2_9 = LO2.selectFrom(s1_9, s1_11), s2_11 = HI2.selectFrom(s1_9, s1_11);
        FloatVector s2_12 = LO2.selectFrom(s1_12, s1_14), s2_14 = HI2.selectFrom(s1_12, s1_14);
        FloatVector s2_13 = LO2.selectFrom(s1_13, s1_15), s2_15 = HI2.selectFrom(s1_13, s1_15);
        FloatVector s3_0 = LO3.selectFrom(s2_0, s2_1), s3_1 = HI3.selectFrom(s2_0, s2_1);
        FloatVector s3_2 = LO3.selectFrom(s2_2, s2_3), s3_3 = HI3.selectFrom(s2_2, s2_3);
        FloatVector s3_4 = LO3.selectFrom(s2_4, s2_5), s3_5 = HI3.selectFrom(s2_4, s2_5);
        FloatVector s3_6 = LO3.selectFrom(s2_6, s2_7), s3_7 = HI3.selectFrom(s2_6, s2_7);
        FloatVector s3_8 = LO3.selectFrom(s2_8, s2_9), s3_9 = HI3.selectFrom(s2_8, s2_9);
        FloatVector s3_10 = LO3.selectFrom(s2_10, s2_11), s3_11 = HI3.selectFrom(s2_10, s2_11);
        FloatVector s3_12 = LO3.selectFrom(s2_12, s2_13), s3_13 = HI3.selectFrom(s2_12, s2_13);
        FloatVector s3_14 = LO3.selectFrom(s2_14, s2_15), s3_15 = HI3.selectFrom(s2_14, s2_15);
        s3_0.intoArray(dst, to + 0 * lda);
        s3_1.intoArray(dst, to + 1 * lda);
        s3_2.intoArray(dst, to + 2 * lda);
        s3_3.intoArray(dst, to + 3 * lda);
        s3_4.intoArray(dst, to + 4 * lda);
        s3_5.intoArray(dst, to + 5 * lda);
        s3_6.intoArray(dst, to + 6 * lda);
        s3_7.intoArray(dst, to + 7 * lda);
        s3_8.intoArray(dst, to + 8 * lda);
        s3_9.intoArray(dst, to + 9 * lda);
        s3_10.intoArray(dst, to + 10 * lda);
        s3_11.intoArray(dst, to + 11 * lda);
        s3_12.intoArray(dst, to + 12 * lda);
        s3_13.intoArray(dst, to + 13 * lda);
        s3_14.intoArray(dst, to + 14 * lda);
        s3_15.intoArray(dst, to + 15 * lda);
    }


    /** 16 x 16 blocks transposed in registers; the rest as GemmPacking does. */
    static void packT(GemmOperand a, int item, int m, int i0, int rows, int panels, int p0, int kc, float[] dst, int d, int lda) {
        float[] src = a.data();
        int height = Math.max(0, Math.min(panels * rows, m - i0));
        int cs = a.colStride();
        int h16 = height & ~15, k16 = kc & ~15;
        FloatVector[] v = new FloatVector[16];
        for (int r0 = 0; r0 < h16; r0 += 16) {
            for (int p = 0; p < k16; p += 16) {
                transpose16(src, a.at(item, i0 + r0, p0 + p), cs, dst, d + r0 * lda + p, lda);
            }
            for (int p = k16; p < kc; p++) {
                int from = a.at(item, i0 + r0, p0 + p);
                for (int r = 0; r < 16; r++) dst[d + (r0 + r) * lda + p] = src[from + r];
            }
        }
        for (int p = 0; p < kc; p++) {
            int from = a.at(item, i0, p0 + p);
            for (int r = h16; r < height; r++) dst[d + r * lda + p] = src[from + r];
        }
        for (int r = height; r < panels * rows; r++) Arrays.fill(dst, d + r * lda, d + r * lda + kc, 0f);
    }

    static final jdk.incubator.vector.VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    static FloatVector bf8(int bit, boolean high) {
        float[] index = new float[8];
        for (int lane = 0; lane < 8; lane++) { boolean fromY = (lane & bit) != 0; index[lane] = high ? (fromY ? 8 + lane : lane + bit) : (fromY ? 8 + lane - bit : lane); }
        return FloatVector.fromArray(S8, index, 0);
    }
    static final FloatVector L4 = bf8(4, false), H4 = bf8(4, true), L2 = bf8(2, false), H2 = bf8(2, true), L1 = bf8(1, false), H1 = bf8(1, true);
    static void transpose8(float[] src, int from, int cs, float[] dst, int to, int lda) {
        FloatVector v0 = FloatVector.fromArray(S8, src, from + 0 * cs);
        FloatVector v1 = FloatVector.fromArray(S8, src, from + 1 * cs);
        FloatVector v2 = FloatVector.fromArray(S8, src, from + 2 * cs);
        FloatVector v3 = FloatVector.fromArray(S8, src, from + 3 * cs);
        FloatVector v4 = FloatVector.fromArray(S8, src, from + 4 * cs);
        FloatVector v5 = FloatVector.fromArray(S8, src, from + 5 * cs);
        FloatVector v6 = FloatVector.fromArray(S8, src, from + 6 * cs);
        FloatVector v7 = FloatVector.fromArray(S8, src, from + 7 * cs);
        FloatVector a0 = L4.selectFrom(v0, v4), a4 = H4.selectFrom(v0, v4);
        FloatVector a1 = L4.selectFrom(v1, v5), a5 = H4.selectFrom(v1, v5);
        FloatVector a2 = L4.selectFrom(v2, v6), a6 = H4.selectFrom(v2, v6);
        FloatVector a3 = L4.selectFrom(v3, v7), a7 = H4.selectFrom(v3, v7);
        FloatVector b0 = L2.selectFrom(a0, a2), b2 = H2.selectFrom(a0, a2);
        FloatVector b1 = L2.selectFrom(a1, a3), b3 = H2.selectFrom(a1, a3);
        FloatVector b4 = L2.selectFrom(a4, a6), b6 = H2.selectFrom(a4, a6);
        FloatVector b5 = L2.selectFrom(a5, a7), b7 = H2.selectFrom(a5, a7);
        FloatVector c0 = L1.selectFrom(b0, b1), c1 = H1.selectFrom(b0, b1);
        FloatVector c2 = L1.selectFrom(b2, b3), c3 = H1.selectFrom(b2, b3);
        FloatVector c4 = L1.selectFrom(b4, b5), c5 = H1.selectFrom(b4, b5);
        FloatVector c6 = L1.selectFrom(b6, b7), c7 = H1.selectFrom(b6, b7);
        c0.intoArray(dst, to + 0 * lda);
        c1.intoArray(dst, to + 1 * lda);
        c2.intoArray(dst, to + 2 * lda);
        c3.intoArray(dst, to + 3 * lda);
        c4.intoArray(dst, to + 4 * lda);
        c5.intoArray(dst, to + 5 * lda);
        c6.intoArray(dst, to + 6 * lda);
        c7.intoArray(dst, to + 7 * lda);
    }
    static void pack8(GemmOperand a, int item, int m, int i0, int rows, int panels, int p0, int kc, float[] dst, int d, int lda) {
        float[] src = a.data();
        int height = Math.max(0, Math.min(panels * rows, m - i0));
        int cs = a.colStride();
        int h8 = height & ~7, k8 = kc & ~7;
        for (int r0 = 0; r0 < h8; r0 += 8) {
            for (int p = 0; p < k8; p += 8) transpose8(src, a.at(item, i0 + r0, p0 + p), cs, dst, d + r0 * lda + p, lda);
            for (int p = k8; p < kc; p++) { int from = a.at(item, i0 + r0, p0 + p); for (int r = 0; r < 8; r++) dst[d + (r0 + r) * lda + p] = src[from + r]; }
        }
        for (int p = 0; p < kc; p++) { int from = a.at(item, i0, p0 + p); for (int r = h8; r < height; r++) dst[d + r * lda + p] = src[from + r]; }
        for (int r = height; r < panels * rows; r++) Arrays.fill(dst, d + r * lda, d + r * lda + kc, 0f);
    }

    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), kc = Integer.parseInt(args[2]);
        Random rnd = new Random(1);
        float[] dy = new float[k * m];   // dY [k, m] row-major: op(A) = dY^T column-major
        for (int i = 0; i < dy.length; i++) dy[i] = (float) rnd.nextGaussian();
        GemmOperand a = new GemmOperand(dy, 0, 0, 1, m);
        int mr = 6, panels = (m + mr - 1) / mr;
        int lda = GemmPacking.packedARowStride(kc);
        float[] d1 = new float[panels * mr * lda], d2 = new float[panels * mr * lda];
        for (int p0 = 0; p0 + kc <= k; p0 += kc) {
            GemmPacking.packA(a, 0, m, 0, mr, panels, p0, kc, d1, 0, lda);
            packT(a, 0, m, 0, mr, panels, p0, kc, d2, 0, lda);
            if (!Arrays.equals(d1, d2)) throw new AssertionError("differ at p0 " + p0);
            pack8(a, 0, m, 0, mr, panels, p0, kc, d2, 0, lda);
            if (!Arrays.equals(d1, d2)) throw new AssertionError("pack8 differs at p0 " + p0);
        }
        for (int round = 0; round < 8; round++) {
            for (int impl = 0; impl < 4; impl++) {
                long t0 = System.nanoTime(); int passes = 0;
                for (int rep = 0; rep < 20; rep++)
                    for (int p0 = 0; p0 + kc <= k; p0 += kc, passes++) {
                        if (impl == 0) GemmPacking.packA(a, 0, m, 0, mr, panels, p0, kc, d1, 0, lda);
                        else if (impl == 1) packT(a, 0, m, 0, mr, panels, p0, kc, d2, 0, lda);
                        else if (impl == 3) pack8(a, 0, m, 0, mr, panels, p0, kc, d2, 0, lda);
                        else System.arraycopy(dy, p0 * m, d2, 0, kc * m);
                    }
                long t = System.nanoTime() - t0;
                System.out.printf(Locale.ROOT, "%s %.1f us/pass (%.2f ns/float)%s", impl == 0 ? "scalar" : impl == 1 ? "  transpose16" : impl == 2 ? "  plain copy" : "  transpose8", t / 1e3 / passes, (double) t / passes / ((double) m * kc), impl == 3 ? "\n" : "");
            }
        }
    }
}

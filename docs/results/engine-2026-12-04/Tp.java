package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import java.util.*;

public class Tp {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final FloatVector[] LO = new FloatVector[4], HI = new FloatVector[4];
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
                int from = a.at(item, i0 + r0, p0 + p);
                for (int s = 0; s < 16; s++) v[s] = FloatVector.fromArray(S, src, from + s * cs);
                for (int st = 0; st < 4; st++) {
                    int b = 8 >> st;
                    for (int j = 0; j < 16; j++) {
                        if ((j & b) != 0) continue;
                        FloatVector x = v[j], y = v[j + b];
                        v[j] = LO[st].selectFrom(x, y);
                        v[j + b] = HI[st].selectFrom(x, y);
                    }
                }
                for (int r = 0; r < 16; r++) v[r].intoArray(dst, d + (r0 + r) * lda + p);
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
        }
        for (int round = 0; round < 8; round++) {
            for (int impl = 0; impl < 2; impl++) {
                long t0 = System.nanoTime(); int passes = 0;
                for (int rep = 0; rep < 20; rep++)
                    for (int p0 = 0; p0 + kc <= k; p0 += kc, passes++) {
                        if (impl == 0) GemmPacking.packA(a, 0, m, 0, mr, panels, p0, kc, d1, 0, lda);
                        else packT(a, 0, m, 0, mr, panels, p0, kc, d2, 0, lda);
                    }
                long t = System.nanoTime() - t0;
                System.out.printf(Locale.ROOT, "%s %.1f us/pass (%.2f ns/float)%s", impl == 0 ? "scalar" : "  transpose16", t / 1e3 / passes, (double) t / passes / ((double) m * kc), impl == 1 ? "\n" : "");
            }
        }
    }
}

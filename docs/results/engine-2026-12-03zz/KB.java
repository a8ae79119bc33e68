import jdk.incubator.vector.*;
public class KB {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int L = 16;
    // exact copy: 6 rows x 4 vectors, A row-major packed (6 rows, stride lda), 6 broadcasts a step
    static void k64(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(S);
        int a0 = ai, a1 = ai + lda, a2 = ai + 2 * lda, a3 = ai + 3 * lda, a4 = ai + 4 * lda, a5 = ai + 5 * lda;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * 64;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42); c43 = av.fma(b3, c43);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52); c53 = av.fma(b3, c53);
        }
        FloatVector s = c00.add(c01).add(c02).add(c03).add(c10).add(c11).add(c12).add(c13).add(c20).add(c21).add(c22).add(c23)
            .add(c30).add(c31).add(c32).add(c33).add(c40).add(c41).add(c42).add(c43).add(c50).add(c51).add(c52).add(c53);
        s.intoArray(c, 0);
    }
    // A packed step-major: the 6 rows of a step side by side (a[ai + 6p + r])
    static void k64s(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * 64;
            int ap = ai + p * 6;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, a[ap + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, a[ap + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, a[ap + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(S, a[ap + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42); c43 = av.fma(b3, c43);
            av = FloatVector.broadcast(S, a[ap + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52); c53 = av.fma(b3, c53);
        }
        FloatVector s = c00.add(c01).add(c02).add(c03).add(c10).add(c11).add(c12).add(c13).add(c20).add(c21).add(c22).add(c23)
            .add(c30).add(c31).add(c32).add(c33).add(c40).add(c41).add(c42).add(c43).add(c50).add(c51).add(c52).add(c53);
        s.intoArray(c, 0);
    }
    // no broadcasts in the loop: same 24 fmas and 4 loads, A values fixed (throughput probe only)
    static void k64nb(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(S);
        FloatVector x0 = FloatVector.broadcast(S, a[ai]), x1 = FloatVector.broadcast(S, a[ai+1]);
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * 64;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
            c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11); c12 = x1.fma(b2, c12); c13 = x1.fma(b3, c13);
            c20 = x0.fma(b0, c20); c21 = x0.fma(b1, c21); c22 = x0.fma(b2, c22); c23 = x0.fma(b3, c23);
            c30 = x1.fma(b0, c30); c31 = x1.fma(b1, c31); c32 = x1.fma(b2, c32); c33 = x1.fma(b3, c33);
            c40 = x0.fma(b0, c40); c41 = x0.fma(b1, c41); c42 = x0.fma(b2, c42); c43 = x0.fma(b3, c43);
            c50 = x1.fma(b0, c50); c51 = x1.fma(b1, c51); c52 = x1.fma(b2, c52); c53 = x1.fma(b3, c53);
        }
        FloatVector s = c00.add(c01).add(c02).add(c03).add(c10).add(c11).add(c12).add(c13).add(c20).add(c21).add(c22).add(c23)
            .add(c30).add(c31).add(c32).add(c33).add(c40).add(c41).add(c42).add(c43).add(c50).add(c51).add(c52).add(c53);
        s.intoArray(c, 0);
    }
    // no broadcasts in the loop: same 24 fmas and 4 loads, A values fixed (throughput probe only)
    static void k64pk(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.broadcast(S, b[bi]), b1 = FloatVector.broadcast(S, b[bi+1]), b2 = FloatVector.broadcast(S, b[bi+2]), b3 = FloatVector.broadcast(S, b[bi+3]);
        FloatVector x0 = FloatVector.broadcast(S, a[ai]), x1 = FloatVector.broadcast(S, a[ai+1]);
        for (int p = 0; p < kc; p++) {
            c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
            c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11); c12 = x1.fma(b2, c12); c13 = x1.fma(b3, c13);
            c20 = x0.fma(b0, c20); c21 = x0.fma(b1, c21); c22 = x0.fma(b2, c22); c23 = x0.fma(b3, c23);
            c30 = x1.fma(b0, c30); c31 = x1.fma(b1, c31); c32 = x1.fma(b2, c32); c33 = x1.fma(b3, c33);
            c40 = x0.fma(b0, c40); c41 = x0.fma(b1, c41); c42 = x0.fma(b2, c42); c43 = x0.fma(b3, c43);
            c50 = x1.fma(b0, c50); c51 = x1.fma(b1, c51); c52 = x1.fma(b2, c52); c53 = x1.fma(b3, c53);
        }
        FloatVector s = c00.add(c01).add(c02).add(c03).add(c10).add(c11).add(c12).add(c13).add(c20).add(c21).add(c22).add(c23)
            .add(c30).add(c31).add(c32).add(c33).add(c40).add(c41).add(c42).add(c43).add(c50).add(c51).add(c52).add(c53);
        s.intoArray(c, 0);
    }
    public static void main(String[] args) {
        int kc = Integer.parseInt(args[0]);
        float[] a = new float[6 * kc + 64], b = new float[kc * 64 + 64], c = new float[16];
        for (int i = 0; i < a.length; i++) a[i] = 1e-3f * (i % 7);
        for (int i = 0; i < b.length; i++) b[i] = 1e-3f * (i % 5);
        String[] names = {"k64", "k64s", "k64nb", "peak"};
        for (int round = 0; round < 8; round++) {
            StringBuilder sb = new StringBuilder("round " + round + ":");
            for (int v = 0; v < 4; v++) {
                long t0 = System.nanoTime(); long calls = 0;
                while (System.nanoTime() - t0 < 300_000_000L) {
                    for (int i = 0; i < 100; i++) {
                        if (v == 0) k64(kc, a, 0, kc, b, 0, c); else if (v == 1) k64s(kc, a, 0, kc, b, 0, c); else if (v == 2) k64nb(kc, a, 0, kc, b, 0, c); else k64pk(kc, a, 0, kc, b, 0, c);
                    }
                    calls += 100;
                }
                double gf = calls * 2.0 * 6 * 64 * kc / (System.nanoTime() - t0);
                sb.append(String.format("  %s %.1f", names[v], gf));
            }
            System.out.println(sb);
        }
    }
}

package dev.mp3.tensor.cpu;

import jdk.incubator.vector.*;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/** 6x48 kernel reading A step-major in place (A[r,p] = a[ai + p*lda + r]) against the committed kernel, in cache. */
public class KStep {
    static void stepMajor(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L); c02 = FloatVector.fromArray(S, c, ci + 2 * L);
            c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L); c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * ldc); c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * ldc); c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * ldc); c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L); c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * ldc); c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L); c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = FloatVector.zero(S);
        }
        int mode = MODE;
        if (mode == 0) {
        for (int p = 0; p < kc; p++) {
            int ap = ai + p * lda;
            int bp = bi + p * (3 * L);
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[ap + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[ap + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[ap + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[ap + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[ap + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
        }
        } else {
        int g = GAP;
        int a0 = ai, a1 = ai + g, a2 = ai + 2 * g, a3 = ai + 3 * g, a4 = ai + 4 * g, a5 = ai + 5 * g;
        for (int p = 0; p < kc; p++) {
            int ap = p * lda;
            int bp = bi + p * (3 * L);
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + ap]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[a4 + ap]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[a5 + ap]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
        }
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L);
        c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L);
    }
    static void both(int kc, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L); c02 = FloatVector.fromArray(S, c, ci + 2 * L);
            c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L); c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * ldc); c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * ldc); c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * ldc); c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L); c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * ldc); c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L); c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int ap = ai + p * lda;
            int bp = bi + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[ap + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[ap + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[ap + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[ap + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[ap + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L);
        c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L);
    }
    static int MODE = Integer.getInteger("mode", 0);
    static int GAP = Integer.getInteger("gap", 1);

    public static void main(String[] args) {
        int kc = Integer.parseInt(args[0]);
        int lda = Integer.parseInt(args[1]);
        MicroKernel k = MicroKernel.ROWS6_VEC3;
        int mr = 6, nr = 48;
        int ldaRow = GemmPacking.packedARowStride(kc);
        float[] a = new float[mr * ldaRow], as = new float[kc * lda + 16], b = new float[kc * nr], c = new float[mr * nr], c2 = new float[mr * nr];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < mr; i++) for (int p = 0; p < kc; p++) { float v = (float) (r.nextDouble() * 1e-3); a[i * ldaRow + p] = v; as[p * lda + i] = v; }
        for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() * 1e-3);
        k.run(kc, a, 0, ldaRow, b, 0, c, 0, nr, false);
        stepMajor(kc, as, 0, lda, b, 0, c2, 0, nr, false);
        System.out.println("same bits: " + java.util.Arrays.equals(c, c2));
        for (int round = 0; round < 10; round++) {
            long t0 = System.nanoTime(); long calls = 0;
            while (System.nanoTime() - t0 < 200_000_000L) { for (int i = 0; i < 100; i++) k.run(kc, a, 0, ldaRow, b, 0, c, 0, nr, true); calls += 100; }
            double kr = 2.0 * mr * nr * kc * calls / (System.nanoTime() - t0);
            t0 = System.nanoTime(); calls = 0;
            while (System.nanoTime() - t0 < 200_000_000L) { for (int i = 0; i < 100; i++) stepMajor(kc, as, 0, lda, b, 0, c2, 0, nr, true); calls += 100; }
            double sr = 2.0 * mr * nr * kc * calls / (System.nanoTime() - t0);
            System.out.printf("kc %d lda %d rowMajor %.1f stepMajor %.1f GFLOP/s  ratio %.3f%n", kc, lda, kr, sr, sr / kr);
        }
    }
}

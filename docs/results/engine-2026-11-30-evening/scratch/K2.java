package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

final class K2 {
    /** A packed: 6 floats per k step (the tile's column of A), B packed: 48 floats per k step. */
    static void packed(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52;
        c00 = FloatVector.fromArray(S, c, ci);
        c01 = FloatVector.fromArray(S, c, ci + L);
        c02 = FloatVector.fromArray(S, c, ci + 2 * L);
        c10 = FloatVector.fromArray(S, c, ci + ldc);
        c11 = FloatVector.fromArray(S, c, ci + ldc + L);
        c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
        c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
        c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
        c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
        c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
        c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
        c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
        c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
        c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
        c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
        c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
        c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
        c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
        for (int p = 0; p < kc; p++) {
            int ia = ai + 6 * p;
            int ib = bi + 48 * p;
            FloatVector b0 = FloatVector.fromArray(S, b, ib);
            FloatVector b1 = FloatVector.fromArray(S, b, ib + 16);
            FloatVector b2 = FloatVector.fromArray(S, b, ib + 32);
            FloatVector av = FloatVector.broadcast(S, a[ia]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[ia + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[ia + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[ia + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[ia + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[ia + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L);
        c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L);
    }

    /** A in place, row stride rs, k step 1 (row-major A), explicit in iv. */
    static void inPlace(int kc, float[] a, int ai, int rs, float[] b, int bi, float[] c, int ci, int ldc) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52;
        c00 = FloatVector.fromArray(S, c, ci);
        c01 = FloatVector.fromArray(S, c, ci + L);
        c02 = FloatVector.fromArray(S, c, ci + 2 * L);
        c10 = FloatVector.fromArray(S, c, ci + ldc);
        c11 = FloatVector.fromArray(S, c, ci + ldc + L);
        c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
        c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
        c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
        c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
        c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
        c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
        c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
        c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
        c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
        c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
        c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
        c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
        c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
        int a0 = ai, a1 = ai + rs, a2 = ai + 2 * rs, a3 = ai + 3 * rs, a4 = ai + 4 * rs, a5 = ai + 5 * rs;
        for (int p = 0; p < kc; p++) {
            int ib = bi + 48 * p;
            FloatVector b0 = FloatVector.fromArray(S, b, ib);
            FloatVector b1 = FloatVector.fromArray(S, b, ib + 16);
            FloatVector b2 = FloatVector.fromArray(S, b, ib + 32);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L);
        c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L);
    }
}

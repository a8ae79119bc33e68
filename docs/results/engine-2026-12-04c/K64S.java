package dev.mp3.tensor.cpu;
import jdk.incubator.vector.*;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
/** The 6 x 64 loop of MicroKernel.ROWS6_VEC4.rowMajorA with B's steps ldb apart (B read from a copy of its rows, not a packed panel). */
final class K64S {
static void run(int kc, float[] a, int ai, int aRowStride, float[] b, int bi, int ldb,
                       float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
            if (accumulate) {
                c00 = FloatVector.fromArray(S, c, ci);
                c01 = FloatVector.fromArray(S, c, ci + L);
                c02 = FloatVector.fromArray(S, c, ci + 2 * L);
                c03 = FloatVector.fromArray(S, c, ci + 3 * L);
                c10 = FloatVector.fromArray(S, c, ci + ldc);
                c11 = FloatVector.fromArray(S, c, ci + ldc + L);
                c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
                c13 = FloatVector.fromArray(S, c, ci + ldc + 3 * L);
                c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
                c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
                c23 = FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * L);
                c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
                c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
                c33 = FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * L);
                c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
                c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
                c43 = FloatVector.fromArray(S, c, ci + 4 * ldc + 3 * L);
                c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
                c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
                c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
                c53 = FloatVector.fromArray(S, c, ci + 5 * ldc + 3 * L);
            } else {
                c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                int bp = bi + p * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
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
            c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L); c03.intoArray(c, ci + 3 * L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L); c13.intoArray(c, ci + ldc + 3 * L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L); c23.intoArray(c, ci + 2 * ldc + 3 * L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L); c33.intoArray(c, ci + 3 * ldc + 3 * L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L); c43.intoArray(c, ci + 4 * ldc + 3 * L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L); c53.intoArray(c, ci + 5 * ldc + 3 * L);
        }
}

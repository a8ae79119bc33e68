package dev.mp3.tensor.cpu;
import jdk.incubator.vector.FloatVector;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
/** In-cache rate of a 6 x 64 tile (24 accumulators) against the 6 x 48 and 6 x 32 kernels. */
public class K64 {
    static void run64(int kc, float[] a, int ai, int aRowStride, float[] b, int bi, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, ci + 0 * ldc + 0 * L);
            c01 = FloatVector.fromArray(S, c, ci + 0 * ldc + 1 * L);
            c02 = FloatVector.fromArray(S, c, ci + 0 * ldc + 2 * L);
            c03 = FloatVector.fromArray(S, c, ci + 0 * ldc + 3 * L);
            c10 = FloatVector.fromArray(S, c, ci + 1 * ldc + 0 * L);
            c11 = FloatVector.fromArray(S, c, ci + 1 * ldc + 1 * L);
            c12 = FloatVector.fromArray(S, c, ci + 1 * ldc + 2 * L);
            c13 = FloatVector.fromArray(S, c, ci + 1 * ldc + 3 * L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * ldc + 0 * L);
            c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + 1 * L);
            c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
            c23 = FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * ldc + 0 * L);
            c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + 1 * L);
            c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
            c33 = FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * ldc + 0 * L);
            c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + 1 * L);
            c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
            c43 = FloatVector.fromArray(S, c, ci + 4 * ldc + 3 * L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * ldc + 0 * L);
            c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + 1 * L);
            c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
            c53 = FloatVector.fromArray(S, c, ci + 5 * ldc + 3 * L);
        } else {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(S);
        }
            for (int p = 0; p < kc; p++) {
                int bp = bi + p * (4 * L);
                FloatVector b0 = FloatVector.fromArray(S, b, bp + 0 * L);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector a0v = FloatVector.broadcast(S, a[ai + 0 * aRowStride + p]);
                c00 = a0v.fma(b0, c00); c01 = a0v.fma(b1, c01); c02 = a0v.fma(b2, c02); c03 = a0v.fma(b3, c03);
                FloatVector a1v = FloatVector.broadcast(S, a[ai + 1 * aRowStride + p]);
                c10 = a1v.fma(b0, c10); c11 = a1v.fma(b1, c11); c12 = a1v.fma(b2, c12); c13 = a1v.fma(b3, c13);
                FloatVector a2v = FloatVector.broadcast(S, a[ai + 2 * aRowStride + p]);
                c20 = a2v.fma(b0, c20); c21 = a2v.fma(b1, c21); c22 = a2v.fma(b2, c22); c23 = a2v.fma(b3, c23);
                FloatVector a3v = FloatVector.broadcast(S, a[ai + 3 * aRowStride + p]);
                c30 = a3v.fma(b0, c30); c31 = a3v.fma(b1, c31); c32 = a3v.fma(b2, c32); c33 = a3v.fma(b3, c33);
                FloatVector a4v = FloatVector.broadcast(S, a[ai + 4 * aRowStride + p]);
                c40 = a4v.fma(b0, c40); c41 = a4v.fma(b1, c41); c42 = a4v.fma(b2, c42); c43 = a4v.fma(b3, c43);
                FloatVector a5v = FloatVector.broadcast(S, a[ai + 5 * aRowStride + p]);
                c50 = a5v.fma(b0, c50); c51 = a5v.fma(b1, c51); c52 = a5v.fma(b2, c52); c53 = a5v.fma(b3, c53);
            }
        c00.intoArray(c, ci + 0 * ldc + 0 * L);
        c01.intoArray(c, ci + 0 * ldc + 1 * L);
        c02.intoArray(c, ci + 0 * ldc + 2 * L);
        c03.intoArray(c, ci + 0 * ldc + 3 * L);
        c10.intoArray(c, ci + 1 * ldc + 0 * L);
        c11.intoArray(c, ci + 1 * ldc + 1 * L);
        c12.intoArray(c, ci + 1 * ldc + 2 * L);
        c13.intoArray(c, ci + 1 * ldc + 3 * L);
        c20.intoArray(c, ci + 2 * ldc + 0 * L);
        c21.intoArray(c, ci + 2 * ldc + 1 * L);
        c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c23.intoArray(c, ci + 2 * ldc + 3 * L);
        c30.intoArray(c, ci + 3 * ldc + 0 * L);
        c31.intoArray(c, ci + 3 * ldc + 1 * L);
        c32.intoArray(c, ci + 3 * ldc + 2 * L);
        c33.intoArray(c, ci + 3 * ldc + 3 * L);
        c40.intoArray(c, ci + 4 * ldc + 0 * L);
        c41.intoArray(c, ci + 4 * ldc + 1 * L);
        c42.intoArray(c, ci + 4 * ldc + 2 * L);
        c43.intoArray(c, ci + 4 * ldc + 3 * L);
        c50.intoArray(c, ci + 5 * ldc + 0 * L);
        c51.intoArray(c, ci + 5 * ldc + 1 * L);
        c52.intoArray(c, ci + 5 * ldc + 2 * L);
        c53.intoArray(c, ci + 5 * ldc + 3 * L);
    }
    public static void main(String[] args) {
        int kc = 256;
        float[] a = new float[6 * kc], b = new float[kc * 64], c = new float[6 * 64];
        for (int i = 0; i < a.length; i++) a[i] = 0.001f * (i % 7);
        for (int i = 0; i < b.length; i++) b[i] = 0.001f * (i % 5);
        for (int rep = 0; rep < 4; rep++) {
            int calls = 200_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) run64(kc, a, 0, kc, b, 0, c, 0, 64, (i & 1) == 1);
            double ns = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) MicroKernel.ROWS6_VEC3.run(kc, a, 0, kc, 1, b, 0, c, 0, 64, (i & 1) == 1);
            double ns3 = System.nanoTime() - t1;
            long t2 = System.nanoTime();
            for (int i = 0; i < calls; i++) MicroKernel.ROWS6_VEC2.run(kc, a, 0, kc, 1, b, 0, c, 0, 64, (i & 1) == 1);
            double ns2 = System.nanoTime() - t2;
            if (rep >= 2) System.out.printf("6x64: %.1f GFLOP/s, 6x48: %.1f, 6x32: %.1f%n", 2.0 * 6 * 64 * kc * calls / ns, 2.0 * 6 * 48 * kc * calls / ns3, 2.0 * 6 * 32 * kc * calls / ns2);
        }
    }
}

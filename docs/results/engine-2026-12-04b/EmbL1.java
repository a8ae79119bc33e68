package dev.mp3.tensor.cpu;
import jdk.incubator.vector.*;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
public class EmbL1 {
static void k0(int kc, float[] a, int ai, int aRowStride, float[] b, int bi,
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
                int bp = bi + p * (4 * L);
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
static void k1(int kc, float[] a, int ai, int aRowStride, float[] b, int bi,
                       float[] c, int ci, int ldc, boolean accumulate, float[] src, int sAt, float[] dst, int dAt) {
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
                if ((p & 7) == 7) { FloatVector.fromArray(S, src, sAt).intoArray(dst, dAt); sAt += L; dAt += L; }
                int bp = bi + p * (4 * L);
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
  public static void main(String[] x) {
    int kc = 400, panels = 12, tiles = 32, lda = kc + 16;
    float[] a = new float[tiles*6*lda]; float[] b = new float[panels*kc*64+64]; float[] c = new float[tiles*6*panels*64];
    float[] src = new float[64 << 20]; for (int i=0;i<src.length;i+=512) src[i]=i;
    float[] dst = new float[384*800];
    java.util.Random r = new java.util.Random(1);
    for (int i=0;i<a.length;i++) a[i]=r.nextFloat(); for (int i=0;i<b.length;i++) b[i]=r.nextFloat();
    int ldc = panels*64; int perCall = kc/8*L; int sAt = 0;
    for (int round=0; round<10; round++) {
      double[] g = new double[3];
      for (int v=0; v<3; v++) {
        long t0=System.nanoTime(); long calls=0; long copied=0;
        while (System.nanoTime()-t0 < 250_000_000L) {
          for (int j=0;j<panels;j++) for (int t=0;t<tiles;t++) {
            if (v == 1) { k1(kc, a, t*6*lda, lda, b, j*kc*64, c, t*6*ldc + j*64, ldc, true, src, sAt, dst, (int)(calls % 4) * perCall); sAt += perCall; if (sAt + perCall > src.length) sAt = 0; copied += perCall; }
            else k0(kc, a, t*6*lda, lda, b, j*kc*64, c, t*6*ldc + j*64, ldc, true);
            calls++;
          }
          if (v == 2) { // the same copy as one pass after the calls
            for (int i=0;i<panels*tiles;i++) { for (int q=0;q<perCall;q+=L) FloatVector.fromArray(S, src, sAt+q).intoArray(dst, (i % 4)*perCall + q); sAt += perCall; if (sAt + perCall > src.length) sAt = 0; }
          }
        }
        g[v] = 2.0*kc*64*6*calls/((System.nanoTime()-t0)/1e9)/1e9;
      }
      System.out.printf("kernel alone %.1f GFLOP/s, copy inside (1 vector / 8 steps) %.1f (x%.3f), copy after the calls %.1f (x%.3f)%n", g[0], g[1], g[1]/g[0], g[2], g[2]/g[0]);
    }
  }
}

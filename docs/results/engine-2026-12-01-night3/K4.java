package dev.mp3.tensor.cpu;
import jdk.incubator.vector.FloatVector;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
// one thread: the 6x16 row-layout kernel against a 4x16 kernel reading A k-major (a[ai + p*4 + r]), same B panels, in cache
public class K4 {
  static void run4(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, boolean accumulate) {
    FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
    if (accumulate) {
      c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L);
      c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L);
      c20 = FloatVector.fromArray(S, c, ci + 2 * ldc); c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
      c30 = FloatVector.fromArray(S, c, ci + 3 * ldc); c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
    } else {
      c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
    }
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * (2 * L);
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      int ap = ai + p * 4;
      FloatVector av = FloatVector.broadcast(S, a[ap]);
      c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + 1]);
      c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 2]);
      c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 3]);
      c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
    }
    c00.intoArray(c, ci); c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
    c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
  }
  public static void main(String[] args) {
    int kc = 256, panels = 8, rows = 24; // 24 rows: 4 tiles of 6 or 6 of 4
    int lda = GemmPacking.packedARowStride(kc);
    float[] a6 = new float[rows * lda], a4 = new float[rows * kc], b = new float[panels * kc * 16], c = new float[rows * panels * 16];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < a6.length; i++) a6[i] = r.nextFloat();
    for (int i = 0; i < a4.length; i++) a4[i] = r.nextFloat();
    for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
    int ldc = panels * 16;
    double flops = 2.0 * rows * kc * panels * 16;
    for (int round = 0; round < 12; round++) {
      double[] g = new double[2];
      for (int v = 0; v < 2; v++) {
        long t0 = System.nanoTime(); long n = 0;
        while (System.nanoTime() - t0 < 200_000_000L) {
          if (v == 0) {
            for (int t = 0; t < rows / 6; t++) for (int j = 0; j < panels; j++)
              MicroKernel.ROWS6_VEC2.run(kc, a6, t * 6 * lda, lda, b, j * kc * 16, c, t * 6 * ldc + j * 16, ldc, true);
          } else {
            for (int t = 0; t < rows / 4; t++) for (int j = 0; j < panels; j++)
              run4(kc, a4, t * 4 * kc, b, j * kc * 16, c, t * 4 * ldc + j * 16, ldc, true);
          }
          n++;
        }
        g[v] = n * flops / (System.nanoTime() - t0);
      }
      if (round >= 4) System.out.printf("6x16 row layout %.1f GFLOP/s   4x16 k-major %.1f   ratio %.2f%n", g[0], g[1], g[1] / g[0]);
    }
  }
}

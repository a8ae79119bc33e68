package dev.mp3.tensor.cpu;
import jdk.incubator.vector.FloatVector;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
public class K2 {
  // P2: secondary induction variables
  static void p2(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
    FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L);
    c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L);
    c20 = FloatVector.fromArray(S, c, ci + 2 * ldc); c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
    c30 = FloatVector.fromArray(S, c, ci + 3 * ldc); c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
    c40 = FloatVector.fromArray(S, c, ci + 4 * ldc); c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
    c50 = FloatVector.fromArray(S, c, ci + 5 * ldc); c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
    int end = ai + 6 * kc;
    for (int ap = ai, bp = bi; ap < end; ap += 6, bp += 2 * L) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector av = FloatVector.broadcast(S, a[ap]);
      c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + 1]);
      c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 2]);
      c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 3]);
      c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ap + 4]);
      c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ap + 5]);
      c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, ci); c01.intoArray(c, ci + L); c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
    c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
  }
  // P3: run-style: six bases, A step-major with stride 6 -> each row r base ai+r, index p*6 : same as packed but bases hoisted
  static void p3(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
    FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L);
    c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L);
    c20 = FloatVector.fromArray(S, c, ci + 2 * ldc); c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
    c30 = FloatVector.fromArray(S, c, ci + 3 * ldc); c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
    c40 = FloatVector.fromArray(S, c, ci + 4 * ldc); c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
    c50 = FloatVector.fromArray(S, c, ci + 5 * ldc); c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
    int a0 = ai, a1 = ai + 1, a2 = ai + 2, a3 = ai + 3, a4 = ai + 4, a5 = ai + 5;
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * (2 * L);
      int q = p * 6;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector av = FloatVector.broadcast(S, a[a0 + q]);
      c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[a1 + q]);
      c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[a2 + q]);
      c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[a3 + q]);
      c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[a4 + q]);
      c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[a5 + q]);
      c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, ci); c01.intoArray(c, ci + L); c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
    c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
  }
  // P4: A packed as 6 rows along k (row stride kc) = run form, hoisted bases
  public static void main(String[] args) {
    MicroKernel mk = MicroKernel.forThisMachine();
    int kc = 256, tiles = 19;
    float[] a = new float[tiles * 6 * kc], b = new float[kc * mk.cols], c = new float[tiles * 6 * mk.cols * 4];
    java.util.Arrays.fill(a, 0.001f); java.util.Arrays.fill(b, 0.001f);
    String[] names = {"run", "runPacked", "run-stride1", "run-stride6"};
    for (int round = 0; round < 4; round++) {
      for (int mode = 0; mode < 4; mode++) {
        long t0 = System.nanoTime(); long fl = 0;
        while (System.nanoTime() - t0 < 300_000_000L) {
          for (int t = 0; t < tiles; t++) {
            int ai = t * 6 * kc, ci = t * 6 * mk.cols;
            switch (mode) {
              case 0 -> mk.run(kc, a, ai, kc, b, 0, c, ci, mk.cols, true);
              case 1 -> mk.runPacked(kc, a, ai, b, 0, c, ci, mk.cols, true);
              case 2 -> mk.run(kc, a, ai, 1, b, 0, c, ci, mk.cols, true);
              default -> mk.run(kc, a, ai, 6, b, 0, c, ci, mk.cols, true);
            }
          }
          fl += 2L * tiles * 6 * mk.cols * kc;
        }
        if (round >= 2) System.out.printf("%-18s %.1f GFLOP/s%n", names[mode], fl / (double) (System.nanoTime() - t0));
      }
    }
  }
}

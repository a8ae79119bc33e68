package dev.mp3.tensor.cpu;
import jdk.incubator.vector.*;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
// packA column-major: current scalar vs gather; src = dY [K x M] row-major (A = dY^T, col-major, cs = M)
public class Pk {
  static void packGather(GemmOperand a, int m, int i0, int rows, int panels, int p0, int kc, float[] dst, int d, int lda, int[] map) {
    float[] src = a.data();
    int height = Math.max(0, Math.min(panels * rows, m - i0));
    int cs = a.colStride();
    int p = 0;
    for (; p + 8 <= kc; p += 8) {
      for (int r = 0, from = a.at(0, i0, p0 + p), to = d + p; r < height; r++, from++, to += lda) {
        FloatVector.fromArray(S, src, from, map, 0).intoArray(dst, to);
      }
    }
    for (; p < kc; p++) { int from = a.at(0, i0, p0 + p); for (int r = 0, to = d + p; r < height; r++, to += lda) dst[to] = src[from + r]; }
  }
  public static void main(String[] args) {
    int K = Integer.parseInt(args[2]), M = Integer.parseInt(args[0]); int mc = Integer.parseInt(args[1]); int kc = 256;
    float[] y = new float[K * M]; for (int i = 0; i < y.length; i++) y[i] = i;
    GemmOperand a = new GemmOperand(y, 0, 0, 1, M); // A[r][p] = y[p*M + r]
    int lda = GemmPacking.packedARowStride(kc);
    float[] d1 = new float[mc * lda], d2 = new float[mc * lda];
    int[] map = new int[8]; for (int i = 0; i < 8; i++) map[i] = i * M;
    // check same
    for (int i0 = 0; i0 + mc <= M; i0 += mc) for (int p0 = 0; p0 < K; p0 += kc) {
      GemmPacking.packA(a, 0, M, i0, 6, mc / 6, p0, Math.min(kc, K - p0), d1, 0, lda);
      packGather(a, M, i0, 6, mc / 6, p0, Math.min(kc, K - p0), d2, 0, lda, map);
      if (!java.util.Arrays.equals(d1, d2)) throw new AssertionError("differ at " + i0 + "," + p0);
    }
    for (int r = 0; r < 8; r++) {
      for (int v = 0; v < 2; v++) {
        long t0 = System.nanoTime(); long floats = 0;
        while (System.nanoTime() - t0 < 300_000_000L) {
          for (int i0 = 0; i0 + mc <= M; i0 += mc) for (int p0 = 0; p0 < K; p0 += kc) {
            if (v == 0) GemmPacking.packA(a, 0, M, i0, 6, mc / 6, p0, kc, d1, 0, lda);
            else packGather(a, M, i0, 6, mc / 6, p0, kc, d2, 0, lda, map);
            floats += (long) mc * kc;
          }
        }
        if (r >= 4) System.out.printf("%s: %.2f ns/float%n", v == 0 ? "scalar" : "gather", (System.nanoTime() - t0) / (double) floats);
      }
    }
  }
}

package dev.mp3.tensor.cpu;
// packA of a column-major A (dY^T, dY [K x M]) from memory: plain against touched first
public class Pk2 {
  public static void main(String[] args) {
    int K = Integer.parseInt(args[2]), M = Integer.parseInt(args[0]); int mc = Integer.parseInt(args[1]); int kc = 256;
    float[] y = new float[K * M]; for (int i = 0; i < y.length; i++) y[i] = i;
    GemmOperand a = new GemmOperand(y, 0, 0, 1, M);
    int lda = GemmPacking.packedARowStride(kc);
    float[] d1 = new float[mc * lda];
    for (int r = 0; r < 10; r++) {
      for (int v = 0; v < 2; v++) {
        long t0 = System.nanoTime(); long floats = 0;
        while (System.nanoTime() - t0 < 300_000_000L) {
          for (int i0 = 0; i0 + mc <= M; i0 += mc) for (int p0 = 0; p0 + kc <= K; p0 += kc) {
            if (v == 1) GemmPacking.touch(y, a.at(0, i0, p0), M, kc, mc);
            GemmPacking.packA(a, 0, M, i0, 6, mc / 6, p0, kc, d1, 0, lda);
            floats += (long) mc * kc;
          }
        }
        if (r >= 4) System.out.printf("%s: %.2f ns/float%n", v == 0 ? "plain  " : "touched", (System.nanoTime() - t0) / (double) floats);
      }
    }
  }
}

package dev.mp3.tensor.cpu;
// packA of a column-major A (dY^T, dY = [K, M] row-major) from memory: (a) slabs of 120 rows over all K blocks (a task's order),
// (b) all M rows per K block (whole rows of dY read). ns per float, one thread, alternating, a 64 MB flush between reps.
public class Pk3 {
  public static void main(String[] args) {
    int K = Integer.parseInt(args[0]), M = Integer.parseInt(args[1]), R = Integer.parseInt(args[2]);
    int kc = 256, mr = 6, MC = 120;
    float[] y = new float[K * M]; for (int i = 0; i < y.length; i++) y[i] = i % 13;
    GemmOperand a = new GemmOperand(y, 0, 0, 1, M); // A = dY^T: element (i, p) at p * M + i
    int lda = GemmPacking.packedARowStride(kc);
    float[] dstSmall = new float[MC * lda], dstBig = new float[(M + 6) * lda];
    float[] flush = new float[16 << 20]; double[] sum = new double[2]; float sink = 0;
    for (int rep = 0; rep < R; rep++) {
      StringBuilder sb = new StringBuilder();
      for (int v = 0; v < 2; v++) {
        for (int i = 0; i < flush.length; i += 16) flush[i] += 1;
        long t0 = System.nanoTime();
        if (v == 0) {
          for (int i0 = 0; i0 < M; i0 += MC) { int tiles = (Math.min(MC, M - i0) + mr - 1) / mr;
            for (int p0 = 0; p0 < K; p0 += kc) { GemmPacking.packA(a, 0, M, i0, mr, tiles, p0, Math.min(kc, K - p0), dstSmall, 0, lda); sink += dstSmall[7]; } }
        } else {
          int tiles = (M + mr - 1) / mr;
          for (int p0 = 0; p0 < K; p0 += kc) { GemmPacking.packA(a, 0, M, 0, mr, tiles, p0, Math.min(kc, K - p0), dstBig, 0, lda); sink += dstBig[7]; }
        }
        double ns = (System.nanoTime() - t0) / (double) (K * M); if (rep >= 3) sum[v] += ns; sb.append(String.format(" %5.2f", ns));
      }
      if (rep < 5) System.out.println(sb);
    }
    System.out.printf("K %d M %d: slabs of 120 %.2f ns/float, whole rows %.2f ns/float (%.2fx) %s%n", K, M, sum[0] / (R - 3), sum[1] / (R - 3), sum[0] / sum[1], sink > 0 ? "" : " ");
  }
}

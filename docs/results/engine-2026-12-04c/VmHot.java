package dev.mp3.tensor.cpu;
/** VmKernel alone on hot operands: kb steps, A [kb, lda] and B [kb, ldb] small enough for L1/L2; one thread. args: kb lda ldb */
public class VmHot {
  public static void main(String[] x) {
    int kb = Integer.parseInt(x[0]), lda = Integer.parseInt(x[1]), ldb = Integer.parseInt(x[2]);
    float[] a = new float[kb * lda + 64], b = new float[kb * ldb + 64], c = new float[12 * 32 * 8];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < a.length; i++) a[i] = r.nextFloat(); for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
    int tiles = lda / 32, cols = Math.min(ldb / 12, 8);
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime(); long calls = 0;
      while (System.nanoTime() - t0 < 300_000_000L) {
        for (int jt = 0; jt < cols; jt++) for (int it = 0; it < tiles; it++) { VmKernel.run(kb, a, it * 32, lda, b, jt * 12, ldb, c, 0, 32, true); calls++; }
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("kb %d lda %d ldb %d: %.1f GFLOP/s%n", kb, lda, ldb, 2.0 * 32 * 12 * kb * calls / s / 1e9);
    }
  }
}

package dev.mp3.tensor.cpu;
// KOuterGemm vs GemmKernels.gemm (committed path) on weight-gradient shapes, alternating windows in one JVM.
// args: threads rounds window copies shapes(MxKxN,...)   (op(A) = A^T, A stored [k, m]; B [k, n])
public class Ko {
  public static void main(String[] args) {
    Parallel.setThreads(Integer.parseInt(args[0]));
    int rounds = Integer.parseInt(args[1]); double win = Double.parseDouble(args[2]); int copies = Integer.parseInt(args[3]);
    for (String s : args[4].split(",")) {
      String[] d = s.split("x"); int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
      float[][] a = new float[copies][k * m], b = new float[copies][k * n]; float[] c0 = new float[m * n], c1 = new float[m * n];
      java.util.Random r = new java.util.Random(3);
      for (int q = 0; q < copies; q++) { for (int i = 0; i < a[q].length; i++) a[q][i] = r.nextFloat() - 0.5f; for (int i = 0; i < b[q].length; i++) b[q][i] = r.nextFloat() - 0.5f; }
      double[] sum = new double[2]; double[] lo = {9, 9}; StringBuilder rs = new StringBuilder();
      for (int round = 0; round < rounds + 1; round++) {
        double[] g = new double[2];
        for (int w = 0; w < 2; w++) {
          int v = (round % 2 == 0) ? w : 1 - w;
          long t0 = System.nanoTime(); int calls = 0;
          while (System.nanoTime() - t0 < win * 1e9) {
            int q = calls % copies;
            if (v == 0) GemmKernels.gemm(1, m, n, k, a[q], 0, 0, true, b[q], 0, 0, false, c0, 0, 0);
            else run(m, n, k, a[q], b[q], c1);
            calls++;
          }
          g[v] = 2.0 * m * n * k * calls / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
        if (round > 0) { sum[0] += g[0]; sum[1] += g[1]; rs.append(String.format(" %.2f", g[1] / g[0])); }
      }
      GemmKernels.gemm(1, m, n, k, a[0], 0, 0, true, b[0], 0, 0, false, c0, 0, 0); run(m, n, k, a[0], b[0], c1);
      boolean same = java.util.Arrays.equals(c0, c1);
      System.out.printf("%-16s committed %.1f  k-outer %.1f GFLOP/s  new/old %.2f  rounds:%s  same bits %s%n", s, sum[0] / rounds, sum[1] / rounds, sum[1] / sum[0], rs, same);
    }
  }
  static volatile boolean FLIP = false;
  static void run(int m, int n, int k, float[] a, float[] b, float[] c) {
    GemmOperand ga = GemmOperand.of(a, 0, 0, true, m, k), gb = GemmOperand.of(b, 0, 0, false, k, n), gc = GemmOperand.of(c, 0, 0, false, m, n);
    if ((m <= n) != FLIP) KOuterGemm.gemm(GemmKernels.MICRO_KERNEL, m, n, k, ga, gb, gc, null);
    else KOuterGemm.gemm(GemmKernels.MICRO_KERNEL, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(), null);
  }
}

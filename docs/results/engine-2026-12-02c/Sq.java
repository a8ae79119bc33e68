package dev.mp3.tensor.cpu;
// Squares and forward shapes (NN): GemmKernels.gemm vs KOuterGemm, alternating windows. args: threads rounds window copies shapes(MxKxN)
public class Sq {
  public static void main(String[] args) {
    Parallel.setThreads(Integer.parseInt(args[0]));
    int rounds = Integer.parseInt(args[1]); double win = Double.parseDouble(args[2]); int copies = Integer.parseInt(args[3]);
    for (String s : args[4].split(",")) {
      String[] d = s.split("x"); int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
      float[][] a = new float[copies][m * k], b = new float[copies][k * n]; float[] c0 = new float[m * n], c1 = new float[m * n];
      java.util.Random r = new java.util.Random(3);
      for (int q = 0; q < copies; q++) { for (int i = 0; i < a[q].length; i++) a[q][i] = r.nextFloat() - 0.5f; for (int i = 0; i < b[q].length; i++) b[q][i] = r.nextFloat() - 0.5f; }
      double[] sum = new double[2]; StringBuilder rs = new StringBuilder();
      for (int round = 0; round <= rounds; round++) {
        double[] g = new double[2];
        for (int w = 0; w < 2; w++) {
          int v = round % 2 == 0 ? w : 1 - w;
          long t0 = System.nanoTime(); int calls = 0;
          while (System.nanoTime() - t0 < win * 1e9) { int q = calls % copies;
            if (v == 0) GemmKernels.gemm(1, m, n, k, a[q], 0, 0, false, b[q], 0, 0, false, c0, 0, 0);
            else KOuterGemm.gemm(GemmKernels.MICRO_KERNEL, m, n, k, GemmOperand.of(a[q], 0, 0, false, m, k), GemmOperand.of(b[q], 0, 0, false, k, n), GemmOperand.of(c1, 0, 0, false, m, n), null);
            calls++; }
          g[v] = 2.0 * m * n * k * calls / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
        if (round > 0) { sum[0] += g[0]; sum[1] += g[1]; rs.append(String.format(" %.2f", g[1] / g[0])); }
      }
      System.out.printf("%-14s %s %.1f  k-outer %.1f GFLOP/s  ratio %.2f  rounds:%s  same bits %s%n", s, GemmKernels.kernelFor(m, n, k, false, false), sum[0] / rounds, sum[1] / rounds, sum[1] / sum[0], rs, java.util.Arrays.equals(c0, c1));
    }
  }
}

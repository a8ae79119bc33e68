package dev.mp3.tensor.cpu;
// One GEMM shape with its operands warm (the same A, B, C every call, as SgemmPeerBench and MatMulBench time it)
// or cold (ten sets of A, B, C in turn, over 60 MB, so each call finds its operands out of cache, as in a training step).
// Alternating 0.2 s windows; GFLOP/s means over rounds 2..R. args: threads rounds shapes (MxKxN[:tA|:tB],...)
public class Cold {
  public static void main(String[] args) {
    Parallel.setThreads(Integer.parseInt(args[0])); int R = Integer.parseInt(args[1]);
    for (String sh : args[2].split(",")) {
      boolean tA = sh.endsWith(":tA"), tB = sh.endsWith(":tB"); String[] d = sh.replaceAll(":t[AB]", "").split("x");
      int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
      int sets = 10; float[][] a = new float[sets][m * k], b = new float[sets][k * n], c = new float[sets][m * n];
      java.util.Random rnd = new java.util.Random(1);
      for (int s = 0; s < sets; s++) { for (int i = 0; i < a[s].length; i++) a[s][i] = rnd.nextFloat() - 0.5f; for (int i = 0; i < b[s].length; i++) b[s][i] = rnd.nextFloat() - 0.5f; }
      double[] sum = new double[2]; double flops = 2.0 * m * n * k;
      for (int r = 0; r < R; r++) for (int v = 0; v < 2; v++) {
        long t0 = System.nanoTime(); int calls = 0;
        while (System.nanoTime() - t0 < 200_000_000L) { int s = v == 0 ? 0 : calls % sets;
          GemmKernels.gemm(1, m, n, k, a[s], 0, 0, tA, b[s], 0, 0, tB, c[s], 0, 0); calls++; }
        double g = flops * calls / (System.nanoTime() - t0); if (r >= 2) sum[v] += g; }
      System.out.printf("%-16s warm %6.1f  cold %6.1f GFLOP/s  cold/warm %.2f%n", sh, sum[0] / (R - 2), sum[1] / (R - 2), sum[1] / sum[0]);
    }
  }
}

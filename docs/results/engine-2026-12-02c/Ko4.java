package dev.mp3.tensor.cpu;
// KOuterGemm variants alternating: (rows forced r, shareAll) per variant. args: threads rounds window copies shapes variants(r:s,...)
public class Ko4 {
  public static void main(String[] args) {
    Parallel.setThreads(Integer.parseInt(args[0]));
    int rounds = Integer.parseInt(args[1]); double win = Double.parseDouble(args[2]); int copies = Integer.parseInt(args[3]);
    String[] vars = args[5].split(",");
    for (String s : args[4].split(",")) {
      String[] d = s.split("x"); int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
      float[][] a = new float[copies][k * m], b = new float[copies][k * n]; float[] c1 = new float[m * n];
      java.util.Random r = new java.util.Random(3);
      for (int q = 0; q < copies; q++) { for (int i = 0; i < a[q].length; i++) a[q][i] = r.nextFloat() - 0.5f; for (int i = 0; i < b[q].length; i++) b[q][i] = r.nextFloat() - 0.5f; }
      double[] sum = new double[vars.length + 1];
      for (int round = 0; round < rounds + 1; round++) {
        for (int w = 0; w <= vars.length; w++) {
          int v = (round % 2 == 0) ? w : vars.length - w;
          if (v > 0) { String[] f = vars[v - 1].split(":"); Ko.FLIP = f[0].equals("1"); }
          long t0 = System.nanoTime(); int calls = 0;
          while (System.nanoTime() - t0 < win * 1e9) { int q = calls % copies;
            if (v == 0) GemmKernels.gemm(1, m, n, k, a[q], 0, 0, true, b[q], 0, 0, false, c1, 0, 0); else Ko.run(m, n, k, a[q], b[q], c1); calls++; }
          if (round > 0) sum[v] += 2.0 * m * n * k * calls / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
      }
      StringBuilder sb = new StringBuilder(String.format("%-14s committed %.1f", s, sum[0] / rounds));
      for (int v = 1; v <= vars.length; v++) sb.append(String.format("  [%s] %.2f", vars[v - 1], sum[v] / sum[0]));
      System.out.println(sb);
    }
  }
}

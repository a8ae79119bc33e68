package dev.mp3.tensor.cpu;
public class Kt {
  public static void main(String[] args) {
    Parallel.setThreads(Integer.parseInt(args[0]));
    int copies = Integer.parseInt(args[3]);
    String[] d = args[1].split("x"); int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
    float[][] a = new float[copies][k * m], b = new float[copies][k * n]; float[] c = new float[m * n];
    for (int q = 0; q < copies; q++) { java.util.Arrays.fill(a[q], 0.5f); java.util.Arrays.fill(b[q], 0.25f); }
    for (int w = 0; w < 4; w++) {
      KOuterGemm.T_PACK.set(0); KOuterGemm.T_MUL.set(0); KOuterGemm.T_ALL.set(0);
      long t0 = System.nanoTime(); int calls = 0;
      while (System.nanoTime() - t0 < Double.parseDouble(args[2]) * 1e9) { Ko.run(m, n, k, a[calls % copies], b[calls % copies], c); calls++; }
      double wall = (System.nanoTime() - t0) / 1e6 / calls;
      System.out.printf("%.1f GFLOP/s  wall %.2f ms/call; per call CPU: pack %.2f ms (%.2f ns/float), multiply %.2f ms; in gemm %.2f ms%n",
        2.0 * m * n * k / wall / 1e6, wall, KOuterGemm.T_PACK.get() / 1e6 / calls, KOuterGemm.T_PACK.get() / (double) calls / ((long) k * (m + n)),
        KOuterGemm.T_MUL.get() / 1e6 / calls, KOuterGemm.T_ALL.get() / 1e6 / calls);
    }
  }
}

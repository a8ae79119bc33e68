package dev.mp3.tensor.cpu;
// KOuterGemm MODEs alternating in windows; per mode: GFLOP/s, pack and multiply CPU ms per call. args: threads shape window rounds copies modes
public class Kt2 {
  public static void main(String[] args) {
    Parallel.setThreads(Integer.parseInt(args[0]));
    String[] d = args[1].split("x"); int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
    double win = Double.parseDouble(args[2]); int rounds = Integer.parseInt(args[3]), copies = Integer.parseInt(args[4]);
    String[] modes = args[5].split(",");
    float[][] a = new float[copies][k * m], b = new float[copies][k * n]; float[] c = new float[m * n];
    for (int q = 0; q < copies; q++) { java.util.Arrays.fill(a[q], 0.5f); java.util.Arrays.fill(b[q], 0.25f); }
    int M = modes.length; double[] gf = new double[M], pk = new double[M], mu = new double[M];
    for (int r = 0; r <= rounds; r++) for (int w = 0; w < M; w++) {
      int v = r % 2 == 0 ? w : M - 1 - w; int mode = Integer.parseInt(modes[v]);
      if (mode < 0) GemmKernels.KOUTER_ON = false; else { GemmKernels.KOUTER_ON = true; KOuterGemm.MODE = mode; }
      KOuterGemm.T_PACK.set(0); KOuterGemm.T_MUL.set(0);
      long t0 = System.nanoTime(); int calls = 0;
      while (System.nanoTime() - t0 < win * 1e9) { int q = calls % copies; GemmKernels.gemm(1, m, n, k, a[q], 0, 0, true, b[q], 0, 0, false, c, 0, 0); calls++; }
      double wall = (System.nanoTime() - t0) / 1e6 / calls;
      if (r > 0) { gf[v] += 2.0 * m * n * k / wall / 1e6; pk[v] += KOuterGemm.T_PACK.get() / 1e6 / calls; mu[v] += KOuterGemm.T_MUL.get() / 1e6 / calls; }
    }
    for (int v = 0; v < M; v++) System.out.printf("%s mode %s: %.1f GFLOP/s, CPU ms per call: pack %.2f multiply %.2f%n", args[1], modes[v], gf[v] / rounds, pk[v] / rounds, mu[v] / rounds);
  }
}

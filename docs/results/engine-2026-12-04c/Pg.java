package dev.mp3.tensor.cpu;
import java.util.*;
/** GemmKernels.gemm (its choice) against PackedGemm straight and transposed, a weight gradient, alternating; args M K N rounds */
public class Pg {
  public static void main(String[] x) {
    int M = Integer.parseInt(x[0]), K = Integer.parseInt(x[1]), N = Integer.parseInt(x[2]), rounds = Integer.parseInt(x[3]);
    Random r = new Random(1);
    float[][] as = new float[3][], bs = new float[3][];
    for (int v = 0; v < 3; v++) { as[v] = new float[K * M]; bs[v] = new float[K * N]; for (int i = 0; i < K * M; i++) as[v][i] = r.nextFloat() - 0.5f; for (int i = 0; i < K * N; i++) bs[v][i] = r.nextFloat() - 0.5f; }
    float[] c = new float[M * N];
    System.out.println("choice: " + GemmKernels.kernelFor(M, N, K, true, false));
    double flop = 2.0 * M * N * K;
    for (int round = 0; round < rounds; round++) {
      double[] t = new double[3];
      for (int side = 0; side < 3; side++) {
        int calls = 0; long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 300_000_000L) { int v = calls % 3;
          if (side == 0) GemmKernels.gemm(1, M, N, K, as[v], 0, 0, true, bs[v], 0, 0, false, c, 0, 0);
          else GemmKernels.gemmPacked(side == 2, M, N, K, as[v], true, bs[v], false, c);
          calls++; }
        t[side] = (System.nanoTime() - t0) / 1e9 / calls;
      }
      System.out.printf("round %d: choice %.1f GFLOP/s, packed %.1f, packed^T %.1f%n", round, flop / t[0] / 1e9, flop / t[1] / 1e9, flop / t[2] / 1e9);
    }
  }
}

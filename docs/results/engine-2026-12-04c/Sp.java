package dev.mp3.tensor.cpu;
import java.util.*;
/** The engine's weight gradient (GemmKernels.gemm) with KOuterGemm's most spans toggled between rounds (a measurement build: KOuterGemm.maxSpansToggle). args: M K N rounds spans... */
public class Sp {
  public static void main(String[] x) {
    int M = Integer.parseInt(x[0]), K = Integer.parseInt(x[1]), N = Integer.parseInt(x[2]), rounds = Integer.parseInt(x[3]);
    int[] spans = Arrays.stream(x, 4, x.length).mapToInt(Integer::parseInt).toArray();
    Random r = new Random(1);
    float[][] as = new float[3][], bs = new float[3][];
    for (int v = 0; v < 3; v++) { as[v] = new float[K * M]; bs[v] = new float[K * N]; for (int i = 0; i < K * M; i++) as[v][i] = r.nextFloat() - 0.5f; for (int i = 0; i < K * N; i++) bs[v][i] = r.nextFloat() - 0.5f; }
    float[] c = new float[M * N];
    double flop = 2.0 * M * N * K;
    for (int round = 0; round < rounds; round++) {
      StringBuilder sb = new StringBuilder("round " + round + ":");
      for (int sp : spans) {
        KOuterGemm.maxSpansToggle = sp;
        int calls = 0; long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 300_000_000L) { int v = calls % 3; GemmKernels.gemm(1, M, N, K, as[v], 0, 0, true, bs[v], 0, 0, false, c, 0, 0); calls++; }
        double t = (System.nanoTime() - t0) / 1e9 / calls;
        sb.append(String.format("  spans<=%d (%d) %.1f", sp, KOuterGemm.spans(K), flop / t / 1e9));
      }
      System.out.println(sb);
    }
  }
}

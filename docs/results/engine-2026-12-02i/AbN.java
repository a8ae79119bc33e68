package dev.mp3.tensor.cpu;

import java.util.Arrays;

/** Narrow last panels (B) against the full-width padded tile (A), windows alternating in one JVM. */
public class AbN {
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int threads = Integer.getInteger("threads", 2);
    Parallel.setThreads(threads);
    System.out.printf("AbN threads=%d rounds=%d %s%n", threads, rounds, java.time.Instant.now());
    for (int s = 1; s < args.length; s++) {
      String[] t = args[s].split(":");
      String[] d = t[0].split("x");
      int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
      boolean tA = t.length > 1 && t[1].equals("tA"), tB = t.length > 1 && t[1].equals("tB");
      java.util.SplittableRandom r = new java.util.SplittableRandom(s);
      float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
      for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() - 0.5);
      for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() - 0.5);
      Runnable call = () -> GemmKernels.gemm(1, m, n, k, a, 0, 0, tA, b, 0, 0, tB, c, 0, 0);
      double flops = 2.0 * m * n * k;
      for (int w = 0; w < 3; w++) { MicroKernel.NARROW = false; window(call, flops); MicroKernel.NARROW = true; window(call, flops); }
      double[] ra = new double[rounds], rb = new double[rounds], q = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        if (i % 2 == 0) { MicroKernel.NARROW = false; ra[i] = window(call, flops); MicroKernel.NARROW = true; rb[i] = window(call, flops); }
        else { MicroKernel.NARROW = true; rb[i] = window(call, flops); MicroKernel.NARROW = false; ra[i] = window(call, flops); }
        q[i] = rb[i] / ra[i];
      }
      double[] sq = q.clone(); Arrays.sort(sq);
      System.out.printf("%-18s %s  full %.1f GF, narrow %.1f GF, narrow/full median %.3f (%.3f-%.3f)%n", args[s],
          GemmKernels.kernelFor(m, n, k, tA, tB), mean(ra), mean(rb), sq[rounds / 2], sq[0], sq[rounds - 1]);
    }
  }
  static double mean(double[] x) { return Arrays.stream(x).average().getAsDouble(); }
  static double window(Runnable call, double flops) {
    long start = System.nanoTime(), until = start + 200_000_000L, calls = 0, now;
    do { call.run(); calls++; now = System.nanoTime(); } while (now < until);
    return flops * calls / (now - start);
  }
}

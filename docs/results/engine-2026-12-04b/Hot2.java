package dev.mp3.tensor.cpu;
import java.util.concurrent.*;
/** MicroKernel.ROWS6_VEC4 on per-thread packed operands (kc, panels, tiles), 1 or 2 threads at once in one JVM, alternating. */
public class Hot2 {
  static double run(int kc, int panels, int tiles, float[] a, float[] b, float[] c, long nanos) {
    MicroKernel k = MicroKernel.ROWS6_VEC4; int lda = kc + 16, ldc = panels * 64;
    long t0 = System.nanoTime(); long reps = 0;
    while (System.nanoTime() - t0 < nanos) {
      for (int j = 0; j < panels; j++) for (int t = 0; t < tiles; t++) k.run(kc, a, t*6*lda, lda, 1, b, j*kc*64, c, t*6*ldc + j*64, ldc, true);
      reps++;
    }
    return 2.0*kc*64*6*panels*tiles*reps/((System.nanoTime()-t0)/1e9)/1e9;
  }
  public static void main(String[] x) throws Exception {
    int kc = Integer.parseInt(x[0]), panels = Integer.parseInt(x[1]), tiles = Integer.parseInt(x[2]);
    float[][] a = new float[2][tiles*6*(kc+16)], b = new float[2][panels*kc*64+64], c = new float[2][tiles*6*panels*64];
    java.util.Random r = new java.util.Random(1);
    for (int q=0;q<2;q++) { for (int i=0;i<a[q].length;i++) a[q][i]=r.nextFloat()*1e-3f; for (int i=0;i<b[q].length;i++) b[q][i]=r.nextFloat()*1e-3f; }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    for (int round = 0; round < 10; round++) {
      double one = pool.submit(() -> run(kc, panels, tiles, a[0], b[0], c[0], 300_000_000L)).get();
      Future<Double> f0 = pool.submit(() -> run(kc, panels, tiles, a[0], b[0], c[0], 300_000_000L));
      Future<Double> f1 = pool.submit(() -> run(kc, panels, tiles, a[1], b[1], c[1], 300_000_000L));
      double t0 = f0.get(), t1 = f1.get();
      System.out.printf("one thread %.1f GFLOP/s; two threads at once %.1f and %.1f (x%.3f of one)%n", one, t0, t1, (t0 + t1) / 2 / one);
    }
    pool.shutdown();
  }
}

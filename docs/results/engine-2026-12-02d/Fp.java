package dev.mp3.bench;
// FMA peak on one thread, then two threads at once, alternating 0.5 s windows: do the two vCPUs have an FMA unit each?
public class Fp {
  static volatile float sink;
  static double burst(int threads, double seconds) throws Exception {
    long[] steps = new long[threads]; Thread[] ts = new Thread[threads];
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) { int id = t; ts[t] = new Thread(() -> { long n = 0; float s = 0;
        while (System.nanoTime() - t0 < seconds * 1e9) { s += FmaPeak.run(1.0000001f, 0.9999999f); n++; } steps[id] = n; sink = s; }); ts[t].start(); }
    for (Thread t : ts) t.join();
    double sec = (System.nanoTime() - t0) / 1e9; long calls = 0; for (long n : steps) calls += n;
    return FmaPeak.flops() * calls / sec / 1e9;
  }
  public static void main(String[] a) throws Exception {
    burst(1, 2); burst(2, 2);
    for (int r = 0; r < Integer.parseInt(a[0]); r++) {
      double one = burst(1, 0.5), two = burst(2, 0.5);
      System.out.printf("1 thread %.1f GFLOP/s, 2 threads %.1f GFLOP/s: x%.2f%n", one, two, two / one);
    }
  }
}

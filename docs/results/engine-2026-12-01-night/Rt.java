import dev.mp3.tensor.cpu.Parallel;
public class Rt {
  static volatile float sink;
  public static void main(String[] a) throws Exception {
    float[] x = new float[1 << 16];
    for (int rep = 0; rep < 5; rep++) {
      for (int work : new int[]{0, 2000, 20000}) {
        int n = 8;
        long t0 = System.nanoTime(); int calls = 0;
        while (System.nanoTime() - t0 < 500_000_000L) {
          Parallel.forRange(n, 1, (lo, hi) -> { float s = 0; for (int i = 0; i < work * (hi - lo) / 8; i++) s += x[i & 65535]; sink = s; });
          calls++;
        }
        double us = (System.nanoTime() - t0) / 1e3 / calls;
        // serial time of the same work
        long t1 = System.nanoTime(); int sc = 0;
        while (System.nanoTime() - t1 < 200_000_000L) { float s = 0; for (int i = 0; i < work; i++) s += x[i & 65535]; sink = s; sc++; }
        double sus = (System.nanoTime() - t1) / 1e3 / sc;
        System.out.printf("work %6d: forRange %.1f us per call, serial %.1f us%n", work, us, sus);
      }
    }
  }
}

public class Alloc {
  static volatile float[] sink;
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]);
    for (int r = 0; r < 6; r++) {
      long t0 = System.nanoTime(); long bytes = 0;
      while (System.nanoTime() - t0 < 1_000_000_000L) { float[] x = new float[n]; x[n-1] = 1; sink = x; bytes += 4L * n; }
      double s = (System.nanoTime() - t0) * 1e-9;
      System.out.printf("new float[%d]: %.1f GB/s%n", n, bytes / s * 1e-9);
    }
    float[] y = new float[n];
    long t0 = System.nanoTime(); long bytes=0;
    while (System.nanoTime() - t0 < 1_000_000_000L) { java.util.Arrays.fill(y, 0f); bytes += 4L*n; }
    System.out.printf("Arrays.fill reuse: %.1f GB/s%n", bytes / ((System.nanoTime() - t0) * 1e-9) * 1e-9);
  }
}

package dev.mp3.tensor.cpu;
import java.lang.management.*;
public class ExpBox {
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]), rows = 4096;
    float[] x = new float[rows * n]; for (int i=0;i<x.length;i++) x[i] = (float) Math.sin(i) * 3;
    float[] y = new float[rows * n];
    var tb = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int rep = 0; rep < 12; rep++) {
      long a0 = tb.getCurrentThreadAllocatedBytes(); long t0 = System.nanoTime(); float s = 0;
      for (int it = 0; it < 50; it++) for (int r = 0; r < rows; r++) s += VectorMath.expShifted(x, r * n, 1f, y, r * n, n);
      long t = System.nanoTime() - t0; long al = tb.getCurrentThreadAllocatedBytes() - a0;
      System.out.printf("n=%d rep %d: %.1f ns/row, %.1f bytes allocated/row (%s)%n", n, rep, t / (50.0 * rows), al / (50.0 * rows), s);
    }
  }
}

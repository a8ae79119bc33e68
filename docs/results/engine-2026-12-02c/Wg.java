import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;
// Loops one product: args m n k transA transB threads seconds
public class Wg {
  public static void main(String[] a) {
    int m = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]), k = Integer.parseInt(a[2]);
    boolean tA = a[3].equals("1"), tB = a[4].equals("1");
    Parallel.setThreads(Integer.parseInt(a[5]));
    double secs = Double.parseDouble(a[6]);
    float[] x = new float[m * k], y = new float[k * n], c = new float[m * n];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
    for (int i = 0; i < y.length; i++) y[i] = r.nextFloat();
    for (int w = 0; w < 3; w++) {
      long t0 = System.nanoTime(); int calls = 0;
      while (System.nanoTime() - t0 < secs * 1e9) { GemmKernels.gemm(1, m, n, k, x, 0, 0, tA, y, 0, 0, tB, c, 0, 0); calls++; }
      double s = (System.nanoTime() - t0) / 1e9 / calls;
      System.out.printf("%s: %.3f ms/call, %.1f GFLOP/s%n", GemmKernels.kernelFor(m, n, k, tA, tB), s * 1e3, 2.0 * m * n * k / s / 1e9);
    }
  }
}

import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;
public class Off {
  public static void main(String[] args) {
    Parallel.setThreads(2);
    int m = 6400, k = 192, n = 576;
    float[] a = new float[m * k + 16], b = new float[k * n + 16], c = new float[m * n + 16];
    java.util.Arrays.fill(a, 0.01f); java.util.Arrays.fill(b, 0.01f);
    for (int round = 0; round < 3; round++) {
      for (String which : new String[] {"A", "C"}) {
        for (int off = 0; off < 16; off += 4) {
          int aOff = which.equals("A") ? off : 0, cOff = which.equals("C") ? off : 0;
          long t0 = System.nanoTime(); int reps = 0;
          while (System.nanoTime() - t0 < 300_000_000L) { GemmKernels.gemm(1, m, n, k, a, aOff, 0, false, b, 0, 0, false, c, cOff, 0); reps++; }
          if (round > 0) System.out.printf("%s offset %2d floats: %.1f GFLOP/s%n", which, off, 2.0 * m * n * k * reps / (System.nanoTime() - t0));
        }
      }
    }
  }
}

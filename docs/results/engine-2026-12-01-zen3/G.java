import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;
import java.util.Random;
public class G {
  public static void main(String[] args) {
    int threads = Integer.parseInt(args[0]);
    Parallel.setThreads(threads);
    double secs = Double.parseDouble(args.length > 2 ? args[2] : "1.5");
    for (String s : args[1].split(",")) {
      boolean tA = s.contains(":tA"), tB = s.contains(":tB");
      String[] d = s.split(":")[0].split("x");
      int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
      int sets = Integer.getInteger("sets", 1); float[][] as = new float[sets][], cs = new float[sets][]; for (int q = 0; q < sets; q++) { as[q] = new float[m * k]; cs[q] = new float[m * n]; java.util.Arrays.fill(as[q], 0.01f); } float[] a = as[0], b = new float[k * n], c = cs[0];
      Random r = new Random(1);
      for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
      for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
      double best = 0;
      for (int w = 0; w < 6; w++) {
        long t0 = System.nanoTime(); int reps = 0;
        while (System.nanoTime() - t0 < secs * 1e9 / 6) {
          a = as[reps % sets]; c = cs[reps % sets]; GemmKernels.gemm(1, m, n, k, a, 0, 0, tA, b, 0, 0, tB, c, 0, 0); reps++;
        }
        double gf = 2.0 * m * n * k * reps / (System.nanoTime() - t0);
        best = Math.max(best, gf);
      }
      System.out.printf("%-22s %-18s %6.1f GFLOP/s%n", s, GemmKernels.kernelFor(m, n, k, tA, tB), best);
    }
  }
}

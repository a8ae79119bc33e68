import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
/** A/B of DirectGemm.multiply on attention's per-head shapes, builds in separate class loaders, alternating 0.2 s windows, best of rounds. */
public class Ad {
  public static void main(String[] args) throws Throwable {
    int rounds = Integer.parseInt(args[0]);
    int builds = args.length - 1;
    Method[] mul = new Method[builds]; Method[] of = new Method[builds];
    for (int v = 0; v < builds; v++) {
      ClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[1 + v]).toUri().toURL()}, Ad.class.getClassLoader().getParent());
      Class<?> op = Class.forName("dev.mp3.tensor.cpu.GemmOperand", true, cl);
      Class<?> dg = Class.forName("dev.mp3.tensor.cpu.DirectGemm", true, cl);
      of[v] = op.getDeclaredMethod("of", float[].class, int.class, int.class, boolean.class, int.class, int.class); of[v].setAccessible(true);
      mul[v] = dg.getDeclaredMethod("multiply", int.class, int.class, int.class, int.class, op, op, op, float[].class); mul[v].setAccessible(true);
    }
    Object[][] shapes = {{"QK^T 50x50x64 NT", 50, 50, 64, false, true}, {"PV 50x64x50 NN", 50, 64, 50, false, false},
        {"P^T gO 50x64x50 TN", 50, 64, 50, true, false}, {"gO V^T 50x50x64 NT", 50, 50, 64, false, true},
        {"QK^T 8x8x8 NT (speech d=8)", 8, 8, 8, false, true}, {"PV 98x8x98 NN", 98, 8, 98, false, false}};
    float[] a = new float[128 * 128], b = new float[128 * 128], c = new float[128 * 128], scratch = new float[128 * 128];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat(); b[i] = r.nextFloat(); }
    System.out.print("| shape |"); for (int v = 0; v < builds; v++) System.out.print(" " + Path.of(args[1 + v]).getFileName() + " GFLOP/s |");
    System.out.println(" v1/v0 |");
    for (Object[] s : shapes) {
      int m = (int) s[1], n = (int) s[2], k = (int) s[3];
      double[] best = new double[builds];
      for (int round = 0; round < rounds; round++) {
        for (int v = 0; v < builds; v++) {
          Object ga = of[v].invoke(null, a, 0, 0, s[4], m, k), gb = of[v].invoke(null, b, 0, 0, s[5], k, n), gc = of[v].invoke(null, c, 0, 0, false, m, n);
          long t0 = System.nanoTime(); long reps = 0;
          while (System.nanoTime() - t0 < 200_000_000L) { mul[v].invoke(null, 0, m, n, k, ga, gb, gc, scratch); reps++; }
          best[v] = Math.max(best[v], 2.0 * m * n * k * reps / (System.nanoTime() - t0));
        }
      }
      System.out.printf("| %s | %.1f | %.1f | %.2f |%n", s[0], best[0], best[1], best[1] / best[0]);
    }
  }
}

import java.lang.reflect.*;
import java.net.*;
import java.nio.file.Path;
/** A/B: Tensor.matmulActivated(x [rows, in], W [out, in]^T, bias, GELU) of several tensor builds, separate class loaders, alternating 0.3 s windows. args: rows,in,out rounds threads dirs... */
public class Ma {
  public static void main(String[] args) throws Throwable {
    String[] d = args[0].split(","); int rows = Integer.parseInt(d[0]), in = Integer.parseInt(d[1]), out = Integer.parseInt(d[2]);
    int rounds = Integer.parseInt(args[1]); int threads = Integer.parseInt(args[2]);
    int builds = args.length - 3;
    Method[] ma = new Method[builds]; Object[][] ops = new Object[builds][];
    for (int v = 0; v < builds; v++) {
      ClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[3 + v]).toUri().toURL()}, Ma.class.getClassLoader().getParent());
      Class.forName("dev.mp3.tensor.cpu.Parallel", true, cl).getMethod("setThreads", int.class).invoke(null, threads);
      Class<?> t = Class.forName("dev.mp3.tensor.Tensor", true, cl);
      Class<?> u = Class.forName("dev.mp3.tensor.UnaryOp", true, cl);
      Method of = t.getMethod("of", float[].class, int[].class);
      java.util.Random r = new java.util.Random(1);
      float[] x = new float[rows * in], w = new float[out * in], b = new float[out];
      for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
      for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.07f;
      for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian() * 0.1f;
      ops[v] = new Object[] {of.invoke(null, x, new int[] {rows, in}), of.invoke(null, w, new int[] {out, in}), of.invoke(null, b, new int[] {out}),
          Enum.valueOf((Class) u, "GELU")};
      ma[v] = t.getMethod("matmulActivated", t, boolean.class, t, boolean.class, t, u);
    }
    double[] best = new double[builds], sum = new double[builds];
    for (int round = 0; round < rounds; round++) {
      for (int v = 0; v < builds; v++) {
        long t0 = System.nanoTime(); int reps = 0;
        while (System.nanoTime() - t0 < 300_000_000L) { ma[v].invoke(null, ops[v][0], false, ops[v][1], true, ops[v][2], ops[v][3]); reps++; }
        double ms = (System.nanoTime() - t0) / 1e6 / reps;
        if (round >= 2) { sum[v] += ms; best[v] = best[v] == 0 ? ms : Math.min(best[v], ms); }
      }
    }
    for (int v = 0; v < builds; v++) System.out.printf("%s: best %.2f ms, mean %.2f ms (%s)%n", Path.of(args[3 + v]).getFileName(), best[v], sum[v] / (rounds - 2), args[0]);
    if (builds == 2) System.out.printf("v1/v0 mean %.3f, best %.3f%n", sum[1] / sum[0], best[1] / best[0]);
  }
}

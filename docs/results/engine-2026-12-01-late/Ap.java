import java.lang.invoke.*;
import java.net.*;
import java.nio.file.Path;
/** Straight vs transposed orientation of PackedGemm (GemmKernels.gemmPacked) on one build, alternating 0.25 s windows. args: threads shapes rounds dir */
public class Ap {
  public static void main(String[] args) throws Throwable {
    int threads = Integer.parseInt(args[0]); String[] shapes = args[1].split(","); int rounds = Integer.parseInt(args[2]);
    ClassLoader cl = new URLClassLoader(new URL[]{Path.of(args[3]).toUri().toURL()}, Ap.class.getClassLoader().getParent());
    Class.forName("dev.mp3.tensor.cpu.Parallel", true, cl).getMethod("setThreads", int.class).invoke(null, threads);
    MethodHandle g = MethodHandles.publicLookup().findStatic(Class.forName("dev.mp3.tensor.cpu.GemmKernels", true, cl), "gemmPacked",
      MethodType.methodType(void.class, boolean.class, int.class, int.class, int.class, float[].class, boolean.class, float[].class, boolean.class, float[].class));
    System.out.println("| shape | straight | transposed | t/s |");
    for (String s : shapes) {
      String[] p = s.split(":"); String[] d = p[0].split("x");
      int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
      boolean tA = p.length > 1 && p[1].equals("tA"), tB = p.length > 1 && p[1].equals("tB");
      float[] a = new float[m*k], b = new float[k*n], c = new float[m*n];
      java.util.Random r = new java.util.Random(1); for (int i=0;i<a.length;i++) a[i]=r.nextFloat(); for (int i=0;i<b.length;i++) b[i]=r.nextFloat();
      double[] best = new double[2];
      for (int round=0; round<rounds; round++) for (int v=0; v<2; v++) {
        long t0=System.nanoTime(); int calls=0;
        while (System.nanoTime()-t0 < 250_000_000L) { g.invokeExact(v==1, m, n, k, a, tA, b, tB, c); calls++; }
        best[v] = Math.max(best[v], 2.0*m*n*k*calls/((System.nanoTime()-t0)*1e-9)*1e-9);
      }
      System.out.printf("| %s | %.1f | %.1f | %.2f |%n", s, best[0], best[1], best[1]/best[0]);
    }
  }
}

import java.lang.invoke.*;
import java.net.*;
import java.nio.file.Path;
/** Two independent one-thread SGEMMs at once (each thread its own arrays) vs one alone. args: dir shape seconds */
public class Two {
  public static void main(String[] args) throws Throwable {
    ClassLoader cl = new URLClassLoader(new URL[]{Path.of(args[0]).toUri().toURL()}, Two.class.getClassLoader().getParent());
    Class.forName("dev.mp3.tensor.cpu.Parallel", true, cl).getMethod("setThreads", int.class).invoke(null, 1);
    MethodHandle g = MethodHandles.publicLookup().findStatic(Class.forName("dev.mp3.tensor.cpu.GemmKernels", true, cl), "gemm",
      MethodType.methodType(void.class, int.class, int.class, int.class, int.class, float[].class, int.class, int.class, boolean.class,
        float[].class, int.class, int.class, boolean.class, float[].class, int.class, int.class));
    String[] p = args[1].split(":"); String[] d = p[0].split("x");
    int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
    boolean tA = p.length > 1 && p[1].equals("tA");
    double secs = Double.parseDouble(args[2]);
    Class<?> par = Class.forName("dev.mp3.tensor.cpu.Parallel", true, cl);
    float[] A = new float[m*k], B = new float[k*n], C = new float[m*n];
    for (int rep = 0; rep < 5; rep++) {
      par.getMethod("setThreads", int.class).invoke(null, 2);
      for (int w = 0; w < 3; w++) g.invokeExact(1, m, n, k, A, 0, 0, tA, B, 0, 0, false, C, 0, 0);
      long s0 = System.nanoTime(); int pc = 0;
      while (System.nanoTime() - s0 < secs * 1e9) { g.invokeExact(1, m, n, k, A, 0, 0, tA, B, 0, 0, false, C, 0, 0); pc++; }
      System.out.printf("%s parallel on 2 threads: %.1f GFLOP/s%n", args[1], 2.0*m*n*k*pc/((System.nanoTime()-s0)*1e-9)*1e-9);
      par.getMethod("setThreads", int.class).invoke(null, 1);
    for (int threads : new int[]{1, 2}) {
      double[] rate = new double[threads]; Thread[] th = new Thread[threads];
      for (int t = 0; t < threads; t++) { final int tt = t; th[t] = new Thread(() -> {
        try {
          float[] a = new float[m*k], b = new float[k*n], c = new float[m*n];
          java.util.Random r = new java.util.Random(tt); for (int i=0;i<a.length;i++) a[i]=r.nextFloat(); for (int i=0;i<b.length;i++) b[i]=r.nextFloat();
          for (int w = 0; w < 3; w++) g.invokeExact(1, m, n, k, a, 0, 0, tA, b, 0, 0, false, c, 0, 0);
          long t0 = System.nanoTime(); int calls = 0;
          while (System.nanoTime() - t0 < secs * 1e9) { g.invokeExact(1, m, n, k, a, 0, 0, tA, b, 0, 0, false, c, 0, 0); calls++; }
          rate[tt] = 2.0*m*n*k*calls/((System.nanoTime()-t0)*1e-9)*1e-9;
        } catch (Throwable e) { throw new RuntimeException(e); } }); th[t].start(); }
      for (Thread t : th) t.join();
      System.out.printf("%s %d concurrent: %s GFLOP/s each%n", args[1], threads, java.util.Arrays.toString(java.util.Arrays.stream(rate).map(x -> Math.round(x*10)/10.0).toArray()));
    }}
  }
}

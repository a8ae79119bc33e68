import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Scratch A/B: the SGEMM of several builds of the tensor classes, each in its own class loader,
 * timed in alternating 0.25 s windows of thread CPU time on the same shapes; best window each.
 * args: threads, shapes (comma list, "" = default), rounds, then build directories.
 */
public class Ab {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Throwable {
        int threads = Integer.parseInt(args[0]);
        String[] shapes = (!args[1].isEmpty() ? args[1] : "256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,6400x192x576,6400x192x768,6400x768x192,6400x192x192,6400x192x576:tB,576x6400x192,576x6400x192:tA,192x6400x768:tA").split(",");
        int rounds = Integer.parseInt(args[2]);
        int builds = args.length - 3;
        MethodHandle[] gemm = new MethodHandle[builds];
        for (int v = 0; v < builds; v++) {
            ClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[3 + v]).toUri().toURL()}, Ab.class.getClassLoader().getParent());
            Class<?> par = Class.forName("dev.mp3.tensor.cpu.Parallel", true, cl);
            par.getMethod("setThreads", int.class).invoke(null, threads);
            Class<?> g = Class.forName("dev.mp3.tensor.cpu.GemmKernels", true, cl);
            gemm[v] = MethodHandles.publicLookup().findStatic(g, "gemm", MethodType.methodType(void.class,
                    int.class, int.class, int.class, int.class, float[].class, int.class, int.class, boolean.class,
                    float[].class, int.class, int.class, boolean.class, float[].class, int.class, int.class));
        }
        System.out.print("| shape |");
        for (int v = 0; v < builds; v++) System.out.print(" " + Path.of(args[3 + v]).getFileName() + " GFLOP/s |");
        for (int v = 1; v < builds; v++) System.out.print(" v" + v + "/v0 |");
        System.out.println();
        for (String s : shapes) {
            String[] p = s.split(":");
            String[] d = p[0].split("x");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            boolean tA = p.length > 1 && p[1].equals("tA"), tB = p.length > 1 && p[1].equals("tB");
            int sets = Integer.getInteger("sets", 1);
            float[][] as = new float[sets][], cs = new float[sets][];
            float[] b = new float[k * n];
            java.util.Random r = new java.util.Random(1);
            for (int q = 0; q < sets; q++) {
                as[q] = new float[m * k];
                cs[q] = new float[m * n];
                for (int i = 0; i < as[q].length; i++) as[q][i] = r.nextFloat();
            }
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
            double[] best = new double[builds];
            for (int round = 0; round < rounds; round++) {
                for (int v = 0; v < builds; v++) {
                    long t0 = System.nanoTime(), c0 = cpu(threads);
                    int calls = 0;
                    while (System.nanoTime() - t0 < 250_000_000L) {
                        gemm[v].invokeExact(1, m, n, k, as[calls % sets], 0, 0, tA, b, 0, 0, tB, cs[calls % sets], 0, 0);
                        calls++;
                    }
                    double sec = threads == 1 ? (cpu(threads) - c0) * 1e-9 : (System.nanoTime() - t0) * 1e-9;
                    best[v] = Math.max(best[v], 2.0 * m * n * k * calls / sec * 1e-9);
                }
            }
            StringBuilder out = new StringBuilder("| " + s + " |");
            for (int v = 0; v < builds; v++) out.append(String.format(" %.1f |", best[v]));
            for (int v = 1; v < builds; v++) out.append(String.format(" %.2f |", best[v] / best[0]));
            System.out.println(out);
        }
    }

    static long cpu(int threads) {
        return T.getCurrentThreadCpuTime();
    }
}

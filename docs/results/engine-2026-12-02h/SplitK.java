import dev.mp3.bench.OpenBlas;
import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;
import java.lang.foreign.*;
import java.util.*;

/** Weight gradients: ours (2 threads), split-K prototype (two halves, one per thread, then a sum), OpenBLAS; rotating windows. */
public class SplitK {
    static double window(Runnable r, double flops, double sec) throws Exception {
        Thread.sleep(150);
        long t0 = System.nanoTime(), until = t0 + (long) (sec * 1e9), n = 0, now;
        do { r.run(); n++; now = System.nanoTime(); } while (now < until);
        return flops * n / (now - t0);
    }
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int parts = Integer.parseInt(args[1]);
        OpenBlas blas = OpenBlas.load(); blas.threads(2); Parallel.setThreads(2);
        System.out.println(blas.config());
        for (String sh : Arrays.copyOfRange(args, 2, args.length)) {
            String[] d = sh.split("x"); int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            SplittableRandom rnd = new SplittableRandom(sh.hashCode());
            float[] a = new float[k * m], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() - .5);
            for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextDouble() - .5);
            float[][] cs = new float[parts][m * n];
            Arena ar = Arena.ofConfined();
            MemorySegment na = ar.allocate((long) a.length * 4, 64), nb = ar.allocate((long) b.length * 4, 64), nc = ar.allocate((long) c.length * 4, 64);
            MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
            MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);
            Runnable ours = () -> GemmKernels.gemm(1, m, n, k, a, 0, 0, true, b, 0, 0, false, c, 0, 0);
            Runnable split = () -> {
                Parallel.forEach(parts, (lo, hi) -> {
                    for (int p = lo; p < hi; p++) {
                        int k0 = (int) ((long) p * k / parts), k1 = (int) ((long) (p + 1) * k / parts);
                        GemmKernels.gemm(1, m, n, k1 - k0, a, k0 * m, 0, true, b, k0 * n, 0, false, cs[p], 0, 0);
                    }
                });
                float[] c0 = cs[0];
                Parallel.forRange(m * n, 4096, (lo, hi) -> { for (int i = lo; i < hi; i++) { float s = c0[i]; for (int p = 1; p < parts; p++) s += cs[p][i]; c[i] = s; } });
            };
            Runnable theirs = () -> blas.sgemm(true, false, m, n, k, na, nb, nc);
            double fl = 2.0 * m * n * k;
            Runnable[] rs = {ours, split, theirs};
            for (Runnable r : rs) { window(r, fl, .3); window(r, fl, .3); }
            double[][] g = new double[3][rounds];
            for (int r = 0; r < rounds; r++) for (int j = 0; j < 3; j++) { int i = (r + j) % 3; g[i][r] = window(rs[i], fl, .25); }
            double[] mean = new double[3];
            for (int i = 0; i < 3; i++) mean[i] = Arrays.stream(g[i]).average().orElse(0);
            System.out.printf("%s:tA ours %.1f split%d %.1f openblas %.1f | ours/blas %.2f split/blas %.2f split/ours %.2f%n", sh, mean[0], parts, mean[1], mean[2], mean[0] / mean[2], mean[1] / mean[2], mean[1] / mean[0]);
        }
        System.exit(0);
    }
}

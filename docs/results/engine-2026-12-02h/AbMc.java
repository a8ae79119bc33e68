package dev.mp3.tensor.cpu;

import dev.mp3.bench.OpenBlas;
import java.lang.foreign.*;
import java.util.*;

/** Measurement build: PackedGemm as committed (A) and with panels outer / KC 128 (B), and OpenBLAS, rotating windows. */
public class AbMc {
    static final int MCB = Integer.getInteger("mcb", 240);
    static double window(Runnable r, double flops, double sec) throws Exception {
        Thread.sleep(120);
        long t0 = System.nanoTime(), until = t0 + (long) (sec * 1e9), n = 0, now;
        do { r.run(); n++; now = System.nanoTime(); } while (now < until);
        return flops * n / (now - t0);
    }
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.getInteger("threads", 2);
        OpenBlas blas = OpenBlas.load(); blas.threads(threads); Parallel.setThreads(threads);
        PackedGemm.SWAP = false;
        System.out.println("threads " + threads + " MC 120 (A) vs " + MCB + " (B)");
        for (String sh : Arrays.copyOfRange(args, 1, args.length)) {
            boolean tB = sh.endsWith(":tB");
            String[] d = sh.replace(":tB", "").split("x"); int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            SplittableRandom rnd = new SplittableRandom(sh.hashCode());
            float[] a = new float[m * k], b = new float[k * n], c1 = new float[m * n], c2 = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() - .5);
            for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextDouble() - .5);
            Arena ar = Arena.ofConfined();
            MemorySegment na = ar.allocate((long) a.length * 4, 64), nb = ar.allocate((long) b.length * 4, 64), nc = ar.allocate((long) m * n * 4, 64);
            MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
            MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);
            Runnable[] rs = {
                () -> { PackedGemm.MC = 120; GemmKernels.gemm(1, m, n, k, a, 0, 0, false, b, 0, 0, tB, c1, 0, 0); },
                () -> { PackedGemm.MC = MCB; GemmKernels.gemm(1, m, n, k, a, 0, 0, false, b, 0, 0, tB, c2, 0, 0); },
                () -> blas.sgemm(false, tB, m, n, k, na, nb, nc) };
            double fl = 2.0 * m * n * k;
            for (Runnable r : rs) window(r, fl, .3);
            double[][] g = new double[3][rounds];
            for (int r = 0; r < rounds; r++) for (int j = 0; j < 3; j++) { int i = (r + j) % 3; g[i][r] = window(rs[i], fl, .25); }
            double[] mean = new double[3];
            for (int i = 0; i < 3; i++) mean[i] = Arrays.stream(g[i]).average().orElse(0);
            System.out.printf("%s (%s) A %.1f B %.1f blas %.1f | B/A %.2f | A/blas %.2f B/blas %.2f%n", sh, GemmKernels.kernelFor(m, n, k, false, tB), mean[0], mean[1], mean[2], mean[1] / mean[0], mean[0] / mean[2], mean[1] / mean[2]);
        }
        System.exit(0);
    }
}

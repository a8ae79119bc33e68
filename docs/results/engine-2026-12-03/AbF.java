package dev.mp3.tensor.cpu;

import dev.mp3.bench.OpenBlas;
import java.lang.foreign.*;
import java.util.*;

/** Weight gradients C = A^T B through KOuterGemm straight and on C^T, and OpenBLAS; windows rotating in one JVM. */
public class AbF {
    static double window(Runnable r, double flops, double sec) throws InterruptedException {
        Thread.sleep(120);
        long t0 = System.nanoTime(), until = t0 + (long) (sec * 1e9), n = 0, now;
        do { r.run(); n++; now = System.nanoTime(); } while (now < until);
        return flops * n / (now - t0);
    }
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.getInteger("threads", 2);
        OpenBlas blas = OpenBlas.load(); blas.threads(threads); Parallel.setThreads(threads);
        MicroKernel kernel = GemmKernels.MICRO_KERNEL;
        System.out.println("threads " + threads + ", " + java.time.Instant.now() + "  columns: F = 1, F K blocks folded (-Df), OpenBLAS (GFLOP/s); ratios to OpenBLAS; F/1 median (range) over rounds; choose()");
        for (String sh : Arrays.copyOfRange(args, 1, args.length)) {
            String[] d = sh.split("x");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            SplittableRandom rnd = new SplittableRandom(sh.hashCode());
            float[] a = new float[k * m], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() - .5);
            for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextDouble() - .5);
            GemmOperand ga = GemmOperand.of(a, 0, 0, true, m, k), gb = GemmOperand.of(b, 0, 0, false, k, n);
            boolean straight = GemmKernels.choose(kernel, 1, m, n, k, ga, gb) == GemmKernels.Kernel.K_OUTER;
            int FS = Integer.getInteger("f", 2);
            float[] c0 = new float[m * n], c1 = new float[m * n];
            GemmOperand g0 = GemmOperand.of(c0, 0, 0, false, m, n), g1 = GemmOperand.of(c1, 0, 0, false, m, n);
            Arena arena = Arena.ofConfined();
            MemorySegment na = arena.allocate((long) a.length * 4, 64), nb = arena.allocate((long) b.length * 4, 64), nc = arena.allocate((long) m * n * 4, 64);
            MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
            MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);
            List<Runnable> calls = List.of(
                () -> { KOuterF.F = 1; if (straight) KOuterF.gemm(kernel, m, n, k, ga, gb, g0, null); else KOuterF.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), g0.transposed(), null); },
                () -> { KOuterF.F = FS; if (straight) KOuterF.gemm(kernel, m, n, k, ga, gb, g1, null); else KOuterF.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), g1.transposed(), null); },
                () -> blas.sgemm(true, false, m, n, k, na, nb, nc));
            double flops = 2.0 * m * n * k;
            int V = calls.size();
            for (Runnable r : calls) window(r, flops, .3);
            double[][] rate = new double[V][rounds];
            for (int r = 0; r < rounds; r++) for (int j = 0; j < V; j++) { int i = (r + j) % V; rate[i][r] = window(calls.get(i), flops, .25); }
            double[] mean = new double[V];
            for (int i = 0; i < V; i++) mean[i] = Arrays.stream(rate[i]).average().orElse(0);
            double[] rel = new double[rounds];
            for (int r = 0; r < rounds; r++) rel[r] = rate[1][r] / rate[0][r];
            Arrays.sort(rel);
            System.out.print(Arrays.equals(c0, c1) ? "same bits " : "DIFFERENT ");
            System.out.printf("%-16s %6.1f %6.1f %6.1f | %.2f %.2f | F/1 %.2f (%.2f-%.2f) | choose %s%n",
                    sh, mean[0], mean[1], mean[2], mean[0] / mean[2], mean[1] / mean[2], rel[rounds / 2], rel[0], rel[rounds - 1],
                    GemmKernels.choose(kernel, 1, m, n, k, ga, gb));
        }
        System.exit(0);
    }
}

package dev.mp3.tensor.cpu;

import dev.mp3.bench.OpenBlas;
import java.lang.foreign.*;
import java.util.*;

/** Weight gradients C = A^T B: committed KOuterGemm, A read in place, A in place + balanced spans, OpenBLAS; windows rotating. */
public class Ab4 {
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
        System.out.println("threads " + threads + ", " + java.time.Instant.now() + "  columns: committed, inPlace, inPlace+balanced, OpenBLAS (GFLOP/s), then ratios to OpenBLAS");
        for (String sh : Arrays.copyOfRange(args, 1, args.length)) {
            String[] d = sh.split("x");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            SplittableRandom rnd = new SplittableRandom(sh.hashCode());
            float[] a = new float[k * m], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() - .5);
            for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextDouble() - .5);
            GemmOperand ga = GemmOperand.of(a, 0, 0, true, m, k), gb = GemmOperand.of(b, 0, 0, false, k, n);
            String o = System.getProperty("orient", "auto"); boolean straight = o.equals("auto") ? GemmKernels.choose(kernel, 1, m, n, k, ga, gb) == GemmKernels.Kernel.K_OUTER : o.equals("straight");
            float[][] cs = new float[3][m * n];
            Arena arena = Arena.ofConfined();
            MemorySegment na = arena.allocate((long) a.length * 4, 64), nb = arena.allocate((long) b.length * 4, 64), nc = arena.allocate((long) m * n * 4, 64);
            MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
            MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);
            List<Runnable> calls = new ArrayList<>();
            GemmOperand g0 = GemmOperand.of(cs[0], 0, 0, false, m, n);
            calls.add(() -> { if (straight) KOuterGemm.gemm(kernel, m, n, k, ga, gb, g0, null); else KOuterGemm.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), g0.transposed(), null); });
            for (int v = 1; v <= 2; v++) {
                boolean bal = v == 2;
                GemmOperand gv = GemmOperand.of(cs[v], 0, 0, false, m, n);
                calls.add(() -> { KOuterStep.BALANCED = bal; if (straight) KOuterStep.gemm(kernel, m, n, k, ga, gb, gv, null); else KOuterStep.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), gv.transposed(), null); });
            }
            calls.add(() -> blas.sgemm(true, false, m, n, k, na, nb, nc));
            double flops = 2.0 * m * n * k;
            int V = calls.size();
            for (Runnable r : calls) window(r, flops, .3);
            double[][] rate = new double[V][rounds];
            for (int r = 0; r < rounds; r++) for (int j = 0; j < V; j++) { int i = (r + j) % V; rate[i][r] = window(calls.get(i), flops, .25); }
            double[] mean = new double[V];
            for (int i = 0; i < V; i++) mean[i] = Arrays.stream(rate[i]).average().orElse(0);
            boolean same1 = Arrays.equals(cs[0], cs[1]);
            System.out.printf("%-16s %-8s %6.1f %6.1f %6.1f %6.1f | %.2f %.2f %.2f | inPlace/committed %.2f balanced/inPlace %.2f | inPlace same bits %b%n",
                    sh, straight ? "straight" : "C^T", mean[0], mean[1], mean[2], mean[3], mean[0] / mean[3], mean[1] / mean[3], mean[2] / mean[3], mean[1] / mean[0], mean[2] / mean[1], same1);
        }
        System.exit(0);
    }
}

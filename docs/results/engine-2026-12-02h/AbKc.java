package dev.mp3.tensor.cpu;

import dev.mp3.bench.OpenBlas;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Weight gradients C = A^T B (A [k, m], B [k, n]) in one JVM: the K-outer GEMM before this change
 * (KOuterGemmOld: K blocks shared by all threads, a wait after each), after it (KOuterGemm: spans
 * of k, each a task of its own), and OpenBLAS, windows rotating so each round sees the same host.
 * Needs a build with a8d06b4's KOuterGemm copied in as KOuterGemmOld (abw-setup.sh).
 *
 * java -Dthreads=2 ... dev.mp3.tensor.cpu.AbW ROUNDS MxKxN...
 */
public class AbKc {
    static final int KCX = Integer.getInteger("kc", 512);
    static double window(Runnable r, double flops, double sec) throws InterruptedException {
        Thread.sleep(120);   // OpenBLAS's threads spin after a call
        long t0 = System.nanoTime();
        long until = t0 + (long) (sec * 1e9);
        long n = 0;
        long now;
        do {
            r.run();
            n++;
            now = System.nanoTime();
        } while (now < until);
        return flops * n / (now - t0);
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.getInteger("threads", 2);
        OpenBlas blas = OpenBlas.load();
        blas.threads(threads);
        Parallel.setThreads(threads);
        MicroKernel kernel = GemmKernels.MICRO_KERNEL;
        System.out.println("threads " + threads + ", " + blas.config() + ", " + java.time.Instant.now());
        for (String sh : Arrays.copyOfRange(args, 1, args.length)) {
            String[] d = sh.split("x");
            int m = Integer.parseInt(d[0]);
            int k = Integer.parseInt(d[1]);
            int n = Integer.parseInt(d[2]);
            SplittableRandom rnd = new SplittableRandom(sh.hashCode());
            float[] a = new float[k * m];
            float[] b = new float[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rnd.nextDouble() - .5);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (rnd.nextDouble() - .5);
            }
            GemmOperand ga = GemmOperand.of(a, 0, 0, true, m, k);
            GemmOperand gb = GemmOperand.of(b, 0, 0, false, k, n);
            // The orientation GemmKernels picks for this shape, for both builds.
            boolean straight = GemmKernels.choose(kernel, 1, m, n, k, ga, gb) == GemmKernels.Kernel.K_OUTER;
            float[] cOld = new float[m * n];
            float[] cNew = new float[m * n];
            GemmOperand gOld = GemmOperand.of(cOld, 0, 0, false, m, n);
            GemmOperand gNew = GemmOperand.of(cNew, 0, 0, false, m, n);
            Arena arena = Arena.ofConfined();
            MemorySegment na = arena.allocate((long) a.length * 4, 64);
            MemorySegment nb = arena.allocate((long) b.length * 4, 64);
            MemorySegment nc = arena.allocate((long) m * n * 4, 64);
            MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
            MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);
            List<Runnable> calls = new ArrayList<>();
            calls.add(() -> {
                if (straight) {
                    KOuterGemm.KC_B = 256; KOuterGemm.gemm(kernel, m, n, k, ga, gb, gOld, null);
                } else {
                    KOuterGemm.KC_B = 256; KOuterGemm.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), gOld.transposed(), null);
                }
            });
            calls.add(() -> {
                if (straight) {
                    KOuterGemm.KC_B = KCX; KOuterGemm.gemm(kernel, m, n, k, ga, gb, gNew, null);
                } else {
                    KOuterGemm.KC_B = KCX; KOuterGemm.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), gNew.transposed(), null);
                }
            });
            calls.add(() -> blas.sgemm(true, false, m, n, k, na, nb, nc));
            double flops = 2.0 * m * n * k;
            for (Runnable r : calls) {
                window(r, flops, .3);
            }
            double[][] rate = new double[3][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < 3; j++) {
                    int i = (r + j) % 3;
                    rate[i][r] = window(calls.get(i), flops, .25);
                }
            }
            double[] mean = new double[3];
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (int i = 0; i < 3; i++) {
                mean[i] = Arrays.stream(rate[i]).average().orElse(0);
            }
            for (int r = 0; r < rounds; r++) {
                lo = Math.min(lo, rate[1][r] / rate[0][r]);
                hi = Math.max(hi, rate[1][r] / rate[0][r]);
            }
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < cOld.length; i++) {
                diff = Math.max(diff, Math.abs((double) cOld[i] - cNew[i]));
                scale = Math.max(scale, Math.abs(cOld[i]));
            }
            System.out.printf("%s:tA (%s)  GFLOP/s before %.1f, after %.1f, OpenBLAS %.1f | after/before %.2f (rounds %.2f-%.2f)"
                            + " | before/OpenBLAS %.2f, after/OpenBLAS %.2f | max |after - before| / max |C| %.1e%n",
                    sh, straight ? "straight" : "as C^T", mean[0], mean[1], mean[2], mean[1] / mean[0], lo, hi,
                    mean[0] / mean[2], mean[1] / mean[2], diff / scale);
        }
        System.exit(0);
    }
}

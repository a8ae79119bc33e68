package dev.mp3.tensor.cpu;
import java.util.*;
public class T2 {
    public static void main(String[] args) {
        Parallel.setThreads(Integer.getInteger("threads", 2));
        MicroKernel kernel = GemmKernels.MICRO_KERNEL;
        System.out.println("the summing pass's time per call, ms (and share of the call), old (a25be98) / new, alternating blocks of 40 calls, 10 rounds; " + java.time.Instant.now());
        for (String sh : args) {
            String[] d = sh.split("x");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            float[] a = new float[k * m], b = new float[k * n], c = new float[m * n];
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() - .5);
            for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextDouble() - .5);
            GemmOperand ga = GemmOperand.of(a, 0, 0, true, m, k), gb = GemmOperand.of(b, 0, 0, false, k, n), gc = GemmOperand.of(c, 0, 0, false, m, n);
            boolean straight = GemmKernels.choose(kernel, 1, m, n, k, ga, gb) == GemmKernels.Kernel.K_OUTER;
            Runnable r1 = () -> { if (straight) KOuterT.gemm(kernel, m, n, k, ga, gb, gc, null); else KOuterT.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(), null); };
            Runnable r2 = () -> { if (straight) KOuterT2.gemm(kernel, m, n, k, ga, gb, gc, null); else KOuterT2.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(), null); };
            for (int i = 0; i < 30; i++) { r1.run(); r2.run(); }
            KOuterT.SUM = KOuterT.ALL = KOuterT2.SUM = KOuterT2.ALL = 0;
            double[] rel = new double[10];
            for (int round = 0; round < 10; round++) {
                long s1 = KOuterT.SUM, s2 = KOuterT2.SUM;
                for (int i = 0; i < 40; i++) r1.run();
                for (int i = 0; i < 40; i++) r2.run();
                rel[round] = (double) (KOuterT2.SUM - s2) / (KOuterT.SUM - s1);
            }
            Arrays.sort(rel);
            System.out.printf("%-14s %s spans %d: old %.3f ms (%.1f %%), new %.3f ms (%.1f %%); new/old per round median %.2f (%.2f-%.2f)%n", sh, straight ? "straight  " : "transposed", KOuterX.spans(k),
                KOuterT.SUM / 400e6, 100.0 * KOuterT.SUM / KOuterT.ALL, KOuterT2.SUM / 400e6, 100.0 * KOuterT2.SUM / KOuterT2.ALL, rel[5], rel[0], rel[9]);
        }
    }
}

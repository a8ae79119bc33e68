package dev.mp3.bench;

import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Which orientation of the packed SGEMM is faster, straight (C = op(A) op(B)) or transposed (C^T =
 * op(B)^T op(A)^T), and which one {@code GemmKernels} picks, for the products of TC-ResNet8's
 * convolutions (batch 100) and of the ViT step. The two orientations alternate in one process, so
 * their ratio holds under machine load; best of {@code --reps} calls each.
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.mp3.bench.GemmOrientationBench \
 *      [--threads 1] [--reps 30] [--only-gemm false]</pre>
 * {@code --only-gemm true} times only {@code GemmKernels.gemm} as a model calls it (its own
 * choice), through API that older builds have too: with an older build's tensor classes first on
 * the class path, it times that build's SGEMM on the same shapes.
 */
public final class GemmOrientationBench {
    private GemmOrientationBench() {}

    /** name, M, N, K, A stored transposed, B stored transposed. */
    private static final Object[][] SHAPES = {
        {"conv weight gradient (24 ch, K 9)", 24, 216, 4900, false, true},
        {"conv weight gradient (16 ch, K 3 of 40)", 16, 120, 9800, false, true},
        {"conv weight gradient (48 ch)", 48, 432, 1300, false, true},
        {"conv forward W x columns", 24, 4900, 216, false, false},
        {"conv input gradient W^T dY", 216, 4900, 24, true, false},
        {"ViT x W^T (192 -> 768)", 6400, 768, 192, false, true},
        {"ViT dW = dY^T x", 192, 768, 6400, true, false},
        {"MP3 position head x W^T (192 -> 49)", 6272, 49, 192, false, true},
        {"few columns: x W (192 -> 3)", 6400, 3, 192, false, false},
        {"few columns: x W (192 -> 10)", 6400, 10, 192, false, false},
    };

    public static void main(String[] args) {
        var opt = StepBench.parse(args);
        int threads = Integer.parseInt(opt.getOrDefault("threads", "1"));
        int reps = Integer.parseInt(opt.getOrDefault("reps", "30"));
        Parallel.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(1);
        boolean onlyGemm = Boolean.parseBoolean(opt.getOrDefault("only-gemm", "false"));
        if (onlyGemm) {
            System.out.printf(Locale.ROOT, "GemmKernels.gemm, %d thread(s), best of %d calls each%n", threads, reps);
            System.out.println("| product | M x N x K | gemm ms | GFLOP/s |");
            System.out.println("|---|---|---:|---:|");
            for (Object[] s : SHAPES) {
                int m = (int) s[1];
                int n = (int) s[2];
                int k = (int) s[3];
                boolean ta = (boolean) s[4];
                boolean tb = (boolean) s[5];
                float[] a = MatMulBench.random(rnd, m * k);
                float[] b = MatMulBench.random(rnd, k * n);
                float[] c = new float[m * n];
                double best = Double.MAX_VALUE;
                for (int rep = 0; rep < 2 * reps; rep++) {
                    long t0 = System.nanoTime();
                    GemmKernels.gemm(1, m, n, k, a, 0, 0, ta, b, 0, 0, tb, c, 0, 0);
                    best = Math.min(best, (System.nanoTime() - t0) * 1e-6);
                }
                System.out.printf(Locale.ROOT, "| %s | %d x %d x %d%s%s | %.3f | %.1f |%n", s[0], m, n, k,
                        ta ? " (A^T)" : "", tb ? " (B^T)" : "", best, 2e-6 * m * n * k / best);
            }
            return;
        }
        System.out.printf(Locale.ROOT, "packed SGEMM by orientation, %d thread(s), best of %d calls each%n", threads, reps);
        System.out.println("| product | M x N x K | straight ms | transposed ms | straight / transposed | chosen |");
        System.out.println("|---|---|---:|---:|---:|---|");
        for (Object[] s : SHAPES) {
            int m = (int) s[1];
            int n = (int) s[2];
            int k = (int) s[3];
            boolean ta = (boolean) s[4];
            boolean tb = (boolean) s[5];
            float[] a = MatMulBench.random(rnd, m * k);
            float[] b = MatMulBench.random(rnd, k * n);
            float[] c = new float[m * n];
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int rep = 0; rep < reps; rep++) {
                for (int o = 0; o < 2; o++) {
                    long t0 = System.nanoTime();
                    GemmKernels.gemmPacked(o == 1, m, n, k, a, ta, b, tb, c);
                    best[o] = Math.min(best[o], (System.nanoTime() - t0) * 1e-6);
                }
            }
            System.out.printf(Locale.ROOT, "| %s | %d x %d x %d%s%s | %.3f | %.3f | %.2f | %s |%n", s[0], m, n, k,
                    ta ? " (A^T)" : "", tb ? " (B^T)" : "", best[0], best[1], best[0] / best[1],
                    GemmKernels.kernelFor(m, n, k, ta, tb));
        }
    }
}

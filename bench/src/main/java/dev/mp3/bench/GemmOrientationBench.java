package dev.mp3.bench;

import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;

import java.util.List;
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

    /** One product C [m, n] = op(A) op(B) over k, A stored [k, m] when transA, B stored [n, k] when transB. */
    private record Product(String name, int m, int n, int k, boolean transA, boolean transB) {
        String label() {
            return name + " | " + m + " x " + n + " x " + k + (transA ? " (A^T)" : "") + (transB ? " (B^T)" : "");
        }
    }

    private static final List<Product> PRODUCTS = List.of(
        new Product("conv weight gradient (24 ch, K 9)", 24, 216, 4900, false, true),
        new Product("conv weight gradient (16 ch, K 3 of 40)", 16, 120, 9800, false, true),
        new Product("conv weight gradient (48 ch)", 48, 432, 1300, false, true),
        new Product("conv forward W x columns", 24, 4900, 216, false, false),
        new Product("conv input gradient W^T dY", 216, 4900, 24, true, false),
        new Product("ViT x W^T (192 -> 768)", 6400, 768, 192, false, true),
        new Product("ViT dW = dY^T x (fc2)", 192, 768, 6400, true, false),
        new Product("ViT dW = dY^T x (qkv)", 576, 192, 6400, true, false),
        new Product("ViT dW = dY^T x (fc1)", 768, 192, 6400, true, false),
        new Product("ViT dW = dY^T x (projection)", 192, 192, 6400, true, false),
        new Product("MP3 position head x W^T (192 -> 49)", 6272, 49, 192, false, true),
        new Product("few columns: x W (192 -> 3)", 6400, 3, 192, false, false),
        new Product("few columns: x W (192 -> 10)", 6400, 10, 192, false, false));

    public static void main(String[] args) {
        var opt = StepBench.parse(args);
        int threads = Integer.parseInt(opt.getOrDefault("threads", "1"));
        int reps = Integer.parseInt(opt.getOrDefault("reps", "30"));
        boolean onlyGemm = Boolean.parseBoolean(opt.getOrDefault("only-gemm", "false"));
        Parallel.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(1);
        if (onlyGemm) {
            System.out.printf(Locale.ROOT, "GemmKernels.gemm, %d thread(s), best of %d calls each%n", threads, reps);
            System.out.println("| product | M x N x K | gemm ms | GFLOP/s |");
            System.out.println("|---|---|---:|---:|");
        } else {
            System.out.printf(Locale.ROOT, "packed SGEMM by orientation, %d thread(s), best of %d calls each%n", threads, reps);
            System.out.println("| product | M x N x K | straight ms | transposed ms | straight / transposed | chosen |");
            System.out.println("|---|---|---:|---:|---:|---|");
        }
        for (Product p : PRODUCTS) {
            float[] a = MatMulBench.random(rnd, p.m * p.k);
            float[] b = MatMulBench.random(rnd, p.k * p.n);
            float[] c = new float[p.m * p.n];
            if (onlyGemm) {
                double best = Double.MAX_VALUE;
                for (int rep = 0; rep < 2 * reps; rep++) {
                    long t0 = System.nanoTime();
                    GemmKernels.gemm(1, p.m, p.n, p.k, a, 0, 0, p.transA, b, 0, 0, p.transB, c, 0, 0);
                    best = Math.min(best, (System.nanoTime() - t0) * 1e-6);
                }
                System.out.printf(Locale.ROOT, "| %s | %.3f | %.1f |%n", p.label(), best, 2e-6 * p.m * p.n * p.k / best);
                continue;
            }
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int rep = 0; rep < reps; rep++) {
                for (int o = 0; o < 2; o++) {
                    long t0 = System.nanoTime();
                    GemmKernels.gemmPacked(o == 1, p.m, p.n, p.k, a, p.transA, b, p.transB, c);
                    best[o] = Math.min(best[o], (System.nanoTime() - t0) * 1e-6);
                }
            }
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2f | %s |%n", p.label(), best[0], best[1],
                    best[0] / best[1], GemmKernels.kernelFor(p.m, p.n, p.k, p.transA, p.transB));
        }
    }
}

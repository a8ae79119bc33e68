package dev.mp3.tensor.cpu;

/** n^2 on two threads through PackedGemmX with knobs, variants alternating in one JVM. */
public class SqX {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < a.length; i++) { a[i] = (float) r.nextDouble(); b[i] = (float) r.nextDouble(); }
        MicroKernel kernel = GemmKernels.MICRO_KERNEL;
        GemmOperand ga = GemmOperand.of(a, 0, 0, false, n, n), gb = GemmOperand.of(b, 0, 0, false, n, n), gc = GemmOperand.of(c, 0, 0, false, n, n);
        Parallel.setThreads(2);
        int[][] variants = {{4, 1 << 16}, {4, 1 << 12}, {1, 1 << 16}, {2, 1 << 16}, {8, 1 << 16}, {1, 1 << 12}};
        double flop = 2.0 * n * n * n;
        double[][] res = new double[variants.length][];
        int rounds = 8;
        for (int v = 0; v < variants.length; v++) res[v] = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < variants.length; v++) {
                PackedGemmX.PER_THREAD = variants[v][0]; PackedGemmX.MIN_PACK_FLOATS = variants[v][1];
                for (int w = 0; w < 100; w++) PackedGemmX.gemm(kernel, 1, n, n, n, ga, gb, gc);
                long t0 = System.nanoTime(); int calls = 0;
                while (System.nanoTime() - t0 < 200_000_000L) { PackedGemmX.gemm(kernel, 1, n, n, n, ga, gb, gc); calls++; }
                res[v][round] = flop * calls / (System.nanoTime() - t0);
            }
        }
        for (int v = 0; v < variants.length; v++) {
            double[] x = res[v].clone(); java.util.Arrays.sort(x);
            double[] rel = new double[rounds]; for (int i = 0; i < rounds; i++) rel[i] = res[v][i] / res[0][i];
            java.util.Arrays.sort(rel);
            System.out.printf("n %d per-thread tasks %d, min pack floats %d: median %.1f GFLOP/s, /first median %.3f (%.2f-%.2f)%n", n, variants[v][0], variants[v][1], x[rounds / 2], rel[rounds / 2], rel[0], rel[rounds - 1]);
        }
        System.exit(0);
    }
}

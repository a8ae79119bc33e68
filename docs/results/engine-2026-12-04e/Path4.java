package dev.mp3.tensor.cpu;
import dev.mp3.tensor.*;



public class Path4 {
    public static void main(String[] args) {
        Parallel.setThreads(Integer.parseInt(args[0]));
        int m = 6400, k = 192, n = 768;
        Rng rng = new Rng(1);
        Tensor a = rng.normal(0f, 1f, m, k), b = rng.normal(0f, 1f, k, n);
        float[] af = a.toFloatArray(), bf = b.toFloatArray(), c = new float[m * n];
        float[][] cs = {new float[m * n], new float[m * n]};
        java.util.concurrent.atomic.AtomicInteger ci = new java.util.concurrent.atomic.AtomicInteger();
        double f = 2.0 * m * n * k;
        double[][] r = new double[3][30];
        for (int round = 0; round < 34; round++) {
            int reps = 8;
            for (int q = 0; q < 3; q++) {
                int v = (q + round) % 3;
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    if (v == 0) GemmKernels.gemm(1, m, n, k, af, 0, 0, false, bf, 0, 0, false, c, 0, 0);
                    else if (v == 1) { try (MemoryScope s = MemoryScope.open()) { Tensor.matmul(a, false, b, false); } }
                    else { try (MemoryScope s = MemoryScope.open()) { Tensor out = new Tensor(CpuStorage.recycled(m * n), new int[] {m, n}); GemmKernels.gemm(1, m, n, k, af, 0, 0, false, bf, 0, 0, false, CpuStorage.floats(out), 0, 0); } }
                }
                long t1 = System.nanoTime();
                if (round >= 4) r[v][round - 4] = f * reps / (t1 - t0);
            }
        }
        for (double[] x : r) java.util.Arrays.sort(x);
        System.out.printf("medians: direct gemm %.0f, Tensor.matmul in a closed scope (pooled) %.0f, direct gemm into a pooled output in a scope %.0f GFLOP/s%n", r[0][15], r[1][15], r[2][15]);
    }
}

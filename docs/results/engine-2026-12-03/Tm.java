package dev.mp3.tensor.cpu;

/** n^2 on two threads, PackedGemmX's least floats per packing range switched; per-call times (min, 10th pct, median) over blocks of calls, alternating. */
public class Tm {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int[] packs = {1 << 16, 1 << 12, 1 << 14};
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < a.length; i++) { a[i] = (float) r.nextDouble(); b[i] = (float) r.nextDouble(); }
        MicroKernel kernel = GemmKernels.MICRO_KERNEL;
        GemmOperand ga = GemmOperand.of(a, 0, 0, false, n, n), gb = GemmOperand.of(b, 0, 0, false, n, n), gc = GemmOperand.of(c, 0, 0, false, n, n);
        Parallel.setThreads(Integer.getInteger("threads", 2));
        int calls = 300, rounds = 12;
        long[][][] t = new long[packs.length][rounds][calls];
        long[][][] pk = new long[packs.length][rounds][calls];
        for (int w = 0; w < 3000; w++) { PackedGemmX.MIN_PACK_FLOATS = packs[w % packs.length]; PackedGemmX.gemm(kernel, 1, n, n, n, ga, gb, gc); }
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < packs.length; v++) {
                PackedGemmX.MIN_PACK_FLOATS = packs[v];
                for (int w = 0; w < 20; w++) PackedGemmX.gemm(kernel, 1, n, n, n, ga, gb, gc);
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    PackedGemmX.gemm(kernel, 1, n, n, n, ga, gb, gc);
                    t[v][round][i] = System.nanoTime() - t0;
                    pk[v][round][i] = PackedGemmX.TPACKED - t0;
                }
            }
        }
        for (int v = 0; v < packs.length; v++) {
            long[] all = java.util.Arrays.stream(t[v]).flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            long[] p = java.util.Arrays.stream(pk[v]).flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            double gf = 2.0 * n * n * n / all[all.length / 2];
            System.out.printf("n %d min pack floats %6d: call min %.1f p10 %.1f median %.1f us (median %.1f GFLOP/s); packed after: median %.1f us%n",
                    n, packs[v], all[0] / 1e3, all[all.length / 10] / 1e3, all[all.length / 2] / 1e3, gf, p[p.length / 2] / 1e3);
        }
        System.exit(0);
    }
}

package dev.mp3.tensor.cpu;

/** n^2 on one thread alone, two independent one-thread products at once, and the two-thread product. */
public class Two2 {
    static volatile boolean stop;
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        float[][] a = new float[2][n * n], b = new float[2][n * n], c = new float[2][n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int s = 0; s < 2; s++) for (int i = 0; i < n * n; i++) { a[s][i] = (float) r.nextDouble(); b[s][i] = (float) r.nextDouble(); }
        double flop = 2.0 * n * n * n;
        for (int round = 0; round < 6; round++) {
            Parallel.setThreads(1);
            long t0 = System.nanoTime(); int calls = 0;
            while (System.nanoTime() - t0 < 300_000_000L) { GemmKernels.gemm(1, n, n, n, a[0], 0, 0, false, b[0], 0, 0, false, c[0], 0, 0); calls++; }
            double one = flop * calls / (System.nanoTime() - t0);
            long[] cnt = new long[2];
            Thread[] th = new Thread[2];
            stop = false;
            for (int s = 0; s < 2; s++) { int ss = s; th[s] = new Thread(() -> { while (!stop) { GemmKernels.gemm(1, n, n, n, a[ss], 0, 0, false, b[ss], 0, 0, false, c[ss], 0, 0); cnt[ss]++; } }); }
            for (Thread t : th) t.start();
            Thread.sleep(50); long c0 = cnt[0] + cnt[1]; t0 = System.nanoTime();
            Thread.sleep(300); long c1 = cnt[0] + cnt[1]; double twoIndep = flop * (c1 - c0) / (System.nanoTime() - t0);
            stop = true; for (Thread t : th) t.join();
            Parallel.setThreads(2);
            for (int w = 0; w < 50; w++) GemmKernels.gemm(1, n, n, n, a[0], 0, 0, false, b[0], 0, 0, false, c[0], 0, 0);
            t0 = System.nanoTime(); calls = 0;
            while (System.nanoTime() - t0 < 300_000_000L) { GemmKernels.gemm(1, n, n, n, a[0], 0, 0, false, b[0], 0, 0, false, c[0], 0, 0); calls++; }
            double two = flop * calls / (System.nanoTime() - t0);
            System.out.printf("n %d: one thread %.1f, two independent (sum) %.1f, two-thread product %.1f GFLOP/s%n", n, one / 1, twoIndep, two);
        }
        System.exit(0);
    }
}

package dev.mp3.tensor.cpu;

public class Tr {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < a.length; i++) { a[i] = (float) r.nextDouble(); b[i] = (float) r.nextDouble(); }
        MicroKernel kernel = GemmKernels.MICRO_KERNEL;
        GemmOperand ga = GemmOperand.of(a, 0, 0, false, n, n), gb = GemmOperand.of(b, 0, 0, false, n, n), gc = GemmOperand.of(c, 0, 0, false, n, n);
        Parallel.setThreads(2);
        for (int w = 0; w < 3000; w++) PackedGemmX.gemm(kernel, 1, n, n, n, ga, gb, gc);
        for (int rep = 0; rep < 6; rep++) {
            for (int w = 0; w < 200; w++) PackedGemmX.gemm(kernel, 1, n, n, n, ga, gb, gc);
            PackedGemmX.TRACE = new long[64][4];
            long t0 = System.nanoTime();
            PackedGemmX.gemm(kernel, 1, n, n, n, ga, gb, gc);
            long t1 = System.nanoTime();
            long[][] tr = PackedGemmX.TRACE; PackedGemmX.TRACE = null;
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("call %.1f us, packed at %.1f: ", (t1 - t0) / 1e3, (PackedGemmX.TPACKED - t0) / 1e3));
            long caller = Thread.currentThread().getName().hashCode();
            for (int t = 0; t < 64; t++) if (tr[t][1] != 0) sb.append(String.format("[%d %s %.1f-%.1f w%d] ", t, tr[t][2] == caller ? "C" : "H", (tr[t][0] - t0) / 1e3, (tr[t][1] - t0) / 1e3, tr[t][3]));
            System.out.println(sb);
        }
        System.exit(0);
    }
}

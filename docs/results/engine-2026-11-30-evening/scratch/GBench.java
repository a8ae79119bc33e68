package dev.mp3.tensor.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Scratch: one-thread SGEMM GFLOP/s per thread-CPU-second (robust to other load), and the FMA peak. */
public class GBench {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();
    static float sink;

    public static void main(String[] args) {
        Parallel.setThreads(1);
        String[] shapes = (args.length > 0 && !args[0].isEmpty() ? args[0] : "256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,6400x192x576,6400x192x768,6400x768x192,6400x192x192,6400x192x576:tB,576x6400x192,576x6400x192:tA").split(",");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        StringBuilder out = new StringBuilder();
        for (int round = 0; round < rounds; round++) {
            double pk = KBench.gflops(() -> sink += KBench.peak(1.0001f, 0.9999f, 1 << 16), 2.0 * 12 * ElementwiseKernels.L * (1 << 16), 2);
            out.setLength(0);
            out.append(String.format("peak %.1f |", pk));
            for (String s : shapes) {
                String[] p = s.split(":");
                String[] d = p[0].split("x");
                int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
                boolean tA = p.length > 1 && p[1].equals("tA"), tB = p.length > 1 && p[1].equals("tB");
                float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
                java.util.Random r = new java.util.Random(1);
                for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
                for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
                double g = KBench.gflops(() -> GemmKernels.gemm(1, m, n, k, a, 0, 0, tA, b, 0, 0, tB, c, 0, 0), 2.0 * m * n * k, 3);
                out.append(String.format(" %s %.1f (%.0f%%)", s, g, 100 * g / pk));
            }
            if (round == rounds - 1) System.out.println(out);
        }
    }
}

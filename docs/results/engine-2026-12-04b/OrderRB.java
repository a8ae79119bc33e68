package dev.mp3.tensor.cpu;

import java.util.*;

/** Experiment: PackedGemm's and KOuterGemm's K block sizes, alternating in one JVM. Shapes MxKxN[:tA|:tB]; configs pKC[oKC]. */
public class OrderRB {
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        String[] shapes = args[1].split(",");
        String[] cfgs = args[2].split(",");
        for (String sh : shapes) {
            String[] parts = sh.split(":");
            boolean tA = parts.length > 1 && parts[1].equals("tA"), tB = parts.length > 1 && parts[1].equals("tB");
            String[] d = parts[0].split("x");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            Random r = new Random(1);
            float[] a = new float[m * k], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            float[][] c = new float[cfgs.length][m * n];
            double[][] g = new double[cfgs.length][rounds];
            double flops = 2.0 * m * n * k;
            for (int round = -2; round < rounds; round++) {
                for (int ci = 0; ci < cfgs.length; ci++) {
                    int idx = (round & 1) == 0 ? ci : cfgs.length - 1 - ci;
                    set(cfgs[idx]);
                    long t0 = System.nanoTime(); int calls = 0; long t;
                    do {
                        GemmKernels.gemm(1, m, n, k, a, 0, 0, tA, b, 0, 0, tB, c[idx], 0, 0);
                        calls++;
                    } while ((t = System.nanoTime()) - t0 < 250_000_000L);
                    if (round >= 0) g[idx][round] = flops * calls / ((t - t0) * 1e-9) * 1e-9;
                    try { Thread.sleep(50); } catch (InterruptedException e) {}
                }
            }
            StringBuilder sb = new StringBuilder(sh + " [" + GemmKernels.kernelFor(m, n, k, tA, tB) + "]:");
            for (int ci = 0; ci < cfgs.length; ci++) {
                double[] ratio = new double[rounds];
                for (int q = 0; q < rounds; q++) ratio[q] = g[ci][q] / g[0][q];
                Arrays.sort(ratio);
                double[] s = g[ci].clone(); Arrays.sort(s);
                sb.append(String.format(Locale.ROOT, "  %s %.1f GF/s (x%.3f, q %.3f-%.3f)%s", cfgs[ci], s[rounds / 2], ratio[rounds / 2],
                        ratio[rounds / 4], ratio[3 * rounds / 4], Arrays.equals(c[ci], c[0]) ? "" : " DIFFERENT BITS"));
            }
            System.out.println(sb);
        }
    }

    static void set(String cfg) {   // gN: KOuterGemm merges N of its K blocks within a span
        GemmPacking.rowBlock = cfg.startsWith("rb") ? Integer.parseInt(cfg.substring(2)) : 0;
    }
}

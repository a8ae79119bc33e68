package dev.mp3.tensor.cpu;

import dev.mp3.bench.OpenBlas;
import java.lang.foreign.*;
import java.util.*;

/** Experiment: ours at two settings and OpenBLAS, rotated in one JVM with SgemmPeerBench's 150 ms pause before each window. Shapes MxKxN[:tA]. */
public class Three {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        String[] shapes = args[1].split(",");
        String[] cfgs = args[2].split(",");
        OpenBlas blas = OpenBlas.load();
        blas.threads(2);
        for (String sh : shapes) {
            String[] parts = sh.split(":");
            boolean tA = parts.length > 1 && parts[1].equals("tA"), tB = parts.length > 1 && parts[1].equals("tB");
            String[] d = parts[0].split("x");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            Random r = new Random(1);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() - 0.5);
            for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() - 0.5);
            Arena arena = Arena.ofConfined();
            MemorySegment na = arena.allocate((long) a.length * 4, 64), nb = arena.allocate((long) b.length * 4, 64), nc = arena.allocate((long) c.length * 4, 64);
            MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
            MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);
            int sides = cfgs.length + 1;
            double[][] g = new double[sides][rounds];
            double flops = 2.0 * m * n * k;
            for (int round = -2; round < rounds; round++) {
                for (int x = 0; x < sides; x++) {
                    int idx = (round & 1) == 0 ? x : sides - 1 - x;
                    Runnable call;
                    if (idx == cfgs.length) {
                        call = () -> blas.sgemm(tA, tB, m, n, k, na, nb, nc);
                    } else {
                        set(cfgs[idx]);
                        call = () -> GemmKernels.gemm(1, m, n, k, a, 0, 0, tA, b, 0, 0, tB, c, 0, 0);
                    }
                    Thread.sleep(150);
                    long t0 = System.nanoTime(); int calls = 0; long t;
                    do { call.run(); calls++; } while ((t = System.nanoTime()) - t0 < 250_000_000L);
                    if (round >= 0) g[idx][round] = flops * calls / ((t - t0) * 1e-9) * 1e-9;
                }
            }
            StringBuilder sb = new StringBuilder(sh + ": OpenBLAS " + String.format(Locale.ROOT, "%.1f", median(g[cfgs.length])));
            for (int ci = 0; ci < cfgs.length; ci++) {
                double[] ratio = new double[rounds];
                for (int q = 0; q < rounds; q++) ratio[q] = g[ci][q] / g[cfgs.length][q];
                Arrays.sort(ratio);
                sb.append(String.format(Locale.ROOT, "  %s %.1f (/OpenBLAS median %.3f, q %.3f-%.3f)", cfgs[ci], median(g[ci]), ratio[rounds / 2],
                        ratio[rounds / 4], ratio[3 * rounds / 4]));
            }
            System.out.println(sb);
        }
    }

    static double median(double[] x) { double[] s = x.clone(); Arrays.sort(s); return s[s.length / 2]; }

    static void set(String cfg) {   // kKC
        PackedGemm.kcExp = Integer.parseInt(cfg.substring(1));
    }
}

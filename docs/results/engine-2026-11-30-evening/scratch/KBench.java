package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

public class KBench {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();
    static float sink;

    static float peak(float x, float y, int steps) {
        FloatVector a = FloatVector.broadcast(S, x), b = FloatVector.broadcast(S, y);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < steps; i++) {
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
            c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
            c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(VectorOperators.ADD);
    }

    interface Body { void run(); }

    static double gflops(Body body, double flopsPerRun, int reps) {
        double best = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = T.getCurrentThreadCpuTime();
            int n = 0;
            while (T.getCurrentThreadCpuTime() - t0 < 200_000_000L) { body.run(); n++; }
            long t1 = T.getCurrentThreadCpuTime();
            best = Math.max(best, flopsPerRun * n / (t1 - t0));
        }
        return best;
    }

    public static void main(String[] args) {
        int kc = Integer.parseInt(args.length > 0 ? args[0] : "256");
        int mcRows = 120;
        MicroKernel kern = MicroKernel.ROWS6_VEC3;
        int nr = kern.cols, mr = kern.rows;
        int K = 1024; // A row stride (A row-major, read in place)
        float[] a = new float[mcRows * K];
        float[] ap = new float[mcRows * kc];
        float[] b = new float[kc * nr];
        float[] c = new float[mcRows * nr];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat();
        for (int i = 0; i < ap.length; i++) ap[i] = rnd.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat();
        double fl = 2.0 * mcRows * nr * kc;
        for (int round = 0; round < 5; round++) {
            double pk = gflops(() -> sink += peak(1.0001f, 0.9999f, 1 << 16), 2.0 * 12 * L * (1 << 16), 3);
            double inPlace = gflops(() -> {
                for (int t = 0; t < mcRows; t += mr) kern.run(kc, a, t * K, K, 1, b, 0, c, t * nr, nr, true);
            }, fl, 3);
            double packed = gflops(() -> {
                for (int t = 0; t < mcRows; t += mr) kern.run(kc, ap, t * kc, 1, mr, b, 0, c, t * nr, nr, true);
            }, fl, 3);
            double k2p = gflops(() -> {
                for (int t = 0; t < mcRows; t += mr) K2.packed(kc, ap, t * kc, b, 0, c, t * nr, nr);
            }, fl, 3);
            double k2i = gflops(() -> {
                for (int t = 0; t < mcRows; t += mr) K2.inPlace(kc, a, t * K, K, b, 0, c, t * nr, nr);
            }, fl, 3);
            double u2 = gflops(() -> {
                for (int t = 0; t < mcRows; t += mr) K3.packed2(kc, ap, t * kc, b, 0, c, t * nr, nr);
            }, fl, 3);
            double u4 = gflops(() -> {
                for (int t = 0; t < mcRows; t += mr) K3.packed4(kc, ap, t * kc, b, 0, c, t * nr, nr);
            }, fl, 3);
            System.out.printf("   K3 packed x2 %.1f (%.0f%%)  x4 %.1f (%.0f%%)%n", u2, 100 * u2 / pk, u4, 100 * u4 / pk);
            System.out.printf("   K2 packed %.1f (%.0f%%)  K2 in place %.1f (%.0f%%)%n", k2p, 100 * k2p / pk, k2i, 100 * k2i / pk);
            System.out.printf("kc %d peak %.1f  in-place A %.1f (%.0f%%)  packed A %.1f (%.0f%%)%n", kc, pk, inPlace, 100 * inPlace / pk, packed, 100 * packed / pk);
        }
    }
}

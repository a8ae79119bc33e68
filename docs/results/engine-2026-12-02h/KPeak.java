package dev.mp3.tensor.cpu;

import jdk.incubator.vector.*;

/** The micro-kernel in cache against the FMA loop, one thread, alternating windows. */
public class KPeak {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static float fma(float x, float y, int steps) {
        FloatVector a = FloatVector.broadcast(S, x), b = FloatVector.broadcast(S, y);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < steps; i++) {
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3); c4 = a.fma(b, c4); c5 = a.fma(b, c5);
            c6 = a.fma(b, c6); c7 = a.fma(b, c7); c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(VectorOperators.ADD);
    }
    static volatile float sink;
    public static void main(String[] args) {
        int kc = Integer.parseInt(args[0]);
        MicroKernel k = GemmKernels.MICRO_KERNEL;
        int mr = k.rows, nr = k.cols;
        float[] a = new float[mr * kc], b = new float[kc * nr], c = new float[mr * nr];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() * 1e-3);
        for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() * 1e-3);
        int fsteps = 1 << 16;
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime(); long calls = 0;
            while (System.nanoTime() - t0 < 200_000_000L) { for (int i = 0; i < 100; i++) k.run(kc, a, 0, kc, b, 0, c, 0, nr, true); calls += 100; }
            double kr = 2.0 * mr * nr * kc * calls / (System.nanoTime() - t0);
            t0 = System.nanoTime(); calls = 0;
            while (System.nanoTime() - t0 < 200_000_000L) { sink += fma(1e-7f, 1f, fsteps); calls++; }
            double fr = 2.0 * 12 * S.length() * fsteps * calls / (System.nanoTime() - t0);
            System.out.printf("kc %d kernel %.1f fma %.1f GFLOP/s  kernel/peak %.2f%n", kc, kr, fr, kr / fr);
        }
    }
}

package dev.mp3.tensor.cpu;
import java.util.*;
/** Squares, T threads: PackedGemmV with K blocks of at most KC steps, blocks of calls rotating in one JVM; medians; bits compared. */
public class Mc {
    public static void main(String[] args) {
        int s = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Parallel.setThreads(Integer.getInteger("threads", 2));
        int[] kcs = new int[args.length - 2];
        for (int i = 2; i < args.length; i++) kcs[i - 2] = Integer.parseInt(args[i]);
        MicroKernel kernel = MicroKernel.forThisMachine();
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[s * s], b = new float[s * s];
        float[][] c = new float[kcs.length][s * s];
        for (int i = 0; i < a.length; i++) { a[i] = (float) (r.nextDouble() - .5); b[i] = (float) (r.nextDouble() - .5); }
        GemmOperand ga = GemmOperand.of(a, 0, 0, false, s, s), gb = GemmOperand.of(b, 0, 0, false, s, s);
        int calls = Math.max(1, (int) (3e8 / ((double) s * s * s)));
        double[][] t = new double[kcs.length][rounds];
        for (int round = -3; round < rounds; round++) {
            for (int w = 0; w < kcs.length; w++) {
                int v = Math.floorMod(round + w, kcs.length);
                PackedGemmV.MCV = kcs[v];
                GemmOperand gc = GemmOperand.of(c[v], 0, 0, false, s, s);
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) PackedGemmV.gemm(kernel, 1, s, s, s, ga, gb, gc);
                if (round >= 0) t[v][round] = 2.0 * s * s * s * calls / (System.nanoTime() - t0);
            }
        }
        for (int v = 1; v < kcs.length; v++) if (!Arrays.equals(c[0], c[v])) throw new AssertionError();
        double base = med(t[0]);
        for (int v = 0; v < kcs.length; v++) System.out.printf("%d^2, %d threads, MC %d: median %.1f GFLOP/s (%.3f of MC %d)%n", s, Parallel.threads(), kcs[v], med(t[v]), med(t[v]) / base, kcs[0]);
    }
    static double med(double[] x) { double[] y = x.clone(); Arrays.sort(y); return y[y.length / 2]; }
}

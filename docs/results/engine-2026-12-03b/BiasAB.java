package dev.mp3.tensor.cpu;
import java.util.*;
/** x W^T + bias: HEAD's PackedGemm (PackedGemmOld) against this tree's, with and without the bias, blocks of calls rotating in one JVM; bits compared. */
public class BiasAB {
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        MicroKernel kernel = MicroKernel.forThisMachine();
        for (int s = 1; s < args.length; s++) {
            String[] p = args[s].split("x");
            int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), k = Integer.parseInt(p[2]);
            SplittableRandom r = new SplittableRandom(1);
            float[] a = new float[m * k], b = new float[k * n], bias = new float[n];
            float[][] c = new float[4][m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() - .5);
            for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() - .5);
            for (int i = 0; i < n; i++) bias[i] = (float) r.nextDouble();
            GemmOperand ga = GemmOperand.of(a, 0, 0, false, m, k), gb = GemmOperand.of(b, 0, 0, true, k, n);
            GemmBias gbias = new GemmBias(bias, 0, false);
            Runnable[] v = new Runnable[4];
            for (int x = 0; x < 4; x++) {
                GemmOperand gc = GemmOperand.of(c[x], 0, 0, false, m, n);
                GemmBias e = x % 2 == 1 ? gbias : null;
                v[x] = x < 2 ? () -> PackedGemmOld.gemm(kernel, 1, m, n, k, ga, gb, gc, e) : () -> PackedGemm.gemm(kernel, 1, m, n, k, ga, gb, gc, e);
            }
            for (int w = 0; w < 50; w++) for (Runnable x : v) x.run();
            double[][] t = new double[4][rounds];
            int calls = 10;
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < 4; i++) {
                    int x = (round + i) % 4;
                    long t0 = System.nanoTime();
                    for (int j = 0; j < calls; j++) v[x].run();
                    t[x][round] = (System.nanoTime() - t0) / 1e3 / calls;
                }
            }
            if (!Arrays.equals(c[0], c[2]) || !Arrays.equals(c[1], c[3])) throw new AssertionError("bits differ");
            for (double[] x : t) Arrays.sort(x);
            double[] med = new double[4];
            for (int x = 0; x < 4; x++) med[x] = t[x][rounds / 2];
            System.out.printf("%s (%d threads): HEAD %.0f / %.0f us (bias costs %.3f), new %.0f / %.0f us (bias costs %.3f); with bias new/HEAD %.3f (medians of %d blocks of %d; same bits)%n",
                args[s], Parallel.threads(), med[0], med[1], med[1] / med[0], med[2], med[3], med[3] / med[2], med[3] / med[1], rounds, calls);
        }
    }
}

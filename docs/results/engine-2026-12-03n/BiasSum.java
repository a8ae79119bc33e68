package dev.mp3.tensor.cpu;

import dev.mp3.tensor.ReduceOp;
import java.util.*;

/**
 * A bias gradient's sum as in the step: dY [rows, c] written just before by a two-thread product, then summed over
 * its rows by ReduceKernels.reduce: HEAD's column blocks (at least 256 wide: one task for c = 128) against blocks
 * down to 16 columns (c split evenly over the two threads). Blocks of 20 calls alternating in one JVM; medians; bits compared.
 */
public class BiasSum {
    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]), c = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int k = 128;
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[rows * k], w = new float[c * k], dy = new float[rows * c];
        for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() - .5);
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() - .5);
        float[][] out = {new float[c], new float[c]};
        double[][] t = new double[2][rounds];
        for (int round = -5; round < rounds; round++) {
            for (int i = 0; i < 2; i++) {
                int v = (round + i) & 1;
                ReduceKernels.MIN_WIDTH = v == 0 ? 256 : 16;
                ReduceKernels.ROUND = v == 0 ? 64 : 16;
                long sum = 0;
                for (int call = 0; call < 20; call++) {
                    GemmKernels.gemm(1, rows, c, k, a, 0, 0, false, w, 0, 0, true, dy, 0, 0);
                    long t0 = System.nanoTime();
                    ReduceKernels.reduce(ReduceOp.SUM, dy, 1, rows, c, out[v]);
                    sum += System.nanoTime() - t0;
                }
                if (round >= 0) t[v][round] = sum / 20e3;
            }
        }
        if (!Arrays.equals(out[0], out[1])) throw new AssertionError("bits differ");
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) ratio[i] = t[1][i] / t[0][i];
        Arrays.sort(ratio);
        for (double[] x : t) Arrays.sort(x);
        System.out.printf("dY [%d, %d] from a two-thread product: blocks >= 256 wide (%d) %.1f us, down to 16 wide (%d) %.1f us; split / HEAD per round: median %.3f, quartiles %.3f-%.3f (%d blocks of 20); same bits%n",
                rows, c, (c + ReduceKernels.columnBlockFor(c, 256, 64) - 1) / ReduceKernels.columnBlockFor(c, 256, 64), t[0][rounds / 2],
                (c + ReduceKernels.columnBlockFor(c, 16, 16) - 1) / ReduceKernels.columnBlockFor(c, 16, 16), t[1][rounds / 2],
                ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4], rounds);
    }
}

package dev.mp3.tensor.cpu;
import dev.mp3.tensor.ReduceOp;
import java.util.*;
/**
 * A bias gradient's sum as in the step: dY [batch, 49, c] written just before by a two-thread product (or by the
 * caller alone), then summed over the batch (ReduceKernelsV level 1, the columns split over the threads as in HEAD,
 * or in one task on the caller) and over the 49 tokens. Blocks of calls alternating in one JVM; medians; bits compared.
 */
public class SumAB {
    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]), c = Integer.parseInt(args[1]);
        boolean producerBothThreads = !args[2].equals("caller");
        int rounds = Integer.parseInt(args[3]);
        int tokens = 49, rows = batch * tokens, k = 128;
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[rows * k], w = new float[c * k], dy = new float[rows * c];
        for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() - .5);
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() - .5);
        float[][] out = {new float[c], new float[c]};
        float[] mid = new float[tokens * c];
        double[][] t = new double[2][rounds];
        for (int round = -5; round < rounds; round++) {
            for (int i = 0; i < 2; i++) {
                int v = (round + i) & 1;
                ReduceKernelsV.SERIAL_BELOW = v == 0 ? 0 : Long.MAX_VALUE;
                long sum = 0;
                for (int call = 0; call < 20; call++) {
                    if (producerBothThreads) {
                        GemmKernels.gemm(1, rows, c, k, a, 0, 0, false, w, 0, 0, true, dy, 0, 0);
                    } else {
                        for (int x = 0; x < dy.length; x++) dy[x] = a[x % a.length] * 0.5f;
                    }
                    long t0 = System.nanoTime();
                    ReduceKernelsV.reduce(ReduceOp.SUM, dy, 1, batch, tokens * c, mid);
                    ReduceKernelsV.reduce(ReduceOp.SUM, mid, 1, tokens, c, out[v]);
                    sum += System.nanoTime() - t0;
                }
                if (round >= 0) t[v][round] = sum / 20e3;
            }
        }
        if (!Arrays.equals(out[0], out[1])) throw new AssertionError("bits differ");
        for (double[] x : t) Arrays.sort(x);
        System.out.printf("batch %d, c %d, dY written by %s: columns over the threads %.1f us, one task %.1f us (%.2fx), medians of %d blocks of 20; same bits%n",
                batch, c, producerBothThreads ? "a two-thread product" : "the caller", t[0][rounds / 2], t[1][rounds / 2], t[1][rounds / 2] / t[0][rounds / 2], rounds);
    }
}

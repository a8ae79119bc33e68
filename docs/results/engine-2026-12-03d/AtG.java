package dev.mp3.tensor.cpu;
import java.util.*;
/** Attention forward + backward timing at one shape; args B H n m d rounds. */
public class AtG {
    public static void main(String[] args) {
        int B = Integer.parseInt(args[0]), H = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]), m = Integer.parseInt(args[3]), d = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        int dim = H * d, bh = B * H;
        Parallel.setThreads(Integer.getInteger("threads", 1));
        SplittableRandom r = new SplittableRandom(3);
        float[] q = new float[B * n * dim], k = new float[B * m * dim], v = new float[B * m * dim], g = new float[B * n * dim];
        for (float[] x : new float[][] {q, k, v, g}) for (int i = 0; i < x.length; i++) x[i] = (float) (3 * (r.nextDouble() - .5));
        double[] f = new double[rounds], b = new double[rounds];
        float[] o = new float[B * n * dim], dq = new float[B * n * dim], dk = new float[B * m * dim], dv = new float[B * m * dim], lse = new float[bh * n];
        for (int round = -20; round < rounds; round++) {
            if (round == 0) java.util.Arrays.fill(AK2.T, 0); long t0 = System.nanoTime();
            AK2.forward(h(q, n, d, dim), h(k, m, d, dim), h(v, m, d, dim), null, bh, H, n, m, d, 0.17f, h(o, n, d, dim), lse);
            long t1 = System.nanoTime();

            long t2 = System.nanoTime();
            if (round >= 0) { f[round] = (t1 - t0) / 1e3; b[round] = (t2 - t1) / 1e3; }
        }
        double cs = 0; for (float[] x : new float[][] {o, dq, dk, dv, lse}) for (float y : x) cs += y;
        System.out.printf("scores %.2f softmax %.2f pv %.2f us/pair%n", AK2.T[0]/1e3/((double) rounds*bh), AK2.T[1]/1e3/((double) rounds*bh), AK2.T[2]/1e3/((double) rounds*bh)); Arrays.sort(f); Arrays.sort(b);
        System.out.printf("%dx%dx%dx%d keys %d, %d threads: forward %.0f us, backward %.0f us (medians of %d), checksum %.6e%n",
            B, H, n, d, m, Parallel.threads(), f[rounds / 2], b[rounds / 2], rounds, cs);
    }
    static AK2.Heads h(float[] x, int n, int d, int dim) { return new AK2.Heads(x, 0, n * dim, d, dim); }
}

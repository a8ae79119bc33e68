package dev.mp3.tensor.cpu;
import java.util.*;
/** Attention forward + backward: HEAD's kernels (AttentionKernelsOld) against this tree's, alternating in one JVM, one thread; bits compared. */
public class AtAB {
    public static void main(String[] args) {
        int B = Integer.parseInt(args[0]), H = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]), m = Integer.parseInt(args[3]), d = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        int dim = H * d, bh = B * H;
        Parallel.setThreads(Integer.getInteger("threads", 1));
        SplittableRandom r = new SplittableRandom(3);
        float[] q = new float[B * n * dim], k = new float[B * m * dim], v = new float[B * m * dim], g = new float[B * n * dim];
        for (float[] x : new float[][] {q, k, v, g}) for (int i = 0; i < x.length; i++) x[i] = (float) (3 * (r.nextDouble() - .5));
        float[][][] outs = new float[2][][];
        double[][] f = new double[2][rounds], b = new double[2][rounds];
        for (int round = -5; round < rounds; round++) {
            for (int w = 0; w < 2; w++) {
                int variant = (round + w) & 1;
                float[] o = new float[B * n * dim], dq = new float[B * n * dim], dk = new float[B * m * dim], dv = new float[B * m * dim], lse = new float[bh * n];
                long t0, t1, t2;
                if (variant == 0) {
                    t0 = System.nanoTime();
                    AttentionKernelsOld.forward(ho(q, n, d, dim), ho(k, m, d, dim), ho(v, m, d, dim), null, bh, H, n, m, d, 0.17f, ho(o, n, d, dim), lse);
                    t1 = System.nanoTime();
                    AttentionKernelsOld.backward(ho(q, n, d, dim), ho(k, m, d, dim), ho(v, m, d, dim), null, bh, H, n, m, d, 0.17f, ho(o, n, d, dim), lse, ho(g, n, d, dim), ho(dq, n, d, dim), ho(dk, m, d, dim), ho(dv, m, d, dim), null);
                    t2 = System.nanoTime();
                } else {
                    t0 = System.nanoTime();
                    AttentionKernels.forward(h(q, n, d, dim), h(k, m, d, dim), h(v, m, d, dim), null, bh, H, n, m, d, 0.17f, h(o, n, d, dim), lse);
                    t1 = System.nanoTime();
                    AttentionKernels.backward(h(q, n, d, dim), h(k, m, d, dim), h(v, m, d, dim), null, bh, H, n, m, d, 0.17f, h(o, n, d, dim), lse, h(g, n, d, dim), h(dq, n, d, dim), h(dk, m, d, dim), h(dv, m, d, dim), null);
                    t2 = System.nanoTime();
                }
                if (round >= 0) { f[variant][round] = (t1 - t0) / 1e3; b[variant][round] = (t2 - t1) / 1e3; }
                outs[variant] = new float[][] {o, dq, dk, dv, lse};
            }
        }
        for (int i = 0; i < 5; i++) if (!Arrays.equals(outs[0][i], outs[1][i])) throw new AssertionError("output " + i + " differs");
        for (double[] x : f) Arrays.sort(x);
        for (double[] x : b) Arrays.sort(x);
        System.out.printf("%dx%dx%dx%d keys %d, %d threads: forward %.0f -> %.0f us (%.2fx), backward %.0f -> %.0f us (%.2fx), medians of %d; outputs equal%n",
            B, H, n, d, m, Parallel.threads(), f[0][rounds / 2], f[1][rounds / 2], f[1][rounds / 2] / f[0][rounds / 2], b[0][rounds / 2], b[1][rounds / 2], b[1][rounds / 2] / b[0][rounds / 2], rounds);
    }
    static AttentionKernels.Heads h(float[] x, int n, int d, int dim) { return new AttentionKernels.Heads(x, 0, n * dim, d, dim); }
    static AttentionKernelsOld.Heads ho(float[] x, int n, int d, int dim) { return new AttentionKernelsOld.Heads(x, 0, n * dim, d, dim); }
}

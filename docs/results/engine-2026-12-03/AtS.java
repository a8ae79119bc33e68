package dev.mp3.tensor.cpu;
import java.util.*;
/** Attention forward and backward at a shape, this build's kernels, one and two threads alternating in one JVM. */
public class AtS {
    public static void main(String[] args) {
        int B = Integer.parseInt(args[0]), H = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]), d = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int dim = H * d, bh = B * H, len = B * n * dim;
        SplittableRandom r = new SplittableRandom(3);
        float[] q = new float[len], k = new float[len], v = new float[len], g = new float[len], o = new float[len], dq = new float[len], dk = new float[len], dv = new float[len], lse = new float[bh * n];
        for (float[] x : new float[][] {q, k, v, g}) for (int i = 0; i < x.length; i++) x[i] = (float) (3 * (r.nextDouble() - .5));
        float scale = (float) (1 / Math.sqrt(d));
        double[][] t = new double[4][rounds];
        for (int round = -2; round < rounds; round++) {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                long t0 = System.nanoTime();
                for (int i = 0; i < 10; i++) AttentionKernels.forward(h(q, n, d, dim), h(k, n, d, dim), h(v, n, d, dim), null, bh, H, n, n, d, scale, h(o, n, d, dim), lse);
                long t1 = System.nanoTime();
                for (int i = 0; i < 10; i++) AttentionKernels.backward(h(q, n, d, dim), h(k, n, d, dim), h(v, n, d, dim), null, bh, H, n, n, d, scale, h(o, n, d, dim), lse, h(g, n, d, dim), h(dq, n, d, dim), h(dk, n, d, dim), h(dv, n, d, dim), null);
                long t2 = System.nanoTime();
                if (round >= 0) { t[2 * (threads - 1)][round] = (t1 - t0) / 10e3; t[2 * (threads - 1) + 1][round] = (t2 - t1) / 10e3; }
            }
        }
        System.out.printf("attention %dx%dx%dx%d, us per call (mean of %d rounds): 1 thread fwd %.0f bwd %.0f; 2 threads fwd %.0f bwd %.0f; speed-up fwd %.2f bwd %.2f%n",
            B, H, n, d, rounds, m(t[0]), m(t[1]), m(t[2]), m(t[3]), m(t[0]) / m(t[2]), m(t[1]) / m(t[3]));
    }
    static double m(double[] x) { return Arrays.stream(x).average().orElse(0); }
    static AttentionKernels.Heads h(float[] x, int n, int d, int dim) { return new AttentionKernels.Heads(x, 0, n * dim, d, dim); }
}

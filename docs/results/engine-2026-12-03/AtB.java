package dev.mp3.tensor.cpu;
import java.util.*;
/**
 * Attention forward and backward at a shape (B H n d, keys = queries), c56bb6b's kernels (AttOld) against this build's,
 * blocks of 5 calls alternating, rounds; bits compared. -Dthreads (default 1), -Dbias=true for a [H, n, n] bias.
 */
public class AtB {
    public static void main(String[] args) {
        int threads = Integer.getInteger("threads", 1);
        Parallel.setThreads(threads);
        int B = Integer.parseInt(args[0]), H = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]), d = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        boolean withBias = Boolean.getBoolean("bias");
        int dim = H * d, bh = B * H, len = B * n * dim;
        SplittableRandom r = new SplittableRandom(3);
        float[] q = new float[len], k = new float[len], v = new float[len], g = new float[len];
        for (float[] x : new float[][] {q, k, v, g}) for (int i = 0; i < x.length; i++) x[i] = (float) (3 * (r.nextDouble() - .5));
        float[] bias = null;
        if (withBias) { bias = new float[H * n * n]; for (int i = 0; i < bias.length; i++) bias[i] = (float) (r.nextDouble() - .5); }
        float[][] o = new float[2][len], lse = new float[2][bh * n], dq = new float[2][len], dk = new float[2][len], dv = new float[2][len], db = new float[2][withBias ? bh * n * n : 0];
        float scale = (float) (1 / Math.sqrt(d));
        System.out.printf("attention %dx%dx%dx%d%s, %d thread(s), %s; us per call: old fwd, new fwd, old bwd, new bwd; new/old median (range) over %d rounds%n",
            B, H, n, d, withBias ? " with bias" : "", threads, java.time.Instant.now(), rounds);
        double[][] tm = new double[4][rounds];
        for (int round = -2; round < rounds; round++) {
            for (int which = 0; which < 2; which++) {
                int w = (round & 1) == 0 ? which : 1 - which;
                long t0 = System.nanoTime();
                for (int i = 0; i < 5; i++) forward(w, q, k, v, bias, bh, H, n, d, dim, scale, o[w], lse[w]);
                long t1 = System.nanoTime();
                for (int i = 0; i < 5; i++) backward(w, q, k, v, bias, bh, H, n, d, dim, scale, o[w], lse[w], g, dq[w], dk[w], dv[w], withBias ? db[w] : null);
                long t2 = System.nanoTime();
                if (round >= 0) { tm[w][round] = (t1 - t0) / 5e3; tm[2 + w][round] = (t2 - t1) / 5e3; }
            }
        }
        boolean same = Arrays.equals(o[0], o[1]) && Arrays.equals(lse[0], lse[1]) && Arrays.equals(dq[0], dq[1]) && Arrays.equals(dk[0], dk[1]) && Arrays.equals(dv[0], dv[1]) && Arrays.equals(db[0], db[1]);
        double[] fr = new double[rounds], br = new double[rounds];
        for (int i = 0; i < rounds; i++) { fr[i] = tm[1][i] / tm[0][i]; br[i] = tm[3][i] / tm[2][i]; }
        Arrays.sort(fr); Arrays.sort(br);
        System.out.printf("%.1f %.1f %.1f %.1f | forward new/old %.2f (%.2f-%.2f), backward %.2f (%.2f-%.2f) | %s%n",
            mean(tm[0]), mean(tm[1]), mean(tm[2]), mean(tm[3]), fr[rounds / 2], fr[0], fr[rounds - 1], br[rounds / 2], br[0], br[rounds - 1], same ? "same bits" : "DIFFERENT BITS");
    }
    static double mean(double[] x) { return Arrays.stream(x).average().orElse(0); }
    static void forward(int w, float[] q, float[] k, float[] v, float[] bias, int bh, int H, int n, int d, int dim, float scale, float[] o, float[] lse) {
        if (w == 0) AttOld.forward(ho(q, n, d, dim), ho(k, n, d, dim), ho(v, n, d, dim), bias, bh, H, n, n, d, scale, ho(o, n, d, dim), lse);
        else AttentionKernels.forward(hn(q, n, d, dim), hn(k, n, d, dim), hn(v, n, d, dim), bias, bh, H, n, n, d, scale, hn(o, n, d, dim), lse);
    }
    static void backward(int w, float[] q, float[] k, float[] v, float[] bias, int bh, int H, int n, int d, int dim, float scale, float[] o, float[] lse, float[] g, float[] dq, float[] dk, float[] dv, float[] db) {
        if (w == 0) AttOld.backward(ho(q, n, d, dim), ho(k, n, d, dim), ho(v, n, d, dim), bias, bh, H, n, n, d, scale, ho(o, n, d, dim), lse, ho(g, n, d, dim), ho(dq, n, d, dim), ho(dk, n, d, dim), ho(dv, n, d, dim), db);
        else AttentionKernels.backward(hn(q, n, d, dim), hn(k, n, d, dim), hn(v, n, d, dim), bias, bh, H, n, n, d, scale, hn(o, n, d, dim), lse, hn(g, n, d, dim), hn(dq, n, d, dim), hn(dk, n, d, dim), hn(dv, n, d, dim), db);
    }
    static AttOld.Heads ho(float[] x, int n, int d, int dim) { return new AttOld.Heads(x, 0, n * dim, d, dim); }
    static AttentionKernels.Heads hn(float[] x, int n, int d, int dim) { return new AttentionKernels.Heads(x, 0, n * dim, d, dim); }
}

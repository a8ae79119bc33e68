package dev.mp3.tensor.cpu;
import dev.mp3.tensor.cpu.AttentionKernels.Heads;
public class At {
  public static void main(String[] args) {
    int threads = Integer.parseInt(args[0]);
    Parallel.setThreads(threads);
    int B = 128, H = 3, N = 50, D = 64, W = H * D;
    float[] qkv = new float[B * N * 3 * W], out = new float[B * N * W], g = new float[B * N * W], lse = new float[B * H * N];
    float[] dqkv = new float[B * N * 3 * W];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < qkv.length; i++) qkv[i] = (float) r.nextGaussian();
    for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
    Heads q = new Heads(qkv, 0, N * 3 * W, D, 3 * W), k = new Heads(qkv, W, N * 3 * W, D, 3 * W), v = new Heads(qkv, 2 * W, N * 3 * W, D, 3 * W);
    Heads dq = new Heads(dqkv, 0, N * 3 * W, D, 3 * W), dk = new Heads(dqkv, W, N * 3 * W, D, 3 * W), dv = new Heads(dqkv, 2 * W, N * 3 * W, D, 3 * W);
    Heads o = new Heads(out, 0, N * W, D, W), go = new Heads(g, 0, N * W, D, W);
    float scale = 0.125f;
    for (int round = 0; round < 6; round++) {
      long t0 = System.nanoTime(); int reps = 0;
      while (System.nanoTime() - t0 < 1_000_000_000L) { AttentionKernels.forward(q, k, v, null, B * H, H, N, N, D, scale, o, lse); reps++; }
      double f = (System.nanoTime() - t0) / 1e6 / reps;
      t0 = System.nanoTime(); reps = 0;
      while (System.nanoTime() - t0 < 1_000_000_000L) { AttentionKernels.backward(q, k, v, null, B * H, H, N, N, D, scale, o, lse, go, dq, dk, dv, null); reps++; }
      double bw = (System.nanoTime() - t0) / 1e6 / reps;
      System.out.printf("threads %d: forward %.2f ms, backward %.2f ms%n", threads, f, bw);
    }
  }
}

package dev.mp3.bench;

import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.OpProfile;
import dev.mp3.tensor.cpu.Parallel;
import java.util.Map;

// The demo-shape step (OpProfile on) and the same products alone, alternating: per round, 3 steps then ~1.5 s of
// each product shape called alone with fresh operand sets; prints, per shape, in-step ms/call (OpProfile) vs alone.
public class InStep {
  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    Parallel.setThreads(2);
    Map<String, String> opt = StepBench.parse(new String[] {"--dim", "128", "--depth", "6", "--heads", "4"});
    ViTConfig base = StepBench.config(opt);
    StepBench.StepRunner runner = new StepBench.StepRunner(base, "supervised", 64, Device.CPU);
    for (int i = 0; i < 3; i++) runner.step();
    String[] keys = {"matmul NN [3200, 128]x[128, 512]", "matmul NN [3200, 512]x[512, 128]", "matmul TN [3200, 128]x[3200, 512]", "matmul NT [3200, 512]x[128, 512]"};
    int[][] mnk = {{3200, 512, 128, 0}, {3200, 128, 512, 0}, {128, 512, 3200, 1}, {3200, 128, 512, 2}};
    double[] stepMs = new double[keys.length], aloneMs = new double[keys.length]; int[] stepCalls = new int[keys.length];
    for (int r = 0; r < rounds; r++) {
      OpProfile.reset();
      for (int i = 0; i < 3; i++) runner.step();
      Map<String, long[]> snap = OpProfile.snapshot();
      OpProfile.pause();
      StringBuilder sb = new StringBuilder("round " + r + ":");
      for (int s = 0; s < keys.length; s++) {
        long[] v = snap.get(keys[s]);
        double inStep = v == null ? Double.NaN : v[0] / 1e6 / v[1];
        int m = mnk[s][0], n = mnk[s][1], k = mnk[s][2]; int mode = mnk[s][3];
        float[][] a = new float[6][m * k], b = new float[6][k * n], c = new float[6][m * n];
        for (float[] x : a) java.util.Arrays.fill(x, 0.01f); for (float[] x : b) java.util.Arrays.fill(x, 0.02f);
        long t0 = System.nanoTime(); int calls = 0;
        while (System.nanoTime() - t0 < 400_000_000L) { int q = calls % 6;
          GemmKernels.gemm(1, m, n, k, a[q], 0, 0, mode == 1, b[q], 0, 0, mode == 2, c[q], 0, 0); calls++; }
        double alone = (System.nanoTime() - t0) / 1e6 / calls;
        if (r >= 1) { stepMs[s] += inStep; aloneMs[s] += alone; stepCalls[s]++; }
        sb.append(String.format("  %.2f/%.2f", inStep, alone));
      }
      OpProfile.resume();
      System.out.println(sb);
    }
    for (int s = 0; s < keys.length; s++) System.out.printf("%-36s in step %.2f ms/call, alone %.2f ms/call, in step / alone %.2f%n", keys[s], stepMs[s] / stepCalls[s], aloneMs[s] / stepCalls[s], stepMs[s] / aloneMs[s]);
  }
}

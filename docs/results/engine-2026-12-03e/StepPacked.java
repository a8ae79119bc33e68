package dev.mp3.bench;

import dev.mp3.nn.Attention;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;

import java.util.*;

/**
 * The training step with attention's q, k, v gradients written into one packed gradient (HEAD) and
 * taken through views of the projection (before), Attention.packedGradient alternating in one JVM
 * (needs packed-toggle.diff): each round a step to settle, then STEPS timed steps each way, in
 * alternating order; per-round ratios packed / views.
 */
public final class StepPacked {
    public static void main(String[] args) {
        Map<String, String> opt = StepBench.parse(args);
        int batch = Integer.parseInt(opt.getOrDefault("batch", "64"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "6"));
        int steps = Integer.parseInt(opt.getOrDefault("steps", "3"));
        ViTConfig base = StepBench.config(opt);
        for (String mode : opt.getOrDefault("modes", "supervised,mp3-eta0.75").split(",")) {
            StepBench.StepRunner runner = new StepBench.StepRunner(base, mode, batch, Device.CPU);
            double[][] t = new double[2][rounds];
            for (int round = -2; round < rounds; round++) {
                for (int w = 0; w < 2; w++) {
                    int q = (round + w) & 1;   // 0 views, 1 packed
                    Attention.packedGradient = q == 1;
                    runner.step();
                    double s = 0;
                    for (int i = 0; i < steps; i++) s += runner.step();
                    if (round >= 0) t[q][round] = s / steps * 1e3;
                }
            }
            double[] r = new double[rounds];
            for (int i = 0; i < rounds; i++) r[i] = t[1][i] / t[0][i];
            Arrays.sort(r);
            System.out.printf("%s batch %d: views %.1f ms, packed %.1f ms (means of %d rounds of %d steps); packed/views per round: median %.3f, quartiles %.3f-%.3f, range %.3f-%.3f%n",
                    mode, batch, Arrays.stream(t[0]).average().orElse(0), Arrays.stream(t[1]).average().orElse(0), rounds, steps,
                    r[rounds / 2], r[rounds / 4], r[3 * rounds / 4], r[0], r[rounds - 1]);
        }
    }
}

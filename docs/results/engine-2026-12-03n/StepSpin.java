package dev.mp3.bench;

import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.Parallel;

import java.lang.management.ManagementFactory;
import java.util.*;

/**
 * The training step with the pool's idle threads awake for A or B microseconds before they sleep,
 * alternating in one JVM (needs spin-toggle.diff: Parallel's two waits made settable). "50" is
 * the old behaviour (spin 50 us, then sleep); "2000y" the new default (spin 50 us, yield up to
 * 2 ms, then sleep). Each round: a step to settle, then STEPS timed steps each way, the order
 * alternating; per-round ratios B / A, and the JVM's CPU seconds per step.
 */
public final class StepSpin {
    public static void main(String[] args) {
        Map<String, String> opt = StepBench.parse(args);
        int batch = Integer.parseInt(opt.getOrDefault("batch", "64"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "12"));
        int steps = Integer.parseInt(opt.getOrDefault("steps", "3"));
        String[] names = {opt.getOrDefault("a", "50"), opt.getOrDefault("b", "2000y")};
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ViTConfig base = StepBench.config(opt);
        for (String mode : opt.getOrDefault("modes", "supervised,mp3-eta0.75").split(",")) {
            StepBench.StepRunner runner = new StepBench.StepRunner(base, mode, batch, Device.CPU);
            double[][] t = new double[2][rounds];
            double[][] cpu = new double[2][rounds];
            for (int round = -2; round < rounds; round++) {
                for (int w = 0; w < 2; w++) {
                    int q = (round + w) & 1;
                    long micros = Long.parseLong(names[q].replace("y", ""));
                    Parallel.SPIN_NANOS = micros * 1000;
                    Parallel.BUSY_SPIN_NANOS = names[q].endsWith("y") ? Math.min(micros, 50) * 1000 : micros * 1000;
                    runner.step();
                    double s = 0;
                    long c0 = os.getProcessCpuTime();
                    for (int i = 0; i < steps; i++) s += runner.step();
                    long c1 = os.getProcessCpuTime();
                    if (round >= 0) {
                        t[q][round] = s / steps * 1e3;
                        cpu[q][round] = (c1 - c0) / 1e6 / steps;
                    }
                }
            }
            double[] r = new double[rounds];
            for (int i = 0; i < rounds; i++) r[i] = t[1][i] / t[0][i];
            double[] sorted = r.clone();
            Arrays.sort(sorted);
            System.out.printf("%s batch %d: %s -> %.1f ms/step (CPU %.0f ms), %s -> %.1f ms/step (CPU %.0f ms), means of %d rounds of %d steps;"
                            + " %s / %s per round: median %.3f, quartiles %.3f-%.3f, range %.3f-%.3f; ratio of means %.3f%n",
                    mode, batch, names[0], mean(t[0]), mean(cpu[0]), names[1], mean(t[1]), mean(cpu[1]), rounds, steps,
                    names[1], names[0], sorted[rounds / 2], sorted[rounds / 4], sorted[3 * rounds / 4], sorted[0], sorted[rounds - 1],
                    mean(t[1]) / mean(t[0]));
        }
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}

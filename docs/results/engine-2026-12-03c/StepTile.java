package dev.mp3.bench;

import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;

import java.lang.reflect.Field;
import java.util.*;

/** The step with PackedGemm's register tile 6 x 48 then 6 x 64 (GemmKernels.MICRO_KERNEL set by reflection), alternating in one JVM. */
public final class StepTile {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = StepBench.parse(args);
        int batch = Integer.parseInt(opt.getOrDefault("batch", "64"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "6"));
        int steps = Integer.parseInt(opt.getOrDefault("steps", "3"));
        ViTConfig base = StepBench.config(opt);
        Class<?> gk = Class.forName("dev.mp3.tensor.cpu.GemmKernels");
        Field f = gk.getDeclaredField("MICRO_KERNEL");
        f.setAccessible(true);
        Class<?> mk = Class.forName("dev.mp3.tensor.cpu.MicroKernel");
        Object[] kernels = {Enum.valueOf((Class) mk, "ROWS6_VEC3"), Enum.valueOf((Class) mk, "ROWS6_VEC4")};
        for (String mode : opt.getOrDefault("modes", "supervised,mp3-eta0,mp3-eta0.75").split(",")) {
            StepBench.StepRunner runner = new StepBench.StepRunner(base, mode, batch, Device.CPU);
            double[][] t = new double[2][rounds];
            for (int round = -1; round < rounds; round++) {
                for (int w = 0; w < 2; w++) {
                    int q = (round + w) & 1;
                    f.set(null, kernels[q]);
                    runner.step();
                    double s = 0;
                    for (int i = 0; i < steps; i++) s += runner.step();
                    if (round >= 0) t[q][round] = s / steps * 1e3;
                }
            }
            double[] r = new double[rounds];
            for (int i = 0; i < rounds; i++) r[i] = t[1][i] / t[0][i];
            Arrays.sort(r);
            System.out.printf("%s batch %d: 6x48 %.1f ms, 6x64 %.1f ms (means); 6x64/6x48 per round: median %.3f, range %.3f-%.3f%n",
                    mode, batch, Arrays.stream(t[0]).average().orElse(0), Arrays.stream(t[1]).average().orElse(0), r[rounds / 2], r[0], r[rounds - 1]);
        }
    }
}

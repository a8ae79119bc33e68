package dev.mp3.bench;

import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.OpProfile;
import dev.mp3.tensor.cpu.Parallel;

import java.util.List;
import java.util.Map;

/**
 * Where a training step's time goes, per backend op: the step of {@link StepBench} (same model,
 * same defaults) run with the {@link OpProfile} timer, one mode after the other, warm-up steps
 * first and not counted.
 *
 * <pre>
 * java -Dmp3.profile=true --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *      dev.mp3.bench.StepProfile [--modes supervised,mp3-eta0.75] [--steps 5] [--warmup 3] [StepBench's model options]
 * </pre>
 * The proxy's own cost is a reflective call per op, some microseconds against the
 * milliseconds of the step's ops; compare shares, and take step times from StepBench.
 */
public final class StepProfile {
    public static void main(String[] args) {
        if (!OpProfile.ENABLED) {
            throw new IllegalStateException("StepProfile: run with -Dmp3.profile=true");
        }
        Map<String, String> opt = StepBench.parse(args);
        int batch = Integer.parseInt(opt.getOrDefault("batch", "128"));
        int steps = Integer.parseInt(opt.getOrDefault("steps", "5"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "3"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        List<String> modes = List.of(opt.getOrDefault("modes", "supervised,mp3-eta0.75").split(","));
        Parallel.setThreads(threads);
        ViTConfig base = StepBench.config(opt);
        for (String mode : modes) {
            StepBench.StepRunner runner = new StepBench.StepRunner(base, mode, batch, Device.CPU);
            for (int i = 0; i < warmup; i++) {
                runner.step();
            }
            OpProfile.reset();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                runner.step();
            }
            long total = System.nanoTime() - t0;
            System.out.printf("%n%s: ViT %d wide, %d deep, %d heads, patch %d on %dx%dx%d, batch %d, %d threads: "
                    + "%.4f s/step (mean of %d, profiled)%n", mode, base.dim(), base.depth(), base.heads(), base.patchSize(),
                    base.channels(), base.imageSize(), base.imageSize(), batch, threads, total / 1e9 / steps, steps);
            OpProfile.print(System.out, total, steps);
        }
    }
}

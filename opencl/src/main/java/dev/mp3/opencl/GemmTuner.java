package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the tiled SGEMM's parameters for a device: times each candidate {@link GemmConfig} on a
 * few product sizes, checks its result against the direct kernel, keeps the fastest, stores it in
 * the {@link TuningCache} (so later runs start tuned) and applies it to the open backend.
 * Tuning is explicit (the CLI's {@code mp3 tune} calls {@link #tune(Device, PrintStream)});
 * an untuned device runs with {@link GemmConfig#defaultFor}.
 */
public final class GemmTuner {

    /** m, n, k of the products timed by default: a square one and a ViT-like linear layer. */
    public static final List<int[]> DEFAULT_SIZES = List.of(new int[] {1024, 1024, 1024}, new int[] {4096, 384, 1536});

    public record Result(GemmConfig config, double gflops) {}

    private GemmTuner() {}

    /** Tunes the OpenCL device named by {@code device} with the default candidates and sizes. */
    public static Result tune(Device device, PrintStream log) {
        Backend backend = Backends.get(device);
        if (!(backend instanceof ClBackend cl)) {
            throw new IllegalArgumentException("tune: device " + device + " is not an OpenCL device; expected opencl or "
                    + "opencl:PLATFORM:DEVICE");
        }
        return tune(cl, GemmConfig.CANDIDATES, DEFAULT_SIZES, 5, TuningCache.defaultFile(), log);
    }

    public static Result tune(ClBackend backend, List<GemmConfig> candidates, List<int[]> sizes, int reps, Path cacheFile,
                              PrintStream log) {
        synchronized (backend) {
            ClContext cl = backend.context();
            DeviceInfo info = cl.info;
            log.println("tuning SGEMM on " + info.name() + " (" + candidates.size() + " candidates, " + sizes.size()
                    + " sizes, " + reps + " repetitions)");
            Rng rng = new Rng(12345);
            Tensor[][] operands = new Tensor[sizes.size()][];
            double flops = 0;
            for (int s = 0; s < sizes.size(); s++) {
                int[] mnk = sizes.get(s);
                operands[s] = new Tensor[] {
                        rng.normal(backend.device(), 0f, 1f, mnk[0], mnk[2]),
                        rng.normal(backend.device(), 0f, 1f, mnk[2], mnk[1]),
                        Tensor.zeros(backend.device(), DType.F32, mnk[0], mnk[1])};
                flops += 2.0 * mnk[0] * mnk[1] * mnk[2] * reps;
            }
            float[] reference = run(backend, new GemmKernels(cl, GemmConfig.defaultFor(info)), sizes.get(0), operands[0],
                    GemmKernels.Path.DIRECT);
            GemmConfig best = null;
            double bestSeconds = Double.MAX_VALUE;
            for (GemmConfig c : candidates) {
                String problem = c.problem(info);
                if (problem != null) {
                    log.println("  " + c + ": skipped, " + problem);
                    continue;
                }
                try {
                    GemmKernels kernels = new GemmKernels(cl, c);
                    float[] got = run(backend, kernels, sizes.get(0), operands[0], GemmKernels.Path.TILED);
                    String wrong = compare(reference, got);
                    if (wrong != null) {
                        log.println("  " + c + ": rejected, " + wrong);
                        continue;
                    }
                    for (int s = 0; s < sizes.size(); s++) {
                        launch(kernels, sizes.get(s), operands[s], GemmKernels.Path.TILED);
                    }
                    cl.finish();
                    long t0 = System.nanoTime();
                    for (int r = 0; r < reps; r++) {
                        for (int s = 0; s < sizes.size(); s++) {
                            launch(kernels, sizes.get(s), operands[s], GemmKernels.Path.TILED);
                        }
                    }
                    cl.finish();
                    double seconds = (System.nanoTime() - t0) * 1e-9;
                    log.println(String.format(Locale.ROOT, "  %s: %.1f GFLOP/s", c, flops / seconds * 1e-9));
                    if (seconds < bestSeconds) {
                        bestSeconds = seconds;
                        best = c;
                    }
                } catch (ClException e) {
                    log.println("  " + c + ": failed, " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
            if (best == null) {
                throw new ClException("tune: no SGEMM candidate runs correctly on " + info.name() + "; see the log above");
            }
            Result result = new Result(best, flops / bestSeconds * 1e-9);
            Map<String, TuningCache.Entry> entries = TuningCache.read(cacheFile);
            entries.put(TuningCache.key(info), new TuningCache.Entry(best, Math.round(result.gflops() * 10) / 10.0));
            TuningCache.write(cacheFile, entries);
            backend.useGemmConfig(best);
            log.println(String.format(Locale.ROOT, "chose %s (%.1f GFLOP/s); saved to %s", best, result.gflops(), cacheFile));
            return result;
        }
    }

    private static void launch(GemmKernels kernels, int[] mnk, Tensor[] abc, GemmKernels.Path path) {
        kernels.gemm(1, mnk[0], mnk[1], mnk[2],
                new GemmKernels.Operand(buffer(abc[0]), 0, mnk[2], 0, false),
                new GemmKernels.Operand(buffer(abc[1]), 0, mnk[1], 0, false), buffer(abc[2]), path);
    }

    private static ClBuffer buffer(Tensor t) {
        return ClStorage.buffer(t);
    }

    private static float[] run(ClBackend backend, GemmKernels kernels, int[] mnk, Tensor[] abc, GemmKernels.Path path) {
        launch(kernels, mnk, abc, path);
        return backend.downloadFloats(abc[2]);
    }

    /** Both kernels compute the same fma chains, so results agree to rounding noise at most. */
    private static String compare(float[] expected, float[] got) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            if (!(Math.abs(got[i] - e) <= 1e-5f * Math.max(1f, Math.abs(e)))) {
                return "element " + i + " is " + got[i] + " where the direct kernel gives " + e;
            }
        }
        return null;
    }
}

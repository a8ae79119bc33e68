package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import org.jocl.Pointer;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses the tiled SGEMM's parameters for a device: walks the candidates (by default
 * {@link GemmConfig#space}, most promising first) until a time budget is spent, rejects any whose
 * result differs in one bit from the direct kernel, times the rest on the products of real training
 * steps ({@link GemmWorkload#models}), re-times the best few, keeps the fastest and stores it in the
 * {@link TuningCache}. A candidate is scored by its time on each workload relative to the first
 * candidate's (the device default), the ratios multiplied, so a small model's step counts as much
 * as a large one's.
 *
 * <p>It runs when a backend opens a GPU that the cache does not know ({@link AutoTune}), and on
 * request ({@code mp3 tune}, {@link #tune(Device, PrintStream)}) on any device.
 */
public final class GemmTuner {

    /** The budget in seconds unless {@code -Dmp3.opencl.tuneSeconds} says otherwise. */
    public static final double DEFAULT_SECONDS = 60;
    /** A candidate is abandoned once a workload has taken this many times the best time on it. */
    static final double ABANDON_FACTOR = 3;
    /** How many of the fastest are timed again (and the share of the budget kept for that). */
    static final int FINALISTS = 3;
    static final double FINAL_SHARE = 0.2;

    /**
     * @param config  the chosen configuration
     * @param gflops  its rate over all workloads (their products' FLOPs over their time)
     * @param tried   candidates timed to the end
     * @param seconds wall time of the search
     */
    public record Result(GemmConfig config, double gflops, int tried, double seconds) {}

    /**
     * Whether and how a backend tunes a device the cache does not know when it opens it.
     * {@code -Dmp3.opencl.autotune=false} turns it off, {@code =true} turns it on for CPU runtimes
     * too (off by default there: PoCL's work-items are loop iterations and the default suits it).
     */
    public record AutoTune(boolean on, double seconds, Path cacheFile, List<GemmWorkload> workloads, PrintStream log) {
        public static AutoTune standard(DeviceInfo device) {
            String setting = System.getProperty("mp3.opencl.autotune", "");
            boolean on = setting.equalsIgnoreCase("true") || (device.gpu() && !setting.equalsIgnoreCase("false"));
            return new AutoTune(on, budget(), TuningCache.defaultFile(), GemmWorkload.models(), System.out);
        }
    }

    private GemmTuner() {}

    static double budget() {
        String s = System.getProperty("mp3.opencl.tuneSeconds", "");
        if (s.isBlank()) {
            return DEFAULT_SECONDS;
        }
        try {
            double v = Double.parseDouble(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-Dmp3.opencl.tuneSeconds=" + s + ": expected a positive number of seconds");
    }

    /** Tunes the OpenCL device named by {@code device} over the whole space on the model workloads. */
    public static Result tune(Device device, PrintStream log) {
        Backend backend = Backends.get(device);
        if (!(backend instanceof ClBackend cl)) {
            throw new IllegalArgumentException("tune: device " + device + " is not an OpenCL device; expected opencl or "
                    + "opencl:PLATFORM:DEVICE");
        }
        return tune(cl, GemmConfig.space(cl.deviceInfo()), GemmWorkload.models(), budget(), TuningCache.defaultFile(), log);
    }

    /** Searches, stores the result in {@code cacheFile} and switches the backend to it. */
    public static Result tune(ClBackend backend, List<GemmConfig> candidates, List<GemmWorkload> workloads,
                              double budgetSeconds, Path cacheFile, PrintStream log) {
        synchronized (backend) {
            Result r = search(backend.context(), candidates, workloads, budgetSeconds, log);
            store(cacheFile, backend.deviceInfo(), r);
            backend.useGemmConfig(r.config());
            log.println(String.format(Locale.ROOT, "chose %s (%.1f GFLOP/s, %d candidates in %.0f s); saved to %s",
                    r.config(), r.gflops(), r.tried(), r.seconds(), cacheFile));
            return r;
        }
    }

    static void store(Path cacheFile, DeviceInfo device, Result r) {
        Map<String, TuningCache.Entry> entries = TuningCache.read(cacheFile);
        entries.put(TuningCache.key(device), new TuningCache.Entry(r.config(), Math.round(r.gflops() * 10) / 10.0));
        TuningCache.write(cacheFile, entries);
    }

    /** The search itself, on a context nobody else is using. */
    static Result search(ClContext cl, List<GemmConfig> candidates, List<GemmWorkload> workloads, double budgetSeconds,
                         PrintStream log) {
        long start = System.nanoTime();
        DeviceInfo info = cl.info;
        log.println(String.format(Locale.ROOT, "tuning SGEMM on %s: up to %d candidates, %d workloads, %.0f s", info.name(),
                candidates.size(), workloads.size(), budgetSeconds));
        Operands ops = new Operands(cl, workloads);
        List<Timed> timed = new ArrayList<>();
        double[] best = null;
        for (GemmConfig c : candidates) {
            if (!timed.isEmpty() && seconds(start) > budgetSeconds * (1 - FINAL_SHARE)) {
                log.println("  budget spent after " + timed.size() + " candidates");
                break;
            }
            String problem = c.problem(info);
            if (problem != null) {
                log.println("  " + c + ": skipped, " + problem);
                continue;
            }
            double[] t = measure(cl, c, ops, workloads, best, log);
            if (t != null) {
                timed.add(new Timed(c, t));
                best = best == null ? t.clone() : min(best, t);
            }
        }
        if (timed.isEmpty()) {
            throw new ClException("tune: no SGEMM candidate ran correctly on " + info.name() + " within "
                    + budgetSeconds + " s; see the log above");
        }
        double[] base = timed.getFirst().seconds;
        timed.sort(Comparator.comparingDouble(t -> t.score(base)));
        List<Timed> finalists = new ArrayList<>(timed.subList(0, Math.min(FINALISTS, timed.size())));
        for (int i = 0; i < finalists.size() && seconds(start) < budgetSeconds; i++) {
            double[] again = measure(cl, finalists.get(i).config, ops, workloads, null,
                    new PrintStream(OutputStream.nullOutputStream()));
            if (again != null) {
                finalists.set(i, new Timed(finalists.get(i).config, min(finalists.get(i).seconds, again)));
            }
        }
        finalists.sort(Comparator.comparingDouble(t -> t.score(base)));
        Timed winner = finalists.getFirst();
        double flops = workloads.stream().mapToDouble(GemmWorkload::flops).sum();
        return new Result(winner.config, flops / Arrays.stream(winner.seconds).sum() * 1e-9, timed.size(), seconds(start));
    }

    /** A candidate's seconds per workload (each product once, times its count). */
    private record Timed(GemmConfig config, double[] seconds) {
        double score(double[] base) {
            double s = 0;
            for (int w = 0; w < base.length; w++) {
                s += Math.log(seconds[w] / base[w]);
            }
            return s;
        }
    }

    /**
     * Builds gemm.cl for the candidate, checks it against the direct kernel on every layout and
     * times each workload; null (with a line in the log) when it fails, is wrong, or falls more than
     * {@link #ABANDON_FACTOR} behind {@code best} on a workload.
     */
    private static double[] measure(ClContext cl, GemmConfig c, Operands ops, List<GemmWorkload> workloads,
                                    double[] best, PrintStream log) {
        Program program;
        try {
            program = cl.programOnce("gemm", c.defines());
        } catch (ClException e) {
            log.println("  " + c + ": failed to build, " + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
        try {
            GemmKernels kernels = new GemmKernels(cl, c, program);
            String wrong = ops.check(kernels);
            if (wrong != null) {
                log.println("  " + c + ": rejected, " + wrong);
                return null;
            }
            double[] seconds = new double[workloads.size()];
            StringBuilder rates = new StringBuilder();
            for (int w = 0; w < workloads.size(); w++) {
                for (GemmWorkload.Product p : workloads.get(w).products()) {
                    cl.finish();
                    long t0 = System.nanoTime();
                    ops.launch(kernels, p, GemmKernels.Path.AUTO);
                    cl.finish();
                    seconds[w] += seconds(t0) * p.count();
                    if (best != null && seconds[w] > ABANDON_FACTOR * best[w]) {
                        log.println("  " + c + ": abandoned, over " + ABANDON_FACTOR + "x the best time on "
                                + workloads.get(w).name());
                        return null;
                    }
                }
                rates.append(String.format(Locale.ROOT, "%s%.1f", w == 0 ? "" : ", ",
                        workloads.get(w).flops() / seconds[w] * 1e-9));
            }
            log.println("  " + c + ": " + rates + " GFLOP/s");
            return seconds;
        } catch (ClException e) {
            log.println("  " + c + ": failed, " + e.getMessage().lines().findFirst().orElse(""));
            return null;
        } finally {
            program.release();
        }
    }

    private static double[] min(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.min(a[i], b[i]);
        }
        return out;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) * 1e-9;
    }

    /** Device buffers big enough for every product (random contents), and the correctness check. */
    private static final class Operands {
        /** The check's product: odd sizes, so every tile is ragged; one of each layout. */
        static final int CM = 67, CN = 45, CK = 37;

        final ClContext cl;
        final ClBuffer a, b, c;
        final float[][] reference = new float[4][];

        Operands(ClContext cl, List<GemmWorkload> workloads) {
            this.cl = cl;
            long ab = (long) CM * CK, bb = (long) CK * CN, cb = (long) CM * CN;
            for (GemmWorkload w : workloads) {
                for (GemmWorkload.Product p : w.products()) {
                    ab = Math.max(ab, (long) p.m() * p.k());
                    bb = Math.max(bb, (long) p.k() * p.n());
                    cb = Math.max(cb, (long) p.m() * p.n());
                }
            }
            if (Math.max(ab, Math.max(bb, cb)) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tune: a workload's operand has more than 2^31 elements");
            }
            SplittableRandom rng = new SplittableRandom(12345);
            a = random(cl, (int) ab, rng);
            b = random(cl, (int) bb, rng);
            c = cl.pool.allocate(DType.F32, (int) cb);
            GemmKernels direct = new GemmKernels(cl, GemmConfig.defaultFor(cl.info));
            for (int layout = 0; layout < 4; layout++) {
                reference[layout] = checkProduct(direct, layout, GemmKernels.Path.DIRECT);
            }
        }

        private static ClBuffer random(ClContext cl, int n, SplittableRandom rng) {
            float[] host = new float[n];
            for (int i = 0; i < n; i++) {
                host[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            ClBuffer buf = cl.pool.allocate(DType.F32, n);
            cl.write(buf.mem(), 4L * n, Pointer.to(host));
            return buf;
        }

        /** Where the candidate's nn, nt, tn and tt products differ from the direct kernel's, or null. */
        String check(GemmKernels kernels) {
            String[] names = {"nn", "nt", "tn", "tt"};
            for (int layout = 0; layout < 4; layout++) {
                float[] got = checkProduct(kernels, layout, GemmKernels.Path.TILED);
                for (int i = 0; i < got.length; i++) {
                    if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(reference[layout][i])) {
                        return String.format(Locale.ROOT, "%s element %d is %s where the direct kernel gives %s",
                                names[layout], i, got[i], reference[layout][i]);
                    }
                }
            }
            return null;
        }

        private float[] checkProduct(GemmKernels kernels, int layout, GemmKernels.Path path) {
            launch(kernels, new GemmWorkload.Product("check", CM, CN, CK, layout >= 2, layout % 2 == 1, 1), path);
            float[] out = new float[CM * CN];
            cl.read(c.mem(), 0, 4L * out.length, Pointer.to(out));
            return out;
        }

        void launch(GemmKernels kernels, GemmWorkload.Product p, GemmKernels.Path path) {
            kernels.gemm(1, p.m(), p.n(), p.k(),
                    new GemmKernels.Operand(a, 0, p.transA() ? p.m() : p.k(), 0, p.transA()),
                    new GemmKernels.Operand(b, 0, p.transB() ? p.k() : p.n(), 0, p.transB()), c, path);
        }
    }
}

package dev.mp3.bench;

import dev.mp3.autograd.MemoryMeter;
import dev.mp3.autograd.Var;
import dev.mp3.nn.Adam;
import dev.mp3.nn.Context;
import dev.mp3.nn.Losses;
import dev.mp3.nn.Parameter;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.cpu.CpuBackend;
import dev.mp3.tensor.cpu.Parallel;
import dev.mp3.method.ContextMasking;
import dev.mp3.method.PositionPrediction;
import dev.mp3.opencl.ClBackend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end step benchmark: one training step (forward, backward, AdamW update, loss read back)
 * of a ViT on 28x28 one-channel images (or {@code --image}, {@code --channels}: 32 and 3 for the CIFAR ViT-S
 * shape, {@code --dim 384 --depth 12 --heads 6 --batch 32}), supervised and MP3 at two masking ratios, timed here and,
 * in the same invocation, by bench/pytorch/vit_step.py on the same model, batch and thread count
 * ({@link TorchTwin}: each of our timed steps is followed by one of PyTorch's, so both see the same machine).
 *
 * <pre>
 * java -Xmx16g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench \
 *      [--dim 192] [--depth 6] [--heads 3] [--patch 4] [--image 28] [--channels 1] [--batch 128] [--steps 7] [--warmup 3] \
 *      [--threads 2] [--device cpu] [--torch true] [--openblas-coretype SkylakeX] [--table2 false] [--clip 0] [--kernels false]
 *      [--memory 0] [--scopes true]
 * </pre>
 * Times are medians over the timed steps, ours interleaved across the modes; each step gets fresh
 * random images. Beside the measured MP3 cost (each MP3 step over the supervised one) it prints the
 * same ratio of the steps' multiply-adds ({@link StepArithmetic}), the bound on what masking saves.
 * {@code --openblas-coretype} is passed to the PyTorch process as OPENBLAS_CORETYPE,
 * for a processor its OpenBLAS does not know (check with {@code OPENBLAS_VERBOSE=2}: "Core: Prescott"
 * on an AVX-512 machine means the generic kernels).
 *
 * <p>Give the JVM room for three models: {@code -Xmx16g} on the 24 GB build machine. The modes'
 * steps alternate in one JVM, and the CPU backend recycles a step's output arrays for the next step
 * through a pool of a share of the maximum heap. With a quarter (the share until 2026-12-02 evening;
 * three quarters since) at the default heap (a quarter of RAM, 6 GB there) the pool held one ViT-192
 * model's arrays (about 1.3 GB a step) but not three: each mode's arrays pushed out the others', and
 * 0.9-2.2 GB of fresh arrays were allocated every 5 s where -Xmx16g allocated none once warm; a
 * training run, one model per JVM, does not pay that (BENCHMARKS.md, 2026-12-02 late morning). The
 * first line printed gives the maximum heap, and on the CPU the first warm-up step of each mode
 * counts the arrays it takes for reuse: past the pool's capacity StepBench prints a warning with the
 * heap that would do ({@link #poolWarning}).
 *
 * <p>The collector's pauses land on whichever step is running, and can decide which mode comes out
 * slower: StepBench prints, per mode, the seconds the JVM stood still inside its timed steps
 * ({@link #gcPauseMillis}), with a note past a twentieth of a mode's time. At the CIFAR ViT-S shape
 * (batch 32) G1 copies the [2080, 384] activations (3.2 MB, under the 4 MB it keeps unmoved at a
 * 16 GB heap) and stopped the JVM for up to 2 s at a time, 4.5-6 s per run, so that MP3 eta 0.75
 * came out anywhere from 0.56x to 1.09x the supervised step; ZGC, which moves objects while the
 * steps run, gave 0.81-0.86x in four runs, the arithmetic's 0.85 (BENCHMARKS.md, 2026-12-02
 * afternoon). For that shape add {@code -XX:+UseZGC}.
 *
 * <p>{@code --table2 true} runs instead the paper's Table 2 (Zhai et al., 2022: time and memory of
 * a step against the masking ratio): supervised and MP3 at eta 0, 0.25, 0.5 and 0.75, each mode's
 * median seconds per step (timed as above, interleaved) and its peak step memory, both also relative
 * to supervised; our engine only (the PyTorch script knows the default modes only). The memory is
 * the engine's own account ({@link MemoryMeter}), deterministic and the same on every device: the
 * bytes of the distinct tensor storages a step holds when its forward pass ends, the peak in
 * reverse-mode AD (the graph below the loss: activations kept for backward, inputs, targets, masks,
 * and the tensors the backward rules captured), together with the parameters, the optimizer's
 * moments and the parameter gradients backward produces. Op-internal temporaries are not counted.
 * The table also splits that peak into model state (parameters, gradients, moments) and the rest
 * (activations).
 *
 * <p>With {@code --device opencl} it also prints, per mode, the kernel launches and host
 * synchronisations of one step ({@link ClBackend#counters}); {@code --clip} turns on gradient-norm
 * clipping in the step's AdamW, as the training recipes do. {@code --memory N} runs instead N supervised
 * steps on the OpenCL device and prints its memory account ({@link #deviceMemory}); every step runs in a
 * {@link MemoryScope} as in the trainer unless {@code --scopes false}.
 */
public final class StepBench {

    private static final String[] MODES = {"supervised", "mp3-eta0", "mp3-eta0.75"};

    /** Gradient-norm clipping of the step's AdamW ({@code --clip}, 0 for none as before). */
    static float clip = 0f;

    /** {@code --kernels true}: also the launches of a step per kernel, on OpenCL. */
    static boolean kernels = false;

    /** {@code --scopes false}: no {@link MemoryScope} per step, device memory left to the garbage collector. */
    static boolean scopes = true;

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        ViTConfig base = config(opt);
        int batch = Integer.parseInt(opt.getOrDefault("batch", "128"));
        int steps = Integer.parseInt(opt.getOrDefault("steps", "7"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "3"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        Device device = Device.parse(opt.getOrDefault("device", "cpu"));
        boolean torch = Boolean.parseBoolean(opt.getOrDefault("torch", "true"));
        boolean table2 = Boolean.parseBoolean(opt.getOrDefault("table2", "false"));
        clip = Float.parseFloat(opt.getOrDefault("clip", "0"));
        kernels = Boolean.parseBoolean(opt.getOrDefault("kernels", "false"));
        scopes = Boolean.parseBoolean(opt.getOrDefault("scopes", "true"));
        int memorySteps = Integer.parseInt(opt.getOrDefault("memory", "0"));
        Parallel.setThreads(threads);
        Backends.get(device);

        System.out.printf("step benchmark: ViT %d wide, %d deep, %d heads, patch %d on %dx%dx%d (N=%d), batch %d, %d threads,"
                        + " %s; median of %d steps after %d warm-up; JVM heap at most %d MB%n", base.dim(), base.depth(), base.heads(),
                base.patchSize(), base.channels(), base.imageSize(), base.imageSize(), base.numPatches(), batch, threads, device,
                steps, warmup, Runtime.getRuntime().maxMemory() >> 20);
        if (table2) {
            table2(base, batch, warmup, steps, device);
            return;
        }
        if (memorySteps > 0) {
            deviceMemory(base, batch, memorySteps, device);
            return;
        }

        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, StepRunner> runners = runners(base, List.of(MODES), batch, device);
        Map<String, double[]> theirSteps = new LinkedHashMap<>();
        Map<String, double[]> ourSteps = new LinkedHashMap<>();
        Map<String, Double> gcPauses = new LinkedHashMap<>();
        Map<String, Double> ours;
        int warmupLeft = firstWarmUpCheckingPool(runners, warmup, device);
        try (TorchTwin twin = torch ? TorchTwin.start(opt, base, batch, warmup, threads) : null) {
            if (twin != null) {
                System.out.println("  pytorch: " + twin.description + "; its steps alternate with ours");
            }
            ours = time(runners, warmupLeft, steps, cpu, twin, ourSteps, theirSteps, gcPauses);
        }
        if (Backends.get(device) instanceof ClBackend cl) {
            printCounts(runners, cl);
        }
        Map<String, Double> theirs = new LinkedHashMap<>();
        theirSteps.forEach((mode, t) -> theirs.put(mode, median(t)));
        for (String mode : MODES) {
            System.out.printf("  ours    %-12s %.4f s/step  (%.4f CPU s/step, all threads of the JVM)%n", mode, ours.get(mode),
                    cpu.get(mode));
        }
        System.out.println("  ours: the collector's pauses inside the timed steps, " + gcPauseLine(gcPauses, ourSteps));
        for (String mode : theirs.keySet()) {
            double[] pairs = roundRatios(ourSteps.get(mode), theirSteps.get(mode));
            System.out.printf("  pytorch %-12s %.4f s/step  (ours/torch of each pair of steps: %.2f-%.2f, median %.2f)%n",
                    mode, theirs.get(mode), pairs[0], pairs[pairs.length - 1], median(pairs));
        }

        System.out.println();
        System.out.printf("%-12s %12s %10s %12s %10s %10s%n", "mode", "ours s/step", "ours img/s", "torch s/step",
                "torch img/s", "ours/torch");
        for (String mode : MODES) {
            double o = ours.get(mode);
            Double t = theirs.get(mode);
            System.out.printf("%-12s %12.4f %10.1f %12s %10s %10s%n", mode, o, batch / o,
                    t == null ? "-" : String.format("%.4f", t), t == null ? "-" : String.format("%.1f", batch / t),
                    t == null ? "-" : String.format("%.2f", o / t));
        }
        System.out.printf("%nMP3 cost (ours): eta=0.75 step / supervised step = %.2f, eta=0 step / supervised step = %.2f%n",
                ours.get("mp3-eta0.75") / ours.get("supervised"), ours.get("mp3-eta0") / ours.get("supervised"));
        System.out.println("  per round (each mode's step of the same round): " + roundCost(ourSteps));
        System.out.println("  the arithmetic (" + StepArithmetic.class.getSimpleName() + "): " + arithmeticCost(base, batch));
        if (theirs.size() == MODES.length) {
            System.out.printf("MP3 cost (pytorch): eta=0.75 / supervised = %.2f, eta=0 / supervised = %.2f%n",
                    theirs.get("mp3-eta0.75") / theirs.get("supervised"), theirs.get("mp3-eta0") / theirs.get("supervised"));
            System.out.println("  per round: " + roundCost(theirSteps));
        }
    }

    /** The MP3 modes' products over the supervised step's, in multiply-adds: the bound on what masking saves. */
    static String arithmeticCost(ViTConfig base, int batch) {
        ViTConfig mp3 = PositionPrediction.pretrainingModel(base);
        int n = base.numPatches();
        double supervised = StepArithmetic.gflops(base, batch, n);
        return String.format("eta=0.75 %.2f, eta=0 %.2f of the supervised step's %.1f GFLOP",
                StepArithmetic.gflops(mp3, batch, ContextMasking.contextSize(n, 0.75f)) / supervised,
                StepArithmetic.gflops(mp3, batch, n) / supervised, supervised);
    }

    /**
     * The MP3 modes' steps over the supervised step of the same round (the three are timed one
     * after the other, seconds apart), as "eta=0.75 median M (lo-hi), eta=0 ...". On a host whose
     * speed drifts within a run, the medians of the modes taken apart can come from different
     * minutes; a round's three steps come from the same one.
     */
    static String roundCost(Map<String, double[]> steps) {
        double[] supervised = steps.get("supervised");
        StringBuilder out = new StringBuilder();
        for (String mode : List.of("mp3-eta0.75", "mp3-eta0")) {
            double[] ratios = roundRatios(steps.get(mode), supervised);
            out.append(out.isEmpty() ? "" : ", ").append(String.format("%s median %.2f (%.2f-%.2f)",
                    mode.replace("mp3-", ""), median(ratios), ratios[0], ratios[ratios.length - 1]));
        }
        return out.toString();
    }

    /** mode[i] / reference[i] for each round i, sorted (ours over PyTorch's too, pair by pair). */
    static double[] roundRatios(double[] mode, double[] reference) {
        if (mode.length != reference.length || mode.length == 0) {
            throw new IllegalArgumentException("rounds of the two modes: " + mode.length + " and " + reference.length
                    + "; expected the same number, at least one");
        }
        double[] ratios = new double[mode.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = mode[i] / reference[i];
        }
        Arrays.sort(ratios);
        return ratios;
    }

    /**
     * Median seconds of one full training step of our engine, per mode ("supervised", "mp3-eta0",
     * "mp3-eta0.75"). The modes are warmed up
     * first, then their timed steps are interleaved (one step of each mode in turn), so that JIT
     * compilation still going on and the machine's drift weigh on every mode alike: run one after
     * the other, the first mode measured was up to 1.6x slower in some JVM runs than in others.
     */
    static Map<String, Double> ourSteps(ViTConfig base, List<String> modes, int batch, int warmup, int steps,
                                        Device device) {
        return ourSteps(base, modes, batch, warmup, steps, device, new LinkedHashMap<>());
    }

    /**
     * As above; also puts into {@code cpuMedians} each mode's median CPU time of the whole JVM per
     * step (every thread: the pool, the caller, GC and JIT), a figure that, unlike wall time, does
     * not grow when other processes take the cores away, so it compares builds on a busy machine.
     */
    static Map<String, Double> ourSteps(ViTConfig base, List<String> modes, int batch, int warmup, int steps,
                                        Device device, Map<String, Double> cpuMedians) {
        return time(runners(base, modes, batch, device), warmup, steps, cpuMedians);
    }

    /** One runner per mode, in order. */
    static Map<String, StepRunner> runners(ViTConfig base, List<String> modes, int batch, Device device) {
        Map<String, StepRunner> runners = new LinkedHashMap<>();
        for (String mode : modes) {
            runners.put(mode, new StepRunner(base, mode, batch, device));
        }
        return runners;
    }

    /** The timing of {@link #ourSteps}: warm-up, then the runners' steps interleaved; medians per mode. */
    static Map<String, Double> time(Map<String, StepRunner> runners, int warmup, int steps,
                                    Map<String, Double> cpuMedians) {
        try {
            return time(runners, warmup, steps, cpuMedians, null, new LinkedHashMap<>(), new LinkedHashMap<>(),
                    new LinkedHashMap<>());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no twin, no I/O
        }
    }

    /**
     * As above, and with a PyTorch twin (or null) each of our steps is followed by a step of the
     * same mode of the twin's: {@code ourSeconds} and {@code theirSeconds} get every timed step,
     * in pairs measured seconds apart. {@code gcPauseSeconds} gets, per mode, the seconds the JVM's
     * collector held the threads still during that mode's timed steps ({@link #gcPauseMillis}).
     */
    static Map<String, Double> time(Map<String, StepRunner> runners, int warmup, int steps,
                                    Map<String, Double> cpuMedians, TorchTwin twin, Map<String, double[]> ourSeconds,
                                    Map<String, double[]> theirSeconds, Map<String, Double> gcPauseSeconds)
            throws IOException {
        for (int i = 0; i < warmup; i++) {
            runners.values().forEach(StepRunner::step);
        }
        Map<String, double[]> cpu = new LinkedHashMap<>();
        for (String mode : runners.keySet()) {
            ourSeconds.put(mode, new double[steps]);
            cpu.put(mode, new double[steps]);
            if (twin != null) {
                twin.warm(mode);
                theirSeconds.put(mode, new double[steps]);
            }
        }
        for (int i = 0; i < steps; i++) {
            for (var e : runners.entrySet()) {
                long c0 = processCpuNanos();
                long gc0 = gcPauseMillis();
                ourSeconds.get(e.getKey())[i] = e.getValue().step();
                cpu.get(e.getKey())[i] = (processCpuNanos() - c0) / 1e9;
                gcPauseSeconds.merge(e.getKey(), (gcPauseMillis() - gc0) / 1e3, Double::sum);
                if (twin != null) {
                    theirSeconds.get(e.getKey())[i] = twin.step(e.getKey());
                }
            }
        }
        cpu.forEach((mode, t) -> cpuMedians.put(mode, median(t)));
        Map<String, Double> medians = new LinkedHashMap<>();
        ourSeconds.forEach((mode, t) -> medians.put(mode, median(t)));
        return medians;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Kernel launches and host synchronisations of one more step of each mode (after the timed
     * ones, so every kernel is built and the optimizer's moments exist): what the OpenCL backend
     * queued and where the host waited for it.
     */
    static Map<String, ClBackend.Counters> counts(Map<String, StepRunner> runners, ClBackend cl) {
        Map<String, ClBackend.Counters> out = new LinkedHashMap<>();
        for (var e : runners.entrySet()) {
            ClBackend.Counters before = cl.counters();
            e.getValue().step();
            out.put(e.getKey(), cl.counters().minus(before));
        }
        return out;
    }

    static void printCounts(Map<String, StepRunner> runners, ClBackend cl) {
        System.out.printf("%nOpenCL launches and host synchronisations per step (AdamW%s):%n",
                clip > 0 ? ", gradient clipping to " + clip : ", no clipping");
        System.out.printf("%-12s %9s %7s %7s %7s %9s%n", "mode", "launches", "syncs", "reads", "writes", "finishes");
        counts(runners, cl).forEach((mode, c) -> System.out.printf("%-12s %9d %7d %7d %7d %9d%n", mode, c.launches(),
                c.syncs(), c.reads(), c.writes(), c.finishes()));
        if (kernels) {
            for (var e : runners.entrySet()) {
                cl.resetCounters();
                e.getValue().step();
                System.out.println("  " + e.getKey() + " launches by kernel: " + cl.launchesByKernel());
            }
        }
    }

    /**
     * {@code --memory N}: N supervised steps on an OpenCL device, then the pool's account: the peak of
     * live device bytes, the live bytes left, the buffers created through the driver and how many
     * allocations stalled on System.gc() ({@link ClBackend#memory}), with or without a memory scope
     * per step ({@code --scopes}).
     */
    static void deviceMemory(ViTConfig base, int batch, int steps, Device device) {
        if (!(Backends.get(device) instanceof ClBackend cl)) {
            throw new IllegalArgumentException("StepBench --memory: needs an OpenCL device (--device opencl), got " + device);
        }
        ClBackend.Memory start = cl.memory();
        cl.resetPeakMemory();
        StepRunner runner = new StepRunner(base, "supervised", batch, device);
        double[] seconds = new double[steps];
        for (int i = 0; i < steps; i++) {
            seconds[i] = runner.step();
        }
        ClBackend.Memory end = cl.memory();
        Arrays.sort(seconds);
        System.out.printf("device memory over %d supervised steps (%s): peak live %.1f MiB, live at the end %.1f MiB,"
                        + " %d buffers created, %d System.gc() stalls, budget %.1f MiB of %.1f MiB; median %.3f s/step%n",
                steps, scopes ? "a memory scope per step" : "no scopes: garbage collector only",
                end.peakLiveBytes() / 1048576.0, end.liveBytes() / 1048576.0, end.created() - start.created(),
                end.collections() - start.collections(), end.budgetBytes() / 1048576.0, end.globalBytes() / 1048576.0,
                seconds[steps / 2]);
    }

    /**
     * On the CPU, runs the first of the {@code warmup} steps of every runner, counting the arrays
     * each takes for reuse, and prints {@link #poolWarning}'s warning if they exceed the pool.
     * Returns the warm-up steps left to run.
     */
    static int firstWarmUpCheckingPool(Map<String, StepRunner> runners, int warmup, Device device) {
        if (!(Backends.get(device) instanceof CpuBackend backend) || warmup == 0) {
            return warmup;
        }
        long stepBytes = 0;
        for (StepRunner r : runners.values()) {
            long before = backend.recycledArrayBytes();
            r.step();
            stepBytes += backend.recycledArrayBytes() - before;
        }
        String warning = poolWarning(runners.size(), stepBytes, backend.arrayPoolCapacity(), Runtime.getRuntime().maxMemory());
        if (warning != null) {
            System.out.println(warning);
        }
        return warmup - 1;
    }

    /**
     * A warning when the interleaved models' steps cannot all stay in the CPU backend's array pool,
     * else null. {@code stepBytes} is the sum over the models of the arrays one step takes for reuse
     * ({@link CpuBackend#recycledArrayBytes}). Past the pool's capacity the models' arrays push each
     * other out and each step allocates its own afresh, a cost that a training run, one model per
     * JVM, does not pay: the supervised ViT-192 step took 1.09-1.64x as long at a 6 GB heap as at
     * 16 GB (BENCHMARKS.md, 2026-12-02 late morning).
     */
    static String poolWarning(int models, long stepBytes, long poolBytes, long heapBytes) {
        if (stepBytes <= poolBytes) {
            return null;
        }
        // The pool is a fixed share of the heap: the heap that would hold these steps scales with them.
        long heapNeeded = (long) ((double) heapBytes * stepBytes / poolBytes);
        return String.format("  warning: one step of each of the %d models takes %d MB of arrays for reuse, more than the"
                + " %d MB the CPU backend keeps (its share of this JVM's %d MB heap), so every step will allocate its arrays"
                + " afresh, unlike a training run; give the JVM a heap above %d MB (java -Xmx16g on a 24 GB machine)",
                models, stepBytes >> 20, poolBytes >> 20, heapBytes >> 20, heapNeeded >> 20);
    }

    /** The modes of Table 2: supervised, then MP3 at the paper's masking ratios. */
    static final List<String> TABLE2_MODES = List.of("supervised", "mp3-eta0", "mp3-eta0.25", "mp3-eta0.5",
            "mp3-eta0.75");

    /**
     * Table 2: per mode, median seconds per step and peak step memory ({@link StepRunner#memory()}),
     * both also relative to the supervised step. The memory is measured on one extra step after
     * the timed ones (the optimizer's moments exist by then), outside the timing.
     */
    static void table2(ViTConfig base, int batch, int warmup, int steps, Device device) {
        Map<String, StepRunner> runners = runners(base, TABLE2_MODES, batch, device);
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Double> times = time(runners, firstWarmUpCheckingPool(runners, warmup, device), steps, cpu);
        Map<String, StepMemory> memory = new LinkedHashMap<>();
        runners.forEach((mode, r) -> memory.put(mode, r.memory()));
        double t0 = times.get("supervised");
        double m0 = memory.get("supervised").peakBytes();
        System.out.println();
        System.out.println("Table 2 (time and memory of one training step vs masking ratio), ours on " + device
                + "; memory = distinct tensor storages held when the forward pass ends + parameters, gradients and"
                + " AdamW moments");
        System.out.printf("%-12s %5s %10s %8s %10s %8s %10s %10s%n", "mode", "eta", "s/step", "time x", "peak MB",
                "memory x", "state MB", "activ. MB");
        for (String mode : TABLE2_MODES) {
            StepRunner r = runners.get(mode);
            StepMemory m = memory.get(mode);
            double t = times.get(mode);
            System.out.printf("%-12s %5s %10.4f %8.2f %10.2f %8.2f %10.2f %10.2f%n", mode,
                    r.mp3 ? String.valueOf(r.eta) : "-", t, t / t0, m.peakBytes() / 1e6, m.peakBytes() / m0,
                    m.stateBytes() / 1e6, (m.peakBytes() - m.stateBytes()) / 1e6);
        }
    }

    /**
     * A step's memory in bytes: {@code peakBytes}, the distinct storages held at the end of the
     * forward pass plus the parameter gradients; {@code stateBytes}, the part of it that is model
     * state (parameters, gradients, optimizer moments), which the step holds whatever the batch.
     */
    record StepMemory(long peakBytes, long stateBytes) {}

    /**
     * Milliseconds the JVM's collectors have stopped the application so far: the sum over the
     * collector beans that count pauses (G1's three: young and mixed pauses, the concurrent cycle's
     * remark and cleanup pauses under "G1 Concurrent GC", full collections; ZGC's and Shenandoah's
     * "... Pauses"; the parallel and serial collectors' two), leaving out those that time a
     * concurrent collector's cycles, which run beside the application (ZGC's and Shenandoah's
     * "... Cycles").
     */
    static long gcPauseMillis() {
        long total = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (countsPauses(gc.getName())) {
                total += Math.max(0, gc.getCollectionTime());
            }
        }
        return total;
    }

    /** Whether the collector bean of this name times pauses rather than concurrent cycles. */
    static boolean countsPauses(String beanName) {
        return !beanName.endsWith("Cycles");
    }

    /**
     * "supervised 0.12 s, mp3-eta0 ..." for the pauses per mode, and a note when they make up more
     * than a twentieth of a mode's timed steps: a pause lands on whichever step is running, so it
     * can decide which mode comes out slower.
     */
    static String gcPauseLine(Map<String, Double> pauseSeconds, Map<String, double[]> stepSeconds) {
        StringBuilder out = new StringBuilder();
        boolean large = false;
        for (var e : pauseSeconds.entrySet()) {
            double total = Arrays.stream(stepSeconds.get(e.getKey())).sum();
            large |= e.getValue() > 0.05 * total;
            out.append(out.isEmpty() ? "" : ", ").append(String.format("%s %.2f s", e.getKey(), e.getValue()));
        }
        return out + (large ? " -- more than 5 % of a mode's time: compare the modes with care (another collector,"
                + " e.g. -XX:+UseZGC, barely stops the steps)" : "");
    }

    /** CPU time of this JVM so far, all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One mode's model, optimizer and random stream; {@link #step()} runs and times one training step. */
    static final class StepRunner {
        private final boolean mp3;
        private final float eta;
        private final int batch;
        private final Device device;
        private final ViTConfig config;
        private final Rng rng = new Rng(0);
        private final VisionTransformer model;
        private final Adam optimizer;
        private final Tensor targets;

        StepRunner(ViTConfig base, String mode, int batch, Device device) {
            this.mp3 = !mode.equals("supervised");
            this.eta = mp3 ? eta(mode) : 0f;
            this.batch = batch;
            this.device = device;
            this.config = mp3 ? PositionPrediction.pretrainingModel(base) : base;
            this.model = new VisionTransformer(config, rng);
            model.to(device);
            model.train(rng.fork());
            this.optimizer = new Adam(model.namedParameters(), Adam.Config.adamW(0.05f).withClipping(clip));
            this.targets = PositionPrediction.targets(batch, config.numPatches(), device);
        }

        /** The masking ratio of a mode "mp3-eta{ratio}". */
        private static float eta(String mode) {
            if (!mode.startsWith("mp3-eta")) {
                throw new IllegalArgumentException("StepBench: unknown mode '" + mode + "' (supervised or mp3-eta<ratio>)");
            }
            return Float.parseFloat(mode.substring("mp3-eta".length()));
        }

        /** Seconds of one step: forward, loss, backward, AdamW update, loss read back. */
        double step() {
            return run(null);
        }

        /**
         * Runs one step (untimed for the purpose) and measures its memory with a {@link MemoryMeter}:
         * when the forward pass ends, the graph below the loss, the parameters and the optimizer's
         * moments; after backward, the parameters' gradients added to that. Deterministic: the same
         * shapes every step, whatever the garbage collector does.
         */
        StepMemory memory() {
            MemoryMeter peak = new MemoryMeter();
            MemoryMeter state = new MemoryMeter();
            run(new MemoryMeter[] {peak, state});
            return new StepMemory(peak.bytes(), state.bytes());
        }

        /** One step; with meters (peak, state), measures as {@link #memory()} says. */
        private double run(MemoryMeter[] meters) {
            Tensor images = rng.normal(0f, 1f, batch, config.channels(), config.imageSize(), config.imageSize());
            int[] labels = new int[batch];
            for (int b = 0; b < batch; b++) {
                labels[b] = rng.nextInt(10);
            }
            long t0 = System.nanoTime();
            // As the trainer: the step's device memory is released when the step ends (--scopes).
            try (MemoryScope step = scopes ? MemoryScope.open() : null) {
                step(images, labels, meters);
            }
            return (System.nanoTime() - t0) / 1e9;
        }

        private void step(Tensor images, int[] labels, MemoryMeter[] meters) {
            Tensor x = images.to(device);
            Var loss;
            if (mp3) {
                Context ctx = ContextMasking.sample(rng, batch, config.numPatches(), eta, device);
                loss = PositionPrediction.loss(PositionPrediction.logits(model, x, ctx), targets, 0f);
            } else {
                loss = Losses.crossEntropy(model.classify(x), Tensor.ofInts(labels, batch).to(device), 0f);
            }
            if (meters != null) {
                meters[0].addGraph(loss);
                for (MemoryMeter m : meters) {
                    for (Parameter p : model.namedParameters().values()) {
                        m.add(p.value());
                    }
                    optimizer.stateDict().forEach((name, t) -> {
                        if (!name.equals("step")) {
                            m.add(t);
                        }
                    });
                }
            }
            loss.backward();
            if (meters != null) {
                for (MemoryMeter m : meters) {
                    for (Parameter p : model.namedParameters().values()) {
                        m.add(p.grad());
                    }
                }
            }
            // As the trainer: the update queued with the loss as its guard, then loss and gradient
            // norm read back together.
            Adam.Update update = optimizer.queue(1e-3f, loss.value());
            optimizer.zeroGrad();
            update.read();
        }
    }


    /**
     * The benchmark's supervised ViT from the options {@code --dim 192 --depth 6 --heads 3 --patch 4
     * --image 28 --channels 1} (the defaults); the MP3 modes derive theirs from it.
     */
    static ViTConfig config(Map<String, String> opt) {
        int dim = Integer.parseInt(opt.getOrDefault("dim", "192"));
        int depth = Integer.parseInt(opt.getOrDefault("depth", "6"));
        int heads = Integer.parseInt(opt.getOrDefault("heads", "3"));
        int patch = Integer.parseInt(opt.getOrDefault("patch", "4"));
        int image = Integer.parseInt(opt.getOrDefault("image", "28"));
        int channels = Integer.parseInt(opt.getOrDefault("channels", "1"));
        return new ViTConfig(image, patch, channels, dim, depth, heads, 4f, 10, true, PositionEmbedding.LEARNED,
                false, 0f, 0f, 1e-6f);
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("StepBench: expected --name value pairs, got '" + args[i] + "'");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}

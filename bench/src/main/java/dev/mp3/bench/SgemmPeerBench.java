package dev.mp3.bench;

import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Our SGEMM against OpenBLAS's in one process: per shape, short windows of repeated calls, ours and
 * OpenBLAS's alternating (ABBA order), each on the same operands and thread count: the ratio of
 * their mean rates, and the median over the rounds of each round's ratio. On the 2-core build VM
 * the machine's speed drifts by up to 2x over seconds (an FMA loop timed in 100 ms windows read
 * 38-78 GFLOP/s within 30 s on 2026-12-02), so two processes timed one after the other compare
 * two different machines; windows a fraction of a second apart see the same one.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *      dev.mp3.bench.SgemmPeerBench [--threads 2] [--rounds 8] [--window 0.25] [--shapes MxKxN[:tA|:tB],...]
 *      [--warmup-pass true]
 * </pre>
 *
 * A shape is {@code MxKxN} as in {@link MatMulBench}; {@code :tA} stores A as [K, M] (the weight
 * gradient dY^T X), {@code :tB} stores B as [N, K] (a linear layer x W^T). Before each window the
 * thread sleeps {@link #PAUSE_MILLIS}: OpenBLAS's idle threads spin for a while after a call
 * (OPENBLAS_THREAD_TIMEOUT, 2^28 cycles by default) and would otherwise take a core from the window
 * after theirs.
 *
 * <p>Before the first timed shape, an untimed pass runs every shape (ours and OpenBLAS's, one
 * window each after the usual two), so that the JIT has compiled all of our paths before any is
 * timed: without it the first shapes were timed while C2's compiler threads took turns on the same
 * two cores (256² read 0.90x measured first and 0.96x measured again later in the same process,
 * BENCHMARKS.md, 2026-12-03). OpenBLAS, compiled ahead of time, has nothing to warm.
 * {@code --warmup-pass false} skips it.
 */
public final class SgemmPeerBench {
    /** The shapes of issue #12: squares and the 192-wide ViT's products, the weight gradients included. */
    static final String DEFAULT_SHAPES = "256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,"
            + "6400x192x576,6400x192x768,6400x768x192,6400x192x576:tB,"
            + "576x6400x192:tA,768x6400x192:tA,192x6400x768:tA,192x6400x576:tA";
    static final long PAUSE_MILLIS = 150;

    private SgemmPeerBench() {}

    /** One shape's windows: GFLOP/s of ours and of OpenBLAS, in round order, and the results' largest difference. */
    record Result(String shape, double[] ours, double[] theirs, double maxRelativeDifference) {
        double ratioOfMeans() {
            return mean(ours) / mean(theirs);
        }

        /** ours / theirs of each round's two windows, smallest first. */
        double[] sortedRoundRatios() {
            double[] ratios = new double[ours.length];
            for (int r = 0; r < ours.length; r++) {
                ratios[r] = ours[r] / theirs[r];
            }
            Arrays.sort(ratios);
            return ratios;
        }

        /**
         * The median of {@link #sortedRoundRatios} (the mean of the middle two for an even count):
         * the figure MEASURE.md asks for on a noisy machine, where one slow window of either side
         * moves the ratio of the means.
         */
        double medianRoundRatio() {
            double[] ratios = sortedRoundRatios();
            int n = ratios.length;
            return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
        }

        /** The smallest and largest of {@link #sortedRoundRatios}. */
        double[] roundRatioRange() {
            double[] ratios = sortedRoundRatios();
            return new double[] {ratios[0], ratios[ratios.length - 1]};
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opt = StepBench.parse(args);
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "8"));
        double window = Double.parseDouble(opt.getOrDefault("window", "0.25"));
        if (threads < 1 || rounds < 1 || !(window > 0)) {
            throw new IllegalArgumentException("SgemmPeerBench: --threads and --rounds must be >= 1 and --window > 0, got "
                    + threads + ", " + rounds + ", " + window);
        }
        OpenBlas blas = OpenBlas.load();
        blas.threads(threads);
        Parallel.setThreads(threads);
        String[] shapes = opt.getOrDefault("shapes", DEFAULT_SHAPES).split(",");
        boolean warmupPass = Boolean.parseBoolean(opt.getOrDefault("warmup-pass", "true"));
        System.out.printf("SGEMM, ours vs OpenBLAS in one process, %d threads, %d rounds of %.2f s windows (ABBA)%s, %s%n",
                threads, rounds, window, warmupPass ? " after an untimed pass over every shape" : "", Instant.now());
        System.out.println("OpenBLAS: " + blas.config() + " (" + blas.library() + ")");
        if (warmupPass) {
            for (String text : shapes) {
                measure(blas, text, 1, window);
            }
        }
        System.out.println();
        System.out.println("| shape | ours GFLOP/s | OpenBLAS GFLOP/s | ours / OpenBLAS | median of rounds' ratios | rounds' ours / OpenBLAS |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        List<Result> results = new ArrayList<>();
        for (String text : shapes) {
            Result r = measure(blas, text, rounds, window);
            results.add(r);
            double[] range = r.roundRatioRange();
            System.out.printf("| %s | %.1f ± %.1f | %.1f ± %.1f | %.2f | %.2f | %.2f-%.2f |%n", r.shape(), mean(r.ours()),
                    std(r.ours()), mean(r.theirs()), std(r.theirs()), r.ratioOfMeans(), r.medianRoundRatio(), range[0],
                    range[1]);
        }
        System.out.println();
        System.out.println("GFLOP/s: mean ± std over the rounds' windows; ours / OpenBLAS: ratio of the means; median of"
                + " rounds' ratios: the median over the rounds of ours / OpenBLAS in each round's two windows.");
        double worst = results.stream().mapToDouble(r -> r.maxRelativeDifference).max().orElse(0);
        System.out.printf("largest |ours - OpenBLAS| / max |C| over all shapes: %.1e%n", worst);
    }

    /**
     * The shape {@code text} (MxKxN[:tA|:tB]): warms both up for two windows each, then times
     * {@code rounds} rounds of one window each, in ABBA order.
     */
    static Result measure(OpenBlas blas, String text, int rounds, double window) throws InterruptedException {
        MatMulBench.Shape s = MatMulBench.Shape.parse(text);
        SplittableRandom random = new SplittableRandom(text.hashCode());
        float[] a = new float[s.m() * s.k()];
        float[] b = new float[s.k() * s.n()];
        float[] c = new float[s.m() * s.n()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextDouble() - 0.5);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (random.nextDouble() - 0.5);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment na = arena.allocate((long) a.length * Float.BYTES, 64);
            MemorySegment nb = arena.allocate((long) b.length * Float.BYTES, 64);
            MemorySegment nc = arena.allocate((long) c.length * Float.BYTES, 64);
            MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
            MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);
            Runnable ours = () -> GemmKernels.gemm(1, s.m(), s.n(), s.k(), a, 0, 0, s.transA(), b, 0, 0, s.transB(), c, 0, 0);
            Runnable theirs = () -> blas.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), na, nb, nc);
            for (int w = 0; w < 2; w++) {
                window(ours, s.flops(), window);
                window(theirs, s.flops(), window);
            }
            double[] oursRate = new double[rounds];
            double[] theirRate = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    oursRate[r] = window(ours, s.flops(), window);
                    theirRate[r] = window(theirs, s.flops(), window);
                } else {
                    theirRate[r] = window(theirs, s.flops(), window);
                    oursRate[r] = window(ours, s.flops(), window);
                }
            }
            float[] fromBlas = new float[c.length];
            MemorySegment.copy(nc, ValueLayout.JAVA_FLOAT, 0, fromBlas, 0, c.length);
            return new Result(text, oursRate, theirRate, maxRelativeDifference(c, fromBlas));
        }
    }

    /** GFLOP/s of calls repeated for {@code seconds} of wall time, after a pause for the other side's threads to idle. */
    static double window(Runnable call, double flopsPerCall, double seconds) throws InterruptedException {
        Thread.sleep(PAUSE_MILLIS);
        long start = System.nanoTime();
        long until = start + (long) (seconds * 1e9);
        long calls = 0;
        long now;
        do {
            call.run();
            calls++;
            now = System.nanoTime();
        } while (now < until);
        return flopsPerCall * calls / (now - start);
    }

    /** max |x - y| / max |y|: how far two computations of the same product are apart. */
    static double maxRelativeDifference(float[] x, float[] y) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs((double) x[i] - y[i]));
            scale = Math.max(scale, Math.abs((double) y[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double std(double[] values) {
        double m = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - m) * (v - m);
        }
        return values.length > 1 ? Math.sqrt(sum / (values.length - 1)) : 0;
    }
}

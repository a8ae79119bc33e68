package dev.mp3.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the JMH benchmarks of this module and prints their results as GFLOP/s (matmul) and GB/s
 * (memory-bound kernels) tables, with the ratio of ours to the reference measured in the same run.
 * Scores are the median over all measurement iterations of all forks.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar [matmul|kernels|all]
 *      [--forks N] [--warmup N] [--iterations N] [--time SECONDS] [--shapes S1,S2,...]
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {}

    /**
     * The forks' JVM options. Their vector width: a -XX:UseAVX given to this JVM is passed on;
     * otherwise 512-bit vectors wherever the CPU has AVX-512, as mp3.sh gives the CLI (HotSpot
     * stops at 256 bits on early Skylake-SP steppings, where the SGEMM would time its 256-bit
     * kernel against an OpenBLAS that uses AVX-512). The collector is the launcher's, G1: under
     * ParallelGC the forks timed [6400, 192] x [192, 576] at 39-41 GFLOP/s against 81-97 under G1
     * (AVX2 Zen 3, 2026-12-01, alternating runs; cause not traced, not the operands' alignment).
     */
    static String[] forkArgs() {
        List<String> args = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g",
                "-XX:+UseG1GC"));
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-XX:UseAVX="))
                .reduce((first, last) -> last)
                .or(() -> hasAvx512() ? java.util.Optional.of("-XX:UseAVX=3") : java.util.Optional.empty())
                .ifPresent(args::add);
        return args.toArray(String[]::new);
    }

    /** Whether /proc/cpuinfo lists avx512f (false where there is none to read: HotSpot's own choice stands). */
    private static boolean hasAvx512() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        } catch (IOException e) {
            return false;
        }
    }

    private static final String USAGE = "usage: benchmarks.jar [matmul|kernels|all] [--forks N] [--warmup N]"
            + " [--iterations N] [--time SECONDS] [--shapes MxKxN[:tA|:tB],...]";

    public static void main(String[] args) throws RunnerException, IOException {
        String which = "all";
        int forks = 1;
        int warmup = 5;
        int iterations = 5;
        int seconds = 2;
        String shapes = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "matmul", "kernels", "all" -> which = arg;
                case "--forks" -> forks = intArg(args, ++i, arg, 1);
                case "--warmup" -> warmup = intArg(args, ++i, arg, 0);
                case "--iterations" -> iterations = intArg(args, ++i, arg, 1);
                case "--time" -> seconds = intArg(args, ++i, arg, 1);
                case "--shapes" -> shapes = stringArg(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(forks)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .shouldFailOnError(true)
                .jvmArgsAppend(forkArgs());
        if (!which.equals("kernels")) {
            options.include(MatMulBench.class.getName());
        }
        if (!which.equals("matmul")) {
            options.include(KernelBench.class.getName());
        }
        if (shapes != null) {
            for (String s : shapes.split(",")) {
                MatMulBench.Shape.parse(s);
            }
            options.param("shape", shapes.split(","));
        }
        String loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.println("load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage());
        System.out.printf("JDK %s, %d forks x %d iterations of %d s after %d warm-up iterations; medians%n",
                Runtime.version(), forks, iterations, seconds, warmup);
        printMatMul(results);
        printKernels(results);
    }

    private static int intArg(String[] args, int i, String name, int min) {
        String text = stringArg(args, i, name);
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects an integer, got '" + text + "'\n" + USAGE, e);
        }
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value + "\n" + USAGE);
        }
        return value;
    }

    private static String stringArg(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static String loadAverage() throws IOException {
        Path proc = Path.of("/proc/loadavg");
        if (!Files.exists(proc)) {
            return "unknown";
        }
        String[] fields = Files.readString(proc).trim().split("\\s+");
        return fields[0] + ", " + fields[1] + ", " + fields[2];
    }

    private static double median(RunResult r) {
        return r.getPrimaryResult().getStatistics().getPercentile(50);
    }

    private static String method(RunResult r) {
        String name = r.getParams().getBenchmark();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static void printMatMul(Collection<RunResult> results) {
        Map<String, Map<String, Double>> byShape = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().startsWith(MatMulBench.class.getName())) {
                continue;
            }
            String shape = r.getParams().getParam("shape");
            String variant = r.getParams().getParam("variant");
            byShape.computeIfAbsent(shape, s -> new LinkedHashMap<>())
                    .put(variant, median(r) * MatMulBench.flops(variant, shape) / 1e9);
        }
        if (byShape.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("SGEMM, 2 threads: ours = dev.mp3.tensor.cpu.GemmKernels.gemm, EJML = CommonOps_MT_FDRM (concurrent),");
        System.out.println("peak = Vector API FMA peak of the same 2 threads, measured right after");
        System.out.println("| shape M x K x N | ours GFLOP/s | EJML GFLOP/s | ours / EJML | peak GFLOP/s | ours / peak |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, Map<String, Double>> e : byShape.entrySet()) {
            double ours = e.getValue().getOrDefault("ours", Double.NaN);
            double ejml = e.getValue().getOrDefault("ejml", Double.NaN);
            double peak = e.getValue().getOrDefault("peak", Double.NaN);
            System.out.printf("| %s | %.1f | %.2f | %.0fx | %.1f | %.0f%% |%n",
                    e.getKey(), ours, ejml, ours / ejml, peak, 100 * ours / peak);
        }
    }

    /** Bytes one call reads and writes. */
    private static double bytes(String method, RunResult r) {
        return switch (method) {
            case "softmax" -> {
                int len = Integer.parseInt(r.getParams().getParam("softmaxRow"));
                yield 8.0 * (KernelBench.ELEMENTS / len) * len;
            }
            case "layerNorm" -> {
                int len = Integer.parseInt(r.getParams().getParam("normRow"));
                yield 8.0 * (KernelBench.ELEMENTS / len) * len;
            }
            case "add" -> 12.0 * KernelBench.ELEMENTS;
            case "gelu" -> 8.0 * KernelBench.ELEMENTS;
            default -> throw new IllegalStateException("no byte count for benchmark " + method);
        };
    }

    private static void printKernels(Collection<RunResult> results) {
        Map<String, double[]> byCase = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().startsWith(KernelBench.class.getName())) {
                continue;
            }
            String m = method(r);
            String row = switch (m) {
                case "softmax" -> "rows of " + r.getParams().getParam("softmaxRow");
                case "layerNorm" -> "rows of " + r.getParams().getParam("normRow");
                default -> KernelBench.ELEMENTS + " floats";
            };
            String key = m + " | " + row;
            if (!byCase.containsKey(key)) {
                order.add(key);
            }
            double gbs = median(r) * bytes(m, r) / 1e9;
            double[] pair = byCase.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN});
            pair[r.getParams().getParam("variant").equals("ours") ? 0 : 1] = gbs;
        }
        if (byCase.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("Memory-bound kernels: ours = Tensor API (Vector API, 2 threads), scalar = plain Java loop (1 thread)");
        System.out.println("| kernel | size | ours GB/s | scalar GB/s | ours / scalar |");
        System.out.println("|---|---|---:|---:|---:|");
        for (String key : order) {
            double[] p = byCase.get(key);
            System.out.printf("| %s | %.1f | %.1f | %.1fx |%n", key, p[0], p[1], p[0] / p[1]);
        }
    }
}

package dev.mp3.tensor.cpu;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Tensor;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A wall-clock timer per backend op, for finding where a training step's time goes. Off unless the
 * JVM runs with {@code -Dmp3.profile=true}; then CPU tensors dispatch through a proxy of
 * {@link CpuBackend} that times each top-level call (a call made from inside another backend call,
 * such as {@code sumTo}'s reductions, counts towards its caller) under a key naming the op and its
 * variant: the unary/binary/reduce operator, the matmul's transpose flags and sizes, sumTo's
 * shapes. Off, the only cost is one static final branch in {@link CpuStorage#backend()}, which the
 * JIT folds away.
 *
 * <p>Only the calls of one thread are timed: the thread that last called {@link #reset()} (the
 * training loop), so a batch-building thread's ops neither count nor race on the table; and none
 * while {@link #pause()}d (a validation pass inside a training run).
 */
public final class OpProfile {
    /** Whether CPU tensors dispatch through the timing proxy. */
    public static final boolean ENABLED = Boolean.getBoolean("mp3.profile");

    static final Backend PROXY = ENABLED ? (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class}, new Timer()) : null;

    private static final Map<String, long[]> TIMES = new LinkedHashMap<>();
    private static volatile Thread owner;
    private static volatile boolean paused;
    private static int depth;

    private OpProfile() {}

    /** Forgets everything timed so far (after warm-up); from now on the calling thread's ops are timed. */
    public static void reset() {
        TIMES.clear();
        depth = 0;
        paused = false;
        owner = Thread.currentThread();
    }

    /** Stops timing until {@link #resume()} (work that is not part of the steps being profiled). */
    public static void pause() {
        paused = true;
    }

    /** Times ops again after {@link #pause()}. */
    public static void resume() {
        paused = false;
    }

    /** Nanoseconds and call counts per key, in first-seen order. */
    public static Map<String, long[]> snapshot() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        TIMES.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /**
     * Prints each key's share of {@code totalNanos} (the timed steps' wall time), largest first,
     * grouped by op family (the part of the key before the first space), and the remainder spent
     * outside backend calls; then the split of the step between matrix products (the matmul
     * families, bias and activation epilogues included) and everything else. {@code steps} divides
     * the times into per-step milliseconds.
     */
    public static void print(PrintStream out, long totalNanos, int steps) {
        print(out, TIMES, totalNanos, steps);
    }

    /** {@link #print(PrintStream, long, int)} of the given times (nanoseconds and calls per key). */
    static void print(PrintStream out, Map<String, long[]> times, long totalNanos, int steps) {
        Map<String, long[]> families = new LinkedHashMap<>();
        long inOps = 0;
        for (var e : times.entrySet()) {
            String family = e.getKey().split(" ", 2)[0];
            long[] f = families.computeIfAbsent(family, k -> new long[2]);
            f[0] += e.getValue()[0];
            f[1] += e.getValue()[1];
            inOps += e.getValue()[0];
        }
        out.printf("%-58s %10s %8s %7s%n", "op family / op", "ms/step", "calls", "% step");
        List<Map.Entry<String, long[]>> fam = new ArrayList<>(families.entrySet());
        fam.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        long products = 0;
        for (var f : fam) {
            products += f.getKey().startsWith("matmul") ? f.getValue()[0] : 0;
            row(out, f.getKey(), f.getValue(), totalNanos, steps);
            List<Map.Entry<String, long[]>> ops = new ArrayList<>();
            for (var e : times.entrySet()) {
                if (e.getKey().split(" ", 2)[0].equals(f.getKey()) && e.getKey().contains(" ")) {
                    ops.add(e);
                }
            }
            ops.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
            for (int i = 0; i < Math.min(12, ops.size()); i++) {
                row(out, "    " + ops.get(i).getKey(), ops.get(i).getValue(), totalNanos, steps);
            }
        }
        row(out, "(outside backend calls)", new long[] {totalNanos - inOps, 0}, totalNanos, steps);
        out.printf("matrix products (matmul, matmulActivated): %.1f %% of the step; everything else: %.1f %%%n",
                100.0 * products / totalNanos, 100.0 * (totalNanos - products) / totalNanos);
    }

    private static void row(PrintStream out, String name, long[] v, long totalNanos, int steps) {
        out.printf("%-58s %10.2f %8d %6.1f%%%n", name, v[0] / 1e6 / steps, v[1] / steps, 100.0 * v[0] / totalNanos);
    }

    static String key(Method m, Object[] args) {
        String name = m.getName();
        if (args == null) {
            return name;
        }
        switch (name) {
            case "unary", "unaryBackward", "binary", "reduce" -> {
                String k = name + " " + args[0];
                if (name.equals("binary")) {
                    k += " " + shapes((Tensor) args[1], (Tensor) args[2]);
                }
                return k;
            }
            case "matmul", "matmulWithSums" -> {
                Tensor a = (Tensor) args[0];
                Tensor b = (Tensor) args[2];
                boolean ta = (Boolean) args[1];
                boolean tb = (Boolean) args[3];
                return name + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + shapes(a, b);
            }
            case "sumTo" -> {
                return name + " " + java.util.Arrays.toString(((Tensor) args[0]).shape()) + " to "
                        + java.util.Arrays.toString((int[]) args[1]);
            }
            default -> {
                return name;
            }
        }
    }

    private static String shapes(Tensor a, Tensor b) {
        return java.util.Arrays.toString(a.shape()) + "x" + java.util.Arrays.toString(b.shape());
    }

    private static final class Timer implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (depth > 0 || paused || Thread.currentThread() != owner) {
                return call(m, args);
            }
            depth++;
            long t0 = System.nanoTime();
            try {
                return call(m, args);
            } finally {
                long dt = System.nanoTime() - t0;
                depth--;
                long[] v = TIMES.computeIfAbsent(key(m, args), k -> new long[2]);
                v[0] += dt;
                v[1]++;
            }
        }

        private static Object call(Method m, Object[] args) throws Throwable {
            try {
                return m.invoke(CpuBackend.INSTANCE, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}

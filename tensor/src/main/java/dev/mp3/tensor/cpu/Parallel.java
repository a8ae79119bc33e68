package dev.mp3.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU backend's threads: the calling thread and a pool of {@code threads - 1} helpers (the
 * machine's cores, or the system property {@code mp3.threads}). Work is split into ranges of a
 * fixed size, which the caller and the helpers take one after another until none is left; kernels
 * write disjoint outputs per range and never let the split change arithmetic order, so results are
 * identical on any thread count, whichever thread runs a range.
 *
 * <p>Why the caller works too: handing every range to the pool and waiting put two thread
 * wake-ups (the pool's, then the caller's) into every operation, 10-15 microseconds of idle cores
 * each on the build machine's VM, while a model 128 wide at batch 64 runs hundreds of operations of
 * a few hundred microseconds per step. Here the caller starts on the first range at once and a
 * helper joins when it wakes.
 */
public final class Parallel {
    /** The helpers, and the threads an operation runs on (the caller and the helpers), replaced together. */
    private record Threads(ForkJoinPool helpers, int count) {}

    private static volatile Threads current = create(Integer.getInteger("mp3.threads",
            Runtime.getRuntime().availableProcessors()));

    /** Set while this thread runs a range: a forRange inside one runs inline, on this thread. */
    private static final ThreadLocal<boolean[]> IN_RANGE = ThreadLocal.withInitial(() -> new boolean[1]);

    private Parallel() {}

    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    /** The threads an operation runs on: the caller and the pool's helpers. */
    public static int threads() {
        return current.count;
    }

    /** Replaces the pool (tests compare 1 and 2 threads; benchmarks pin the count). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Threads old = current;
        current = create(threads);
        old.helpers.shutdown();
    }

    /** threads - 1 helpers (a pool starts its threads when first given work: none for threads == 1). */
    private static Threads create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("mp3.threads must be >= 1, got " + threads);
        }
        return new Threads(new ForkJoinPool(Math.max(1, threads - 1), p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("mp3-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false), threads);
    }

    /**
     * Runs body over [0, n) split into ranges of at least {@code grain} items (about four per
     * thread); small ranges, single-threaded pools and calls from inside a range run on the
     * calling thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        Threads t = current;
        int chunks = (int) Math.min((long) t.count * 4, Math.max(1, n / Math.max(1, grain)));
        if (t.count == 1 || chunks <= 1 || IN_RANGE.get()[0]) {
            body.run(0, n);
            return;
        }
        int chunk = (n + chunks - 1) / chunks;
        Ranges ranges = new Ranges(body, n, chunk);
        int helpers = Math.min(t.count - 1, ranges.count - 1);
        ForkJoinTask<?>[] started = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            started[h] = t.helpers.submit(ranges::drain);
        }
        Throwable failure = null;
        try {
            ranges.drain();
        } catch (Throwable e) {
            failure = e;
        }
        // Every helper is waited for, even after a failure here: none may still write into the
        // outputs once this returns.
        for (ForkJoinTask<?> task : started) {
            try {
                task.join();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {   // a checked exception thrown sneakily by a body
            throw new IllegalStateException("a parallel range failed", failure);
        }
    }

    /** The ranges of one call, [i * chunk, min(n, (i + 1) * chunk)), handed out in order to whichever thread asks next. */
    private static final class Ranges {
        private final RangeBody body;
        private final int n;
        private final int chunk;
        private final int count;
        private final AtomicInteger next = new AtomicInteger();

        Ranges(RangeBody body, int n, int chunk) {
            this.body = body;
            this.n = n;
            this.chunk = chunk;
            this.count = (n + chunk - 1) / chunk;
        }

        /**
         * Runs ranges until none is left, marked as inside a range (a nested forRange runs
         * inline). A range that throws stops the others from starting more.
         */
        void drain() {
            boolean[] inRange = IN_RANGE.get();
            inRange[0] = true;
            try {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    int lo = i * chunk;
                    body.run(lo, Math.min(n, lo + chunk));
                }
            } catch (Throwable e) {
                next.set(count);
                throw e;
            } finally {
                inRange[0] = false;
            }
        }
    }
}

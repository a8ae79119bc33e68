package dev.mp3.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The CPU backend's thread pool: a ForkJoinPool sized to the machine (or to the system property
 * {@code mp3.threads}). Work is split into ranges; kernels write disjoint outputs per range and
 * never let the split change arithmetic order, so results are identical on any thread count.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(Integer.getInteger("mp3.threads",
            Runtime.getRuntime().availableProcessors()));

    private Parallel() {}

    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the pool (tests compare 1 and 2 threads; benchmarks pin the count). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        ForkJoinPool old = pool;
        pool = newPool(threads);
        old.shutdown();
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(Math.max(1, threads), p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("mp3-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /**
     * Runs body over [0, n) split into ranges of at least {@code grain} items (about four per
     * thread); small ranges run on the calling thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        ForkJoinPool p = pool;
        int threads = p.getParallelism();
        int chunks = (int) Math.min((long) threads * 4, Math.max(1, n / Math.max(1, grain)));
        if (threads == 1 || chunks <= 1 || inPool(p)) {
            body.run(0, n);
            return;
        }
        int chunk = (n + chunks - 1) / chunks;
        p.invoke(new Split(body, 0, n, chunk));
    }

    private static boolean inPool(ForkJoinPool p) {
        return Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread w && w.getPool() == p;
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int lo;
        private final int hi;
        private final int chunk;

        Split(RangeBody body, int lo, int hi, int chunk) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.chunk = chunk;
        }

        @Override
        protected void compute() {
            if (hi - lo <= chunk) {
                body.run(lo, hi);
                return;
            }
            int mid = lo + ((hi - lo) / chunk / 2) * chunk;
            if (mid <= lo) {
                mid = lo + chunk;
            }
            invokeAll(new Split(body, lo, mid, chunk), new Split(body, mid, hi, chunk));
        }
    }
}

package dev.mp3.tensor.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU backend's threads: the calling thread and {@code threads - 1} helper threads (the
 * machine's cores, or the system property {@code mp3.threads}). Work is split into ranges of a
 * fixed size, which the caller and the helpers take one after another until none is left; kernels
 * write disjoint outputs per range and never let the split change arithmetic order, so results are
 * identical on any thread count, whichever thread runs a range.
 *
 * <p>Why the caller works too: handing every range to a pool and waiting put two thread
 * wake-ups (the pool's, then the caller's) into every operation, 10-15 microseconds of idle cores
 * each on the build machine's VM, while a model 128 wide at batch 64 runs hundreds of operations of
 * a few hundred microseconds per step. Here the caller starts on the first range at once and a
 * helper joins when it wakes.
 *
 * <p>Why the threads stay awake: a helper that has finished an operation's ranges, and a caller
 * whose helpers are still on their last range, stay awake for up to {@link #SPIN_NANOS} before they
 * go to sleep, as OpenMP runtimes and OpenBLAS's threads do: for the first {@link #BUSY_SPIN_NANOS}
 * they spin, then they yield the core to any other runnable thread between looks. Between the
 * operations of a training step the caller works alone for tens to hundreds of microseconds (the
 * autograd graph, the pool's arrays, small reductions), and a helper asleep came back only after a
 * wake-up: on the build machine's VM (Zen 4, 2026-12-03) 20-100 microseconds typically and over a
 * millisecond in 4 % of them, half of the demo model's operations each paying one. Staying
 * awake 2 ms made that model's step 0.94x as long supervised and 0.97x with MP3 (medians of
 * alternating rounds), ViT-192's 0.98-0.99x, at the same CPU seconds per step (BENCHMARKS.md,
 * 2026-12-03 night). Yielding rather than spinning keeps the core for a batch-building thread or
 * another process that needs it.
 */
public final class Parallel {
    /**
     * How long an idle helper, or a caller waiting for its helpers, stays awake before it sleeps:
     * the system property {@code mp3.spinMicros} (default 2,000 microseconds, 0 to sleep at once).
     */
    static final long SPIN_NANOS = Long.getLong("mp3.spinMicros", 2000) * 1000;

    /** Of {@link #SPIN_NANOS}, the first part spent spinning on the core; after it, a waiter yields between looks. */
    static final long BUSY_SPIN_NANOS = Math.min(SPIN_NANOS, 50_000);

    private static volatile Pool current = Pool.create(Integer.getInteger("mp3.threads",
            Runtime.getRuntime().availableProcessors()));

    /** Set while this thread runs a range: a forRange inside one runs inline, on this thread. */
    private static final ThreadLocal<boolean[]> IN_RANGE = ThreadLocal.withInitial(() -> new boolean[1]);

    private Parallel() {}

    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    /** The threads an operation runs on: the caller and the helpers. */
    public static int threads() {
        return current.count;
    }

    /** Replaces the helpers (tests compare 1 and 2 threads; benchmarks pin the count). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Pool old = current;
        current = Pool.create(threads);
        old.shutdown();
    }

    /**
     * Runs body over [0, n) split into ranges of at least {@code grain} items (about four per
     * thread). Small ranges, a single thread, calls from inside a range and a call made while
     * another thread's call has the helpers run on the calling thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min((long) current.count * 4, Math.max(1, n / Math.max(1, grain)));
        run(n, (n + chunks - 1) / chunks, body);
    }

    /**
     * Runs body over [0, n) one item at a time: each item is a range of its own, taken by whichever
     * thread is free next. For items that are already coarse tasks, such as a matrix product's
     * blocks of C: ranges of several (forRange's four per thread) could leave one thread two
     * tasks behind the other, where one at a time the threads end at most one task apart.
     */
    public static void forEach(int n, RangeBody body) {
        if (n > 0) {
            run(n, 1, body);
        }
    }

    /**
     * One wait of a thread that has been idle for {@code idleNanos}: a spin while that is under
     * {@link #BUSY_SPIN_NANOS}, a yield of the core while it is under {@link #SPIN_NANOS}; false
     * (nothing done) once the thread should sleep.
     */
    static boolean stayAwake(long idleNanos) {
        if (idleNanos < BUSY_SPIN_NANOS) {
            Thread.onSpinWait();
            return true;
        }
        if (idleNanos < SPIN_NANOS) {
            Thread.yield();
            return true;
        }
        return false;
    }

    private static void run(int n, int chunk, RangeBody body) {
        Pool pool = current;
        if (pool.count == 1 || chunk >= n || IN_RANGE.get()[0] || !pool.busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        Job job = new Job(body, n, chunk);
        Throwable failure = null;
        try {
            pool.start(job);
            try {
                job.drain();
            } catch (Throwable e) {
                failure = e;
            }
            // Every helper is waited for, even after a failure here: none may still write into
            // the outputs once this returns.
            job.awaitHelpers();
        } finally {
            pool.finish();
        }
        if (failure == null) {
            failure = job.failure;
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

    /**
     * The ranges of one call, [i * chunk, min(n, (i + 1) * chunk)), handed out in order to
     * whichever thread asks next, and the count of helpers inside it.
     */
    private static final class Job {
        private final RangeBody body;
        private final int n;
        private final int chunk;
        private final int count;
        private final AtomicInteger next = new AtomicInteger();
        /** Helpers that have entered the job and not yet left it. */
        private final AtomicInteger active = new AtomicInteger();
        private volatile Throwable failure;
        private volatile Thread waiter;
        /** Which of the pool's jobs this is (set by {@link Pool#start}): helpers remember numbers, not jobs. */
        private long number;

        Job(RangeBody body, int n, int chunk) {
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

        /**
         * A helper's turn: it counts itself in before it takes a range, so that a caller that
         * sees no helper inside once the ranges have run out knows none holds one (a helper that
         * counts itself in later finds none left).
         */
        void help() {
            active.incrementAndGet();
            try {
                drain();
            } catch (Throwable e) {
                synchronized (this) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            } finally {
                if (active.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }

        /** The caller, its own ranges done: waits until no helper is inside (spinning first). */
        void awaitHelpers() {
            long start = System.nanoTime();
            while (active.get() != 0) {
                if (stayAwake(System.nanoTime() - start)) {
                    continue;
                }
                waiter = Thread.currentThread();
                if (active.get() != 0) {
                    LockSupport.park(this);
                }
            }
        }
    }

    /** The helper threads and the job they are offered (one at a time). */
    private static final class Pool {
        final int count;
        private final Helper[] helpers;
        /** Taken by the caller whose job the helpers are on; another caller meanwhile runs inline. */
        final AtomicBoolean busy = new AtomicBoolean();
        private volatile Job job;
        private volatile boolean shutdown;
        /** Jobs started so far; written only by the caller holding {@link #busy}. */
        private long started;

        private Pool(int count) {
            this.count = count;
            this.helpers = new Helper[count - 1];
        }

        /** {@code threads - 1} helpers, started now (none for threads == 1). */
        static Pool create(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("mp3.threads must be >= 1, got " + threads);
            }
            Pool pool = new Pool(threads);
            for (int h = 0; h < threads - 1; h++) {
                pool.helpers[h] = new Helper(pool, h);
                pool.helpers[h].thread.start();
            }
            return pool;
        }

        /** Offers the job to the helpers, waking those asleep. */
        void start(Job next) {
            next.number = ++started;
            job = next;
            for (Helper h : helpers) {
                if (h.asleep) {
                    LockSupport.unpark(h.thread);
                }
            }
        }

        /** The caller is done with its job: the slot no longer holds it (nor what its body holds). */
        void finish() {
            job = null;
            busy.set(false);
        }

        void shutdown() {
            shutdown = true;
            for (Helper h : helpers) {
                LockSupport.unpark(h.thread);
            }
        }
    }

    /**
     * One helper thread: takes each job offered once, then stays awake for {@link #SPIN_NANOS}
     * watching for the next before it sleeps. It announces its sleep ({@code asleep}) and then
     * looks at the slot once more, and the caller writes the slot and then looks at
     * {@code asleep}: one of the two always sees the other's write, so no job is left unseen by a
     * sleeping helper.
     */
    private static final class Helper implements Runnable {
        private final Pool pool;
        final Thread thread;
        volatile boolean asleep;

        Helper(Pool pool, int index) {
            this.pool = pool;
            this.thread = new Thread(this, "mp3-cpu-" + (index + 1));
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            long idleSince = System.nanoTime();
            while (!pool.shutdown) {
                Job j = pool.job;
                if (j != null && j.number != seen) {
                    seen = j.number;
                    j.help();
                    idleSince = System.nanoTime();
                    continue;
                }
                if (stayAwake(System.nanoTime() - idleSince)) {
                    continue;
                }
                asleep = true;
                if (!offered(seen) && !pool.shutdown) {
                    LockSupport.park(this);
                }
                asleep = false;
                idleSince = System.nanoTime();
            }
        }

        /**
         * Whether the slot holds a job after number {@code seen}. A helper keeps only the number of
         * the last job it took, never the job, so that a finished operation's arrays (captured by
         * its body) are not held while the helper sleeps.
         */
        private boolean offered(long seen) {
            Job j = pool.job;
            return j != null && j.number != seen;
        }
    }
}

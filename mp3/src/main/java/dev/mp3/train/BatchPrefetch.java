package dev.mp3.train;

import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * The batches of the coming updates, built on a worker thread while the current update trains.
 *
 * <p>Why this is safe: a batch is a pure function of its update number ({@link Task#batch}), so
 * update s trains on the same batch whether it was built ahead of time or on the spot, and a
 * resumed run needs nothing from here. The trainer's random streams (MASK, NOISE) are only drawn
 * from inside the step, on the trainer's thread, in the same order as without prefetching.
 *
 * <p>Why it helps: assembling a batch (augmentation, speech features) otherwise runs on the
 * trainer's thread between two steps, while the kernels' pool is idle; here it overlaps with the
 * step before. {@code workers} threads build the batches, each batch on one thread, up to
 * {@code ahead} of them past the one being trained on (each is alive in memory until it is used);
 * they are taken in update order whichever finishes first. One worker suffices when a batch takes
 * less time than a step (the small in-memory sets); decoding JPEGs and DeiT's augmentation of large
 * images need more.
 *
 * <p>An exception the worker raises comes out of {@link #take} as itself, so the user reads the
 * same one-line error as without prefetching. {@link #close} drops what is queued, waits for a
 * batch being built, and leaves no thread behind.
 *
 * @param <B> a batch
 */
final class BatchPrefetch<B> implements AutoCloseable {

    /** A batch, and the seconds the worker spent assembling it. */
    record Built<B>(B batch, double seconds) {}

    private final LongFunction<B> source;
    private final long end;
    private final int ahead;
    /** Null when {@code ahead} is 0: every batch is then built by {@link #take}, on the calling thread. */
    private final ExecutorService worker;
    /** The workers' threads once started (the executor makes them and keeps them). */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Future<Built<B>>> queued = new ArrayDeque<>();
    /** The first update whose batch is not queued yet. */
    private long next;
    /** The update {@link #take} must be asked for next. */
    private long expected;

    /**
     * Batches of updates {@code first} to {@code end - 1} from {@code source}, up to {@code ahead}
     * of them built before they are taken (0: none; each is built when taken), on one worker thread.
     */
    BatchPrefetch(LongFunction<B> source, long first, long end, int ahead) {
        this(source, first, end, ahead, 1);
    }

    /** The same with {@code workers} threads building batches side by side ({@code ahead} at least {@code workers}). */
    BatchPrefetch(LongFunction<B> source, long first, long end, int ahead, int workers) {
        if (ahead < 0) {
            throw new IllegalArgumentException("prefetch: batches ahead must be >= 0, got " + ahead);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("prefetch: need at least one worker, got " + workers);
        }
        this.source = source;
        this.end = end;
        this.ahead = ahead;
        this.next = first;
        this.expected = first;
        this.worker = ahead == 0 ? null : Executors.newFixedThreadPool(workers, r -> {
            Thread t = Thread.ofPlatform().name("mp3-batches-" + threads.size()).daemon(true).unstarted(r);
            threads.add(t);
            return t;
        });
    }

    /**
     * The batch of update {@code step}, which must follow the one taken before; waits for the
     * worker when the batch is not ready, and queues the next {@code ahead} batches first.
     */
    Built<B> take(long step) throws InterruptedIOException {
        if (step != expected || step >= end) {
            throw new IllegalStateException("prefetch: asked for the batch of update " + step + ", expected "
                    + expected + " (updates up to " + (end - 1) + ")");
        }
        expected++;
        if (worker == null) {
            return build(step);
        }
        for (; next < end && next <= step + ahead; next++) {
            long s = next;
            queued.add(worker.submit(() -> build(s)));
        }
        Future<Built<B>> mine = queued.poll();
        try {
            return mine.get();
        } catch (ExecutionException e) {
            // The worker's own exception, unwrapped: its message is the one-line error the user reads.
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("the batch of update " + step + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the batch of update " + step);
        }
    }

    private Built<B> build(long step) {
        long t0 = System.nanoTime();
        B batch = source.apply(step);
        return new Built<>(batch, (System.nanoTime() - t0) / 1e9);
    }

    /** Drops the queued batches and returns once the worker thread has ended. */
    @Override
    public void close() {
        if (worker == null) {
            return;
        }
        worker.shutdownNow();  // cancels what has not started; a batch being built runs to its end
        worker.close();        // waits for that (uninterruptibly, keeping the interrupt status)
        // The executor reports termination from inside its threads' last moments; join the threads
        // themselves so that none is alive when the run returns.
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

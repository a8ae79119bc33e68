package dev.mp3.tensor.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The caller and the helpers split an operation's ranges among them: every index is covered
 * exactly once, by ranges of the fixed size (so the split never depends on which thread ran
 * what), nested calls run inline, and a failing range surfaces only after every helper is done.
 */
class ParallelTest {
    private static final int THREADS = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(THREADS);
    }

    @Test
    void everyIndexOnceInRangesOfTheFixedSize() {
        for (int threads : new int[] {1, 2, 3, 4}) {
            Parallel.setThreads(threads);
            assertThat(Parallel.threads()).isEqualTo(threads);
            for (int n : new int[] {1, 2, 7, 8, 9, 100, 1000, 4097}) {
                for (int grain : new int[] {1, 3, 64, 5000}) {
                    AtomicIntegerArray visits = new AtomicIntegerArray(n);
                    Set<Integer> sizes = ConcurrentHashMap.newKeySet();
                    Set<Integer> starts = ConcurrentHashMap.newKeySet();
                    Parallel.forRange(n, grain, (lo, hi) -> {
                        starts.add(lo);
                        sizes.add(hi - lo);
                        for (int i = lo; i < hi; i++) {
                            visits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertThat(visits.get(i)).as("n %d grain %d threads %d index %d", n, grain, threads, i).isEqualTo(1);
                    }
                    // Ranges as the rule gives them: about four per thread, at least `grain` items each
                    // (one range when that leaves fewer than two), all of one size but the last.
                    int chunks = (int) Math.min(4L * threads, Math.max(1, n / grain));
                    int chunk = threads == 1 || chunks <= 1 ? n : (n + chunks - 1) / chunks;
                    for (int lo : starts) {
                        assertThat(lo % chunk).as("range start %d, size %d", lo, chunk).isZero();
                    }
                    assertThat(starts).hasSize((n + chunk - 1) / chunk);
                    assertThat(sizes).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(chunk));
                }
            }
        }
    }

    /**
     * forEach hands out one item at a time: every index once, each range a single item (the whole
     * range on one thread), and with two threads and 27 slow items the threads take 13 and 14 (in
     * forRange's ranges of four, one would take 15).
     */
    @Test
    void forEachHandsOutOneItemAtATime() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 2, 9, 27, 54}) {
                AtomicIntegerArray visits = new AtomicIntegerArray(n);
                Set<Integer> sizes = ConcurrentHashMap.newKeySet();
                Parallel.forEach(n, (lo, hi) -> {
                    sizes.add(hi - lo);
                    for (int i = lo; i < hi; i++) {
                        visits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertThat(visits.get(i)).as("n %d threads %d index %d", n, threads, i).isEqualTo(1);
                }
                assertThat(sizes).as("n %d threads %d", n, threads).containsExactly(threads == 1 || n == 1 ? n : 1);
            }
        }
        Parallel.setThreads(2);
        Parallel.forEach(2, (lo, hi) -> { });   // the helper is started before the timed call
        ConcurrentHashMap<Thread, AtomicInteger> perThread = new ConcurrentHashMap<>();
        Parallel.forEach(27, (lo, hi) -> {
            perThread.computeIfAbsent(Thread.currentThread(), t -> new AtomicInteger()).addAndGet(hi - lo);
            LockSupport.parkNanos(20_000_000L);
        });
        assertThat(perThread).as("items per thread").hasSize(2);
        assertThat(perThread.values()).allSatisfy(c -> assertThat(c.get()).isBetween(13, 14));
    }

    @Test
    void aCallInsideARangeRunsInlineOnItsThread() {
        Parallel.setThreads(2);
        // Two outer ranges: one makes a nested call of eight slow ranges, the other is done at once,
        // so its thread is idle and would take nested ranges if the nested call offered them.
        for (int round = 0; round < 5; round++) {
            int inner = 8;
            AtomicIntegerArray visits = new AtomicIntegerArray(inner);
            AtomicInteger crossed = new AtomicInteger();
            Parallel.forRange(2, 1, (lo, hi) -> {
                Thread mine = Thread.currentThread();
                for (int o = lo; o < hi; o++) {
                    if (o != 0) {
                        continue;
                    }
                    Parallel.forRange(inner, 1, (a, b) -> {
                        if (Thread.currentThread() != mine) {
                            crossed.incrementAndGet();
                        }
                        for (int i = a; i < b; i++) {
                            visits.incrementAndGet(i);
                        }
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            });
            assertThat(crossed.get()).isZero();
            for (int i = 0; i < inner; i++) {
                assertThat(visits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void aFailingRangeSurfacesAfterEveryHelperIsDone() {
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        // Eight ranges of 3 ms; the first one the caller takes after the start fails, most likely
        // while the helper is inside another (which forRange must wait out before it throws).
        for (int round = 0; round < 5; round++) {
            AtomicInteger running = new AtomicInteger();
            AtomicBoolean thrown = new AtomicBoolean();
            assertThatThrownBy(() -> Parallel.forRange(64, 1, (lo, hi) -> {
                running.incrementAndGet();
                try {
                    if (lo > 0 && Thread.currentThread() == caller && !thrown.getAndSet(true)) {
                        throw new IllegalArgumentException("range " + lo + " is bad");
                    }
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is bad");
            // Nothing still runs once forRange has thrown.
            assertThat(running.get()).isZero();
        }
        // And the pool is usable afterwards.
        AtomicInteger sum = new AtomicInteger();
        Parallel.forRange(100, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                sum.addAndGet(i);
            }
        });
        assertThat(sum.get()).isEqualTo(99 * 100 / 2);
    }
    @Test
    @Timeout(60)
    void callsFromTwoThreadsAtOnceEachCoverEveryIndexOnce() throws Exception {
        Parallel.setThreads(2);
        // Two callers share one helper: whichever starts second while the first holds it runs its
        // ranges itself; neither may lose or repeat an index, nor return before its work is done.
        int n = 4096;
        AtomicIntegerArray[] visits = {new AtomicIntegerArray(n), new AtomicIntegerArray(n)};
        int rounds = 200;
        Thread[] callers = new Thread[2];
        AtomicInteger wrong = new AtomicInteger();
        for (int c = 0; c < 2; c++) {
            int mine = c;
            callers[c] = new Thread(() -> {
                for (int round = 0; round < rounds; round++) {
                    Parallel.forRange(n, 16, (lo, hi) -> {
                        for (int i = lo; i < hi; i++) {
                            visits[mine].incrementAndGet(i);
                        }
                    });
                    // Everything of this call, and of none of the later ones, is in by now.
                    for (int i = 0; i < n; i += 97) {
                        if (visits[mine].get(i) != round + 1) {
                            wrong.incrementAndGet();
                        }
                    }
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) {
            t.join();
        }
        assertThat(wrong.get()).isZero();
        for (AtomicIntegerArray v : visits) {
            for (int i = 0; i < n; i++) {
                assertThat(v.get(i)).isEqualTo(rounds);
            }
        }
    }

    @Test
    @Timeout(60)
    void helpersWaitAwakeThenSleepAndAreWokenForTheNextOperation() throws Exception {
        Parallel.setThreads(2);
        // Right after an operation the helper is awake (spinning or yielding); after SPIN_NANOS and
        // more it has gone to sleep. Either way it must take a range of the next operation: the
        // caller's range waits (up to 10 s) for the other range to have started on another thread.
        for (long pauseMillis : new long[] {0, Parallel.SPIN_NANOS / 1_000_000 + 100}) {
            Parallel.forRange(64, 1, (lo, hi) -> { });
            Thread.sleep(pauseMillis);
            Set<Thread> ranThere = ConcurrentHashMap.newKeySet();
            CountDownLatch bothStarted = new CountDownLatch(2);
            Parallel.forEach(2, (lo, hi) -> {
                ranThere.add(Thread.currentThread());
                bothStarted.countDown();
                try {
                    bothStarted.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(ranThere).as("threads that ran a range after a pause of %d ms", pauseMillis).hasSize(2);
        }
    }

    @Test
    void aWaiterStaysAwakeUntilItsTimeIsUpThenSleeps() {
        assertThat(Parallel.BUSY_SPIN_NANOS).isLessThanOrEqualTo(Parallel.SPIN_NANOS);
        if (Parallel.SPIN_NANOS > 0) {
            assertThat(Parallel.stayAwake(0)).isTrue();
            assertThat(Parallel.stayAwake(Parallel.SPIN_NANOS - 1)).isTrue();
        }
        assertThat(Parallel.stayAwake(Parallel.SPIN_NANOS)).isFalse();
    }
}

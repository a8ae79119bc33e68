package dev.mp3.opencl;

import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * A device buffer (cl_mem) of {@code size} four-byte elements, from the {@link BufferPool}. Its cl_mem
 * goes back to the pool exactly once: at {@link #release} (a closing memory scope, or a kernel family
 * done with a scratch buffer), or else once the buffer is unreachable (the garbage collector's
 * fallback). Kernels are handed the buffer (not the bare cl_mem) so it stays reachable until their
 * commands are queued; releasing it then is safe because the queue is in order. A released buffer
 * refuses {@link #mem}.
 */
final class ClBuffer {
    private static final Cleaner CLEANER = Cleaner.create();

    private final cl_mem mem;
    private final int size;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean released;

    ClBuffer(BufferPool pool, cl_mem mem, int size, long bytes) {
        this.mem = mem;
        this.size = size;
        this.cleanable = CLEANER.register(this, new Release(pool, mem, bytes));
    }

    cl_mem mem() {
        if (released) {
            throw new IllegalStateException("OpenCL buffer of " + size + " elements used after it was released;"
                    + " its memory may already belong to another tensor");
        }
        return mem;
    }

    /** Number of elements. */
    int size() {
        return size;
    }

    /** Gives the cl_mem back to the pool now; the cleaner then has nothing left to do. Idempotent. */
    void release() {
        released = true;
        cleanable.clean();
    }

    boolean released() {
        return released;
    }

    /** The cleaning action; must not refer to the buffer itself. Runs at most once (Cleanable). */
    private record Release(BufferPool pool, cl_mem mem, long bytes) implements Runnable {
        @Override
        public void run() {
            pool.giveBack(mem, bytes);
        }
    }
}

package dev.mp3.opencl;

import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * A device buffer (cl_mem) of {@code size} four-byte elements, from the {@link BufferPool}. Once
 * it is unreachable its cl_mem goes back to the pool; kernels are handed the buffer (not the bare
 * cl_mem) so it stays reachable until their commands are queued. A tensor's buffer is held by its
 * {@link ClStorage}; a kernel family's scratch buffers live as long as the call that uses them.
 */
final class ClBuffer {
    private static final Cleaner CLEANER = Cleaner.create();

    private final cl_mem mem;
    private final int size;

    ClBuffer(BufferPool pool, cl_mem mem, int size, long bytes) {
        this.mem = mem;
        this.size = size;
        CLEANER.register(this, new Release(pool, mem, bytes));
    }

    cl_mem mem() {
        return mem;
    }

    /** Number of elements. */
    int size() {
        return size;
    }

    /** The cleaning action; must not refer to the buffer itself. */
    private record Release(BufferPool pool, cl_mem mem, long bytes) implements Runnable {
        @Override
        public void run() {
            pool.giveBack(mem, bytes);
        }
    }
}

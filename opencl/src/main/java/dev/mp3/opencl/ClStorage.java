package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Storage;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * Storage in a device buffer (cl_mem). When the storage becomes unreachable its buffer goes back
 * to the backend's {@link BufferPool}; kernels are handed the storage (not the bare cl_mem) so it
 * stays reachable until its commands are queued.
 */
public final class ClStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ClBackend backend;
    private final cl_mem mem;

    ClStorage(ClBackend backend, DType dtype, int size, cl_mem mem, BufferPool pool) {
        super(dtype, size);
        this.backend = backend;
        this.mem = mem;
        CLEANER.register(this, new Release(pool, mem, (long) size * dtype.bytes()));
    }

    @Override
    public Backend backend() {
        return backend;
    }

    cl_mem mem() {
        return mem;
    }

    /** The cleaning action; must not refer to the storage itself. */
    private record Release(BufferPool pool, cl_mem mem, long bytes) implements Runnable {
        @Override
        public void run() {
            pool.giveBack(mem, bytes);
        }
    }
}

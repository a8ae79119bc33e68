package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Storage;
import dev.mp3.tensor.Tensor;

/**
 * A tensor's storage on an OpenCL device: a {@link ClBuffer} and the backend that owns it. It joins
 * the thread's open {@link MemoryScope}, whose closing releases the buffer; a released storage
 * refuses every further use.
 */
public final class ClStorage extends Storage {
    private final ClBackend backend;
    private final ClBuffer buffer;

    ClStorage(ClBackend backend, DType dtype, ClBuffer buffer) {
        super(dtype, buffer.size());
        this.backend = backend;
        this.buffer = buffer;
        joinScope();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The buffer; throws when the storage was released. */
    ClBuffer buffer() {
        if (buffer.released()) {
            throw new IllegalStateException("an OpenCL storage of " + size() + " " + dtype() + " elements was used after"
                    + " its memory scope closed and released it; keep it (MemoryScope.keep) or create it outside the scope");
        }
        return buffer;
    }

    /** The buffer under {@code t}; throws, naming the tensor, when its storage was released. */
    static ClBuffer buffer(Tensor t) {
        ClStorage s = (ClStorage) t.storage();
        if (s.buffer.released()) {
            throw new IllegalStateException("tensor " + Shape.str(t.shape()) + " " + t.dtype() + " on " + t.device()
                    + " was used after it was released when its memory scope closed; keep it (MemoryScope.keep)"
                    + " or create it outside the scope");
        }
        return s.buffer;
    }

    @Override
    protected void release() {
        buffer.release();
    }

    /** Whether the buffer went back to the pool (its scope closed). */
    boolean released() {
        return buffer.released();
    }
}

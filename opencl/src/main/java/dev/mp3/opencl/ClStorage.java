package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Storage;

/** A tensor's storage on an OpenCL device: a {@link ClBuffer} and the backend that owns it. */
public final class ClStorage extends Storage {
    private final ClBackend backend;
    private final ClBuffer buffer;

    ClStorage(ClBackend backend, DType dtype, ClBuffer buffer) {
        super(dtype, buffer.size());
        this.backend = backend;
        this.buffer = buffer;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    ClBuffer buffer() {
        return buffer;
    }
}

package dev.mp3.tensor;

/**
 * A flat, typed block of memory owned by one backend. Tensors are views (shape, strides, offset)
 * over a storage; several tensors may share one storage.
 */
public abstract class Storage {
    private final DType dtype;
    private final int size;

    protected Storage(DType dtype, int size) {
        this.dtype = dtype;
        this.size = size;
    }

    public final DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public final int size() {
        return size;
    }

    public abstract Backend backend();

    public final Device device() {
        return backend().device();
    }
}

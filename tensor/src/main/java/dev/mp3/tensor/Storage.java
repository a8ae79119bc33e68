package dev.mp3.tensor;

/**
 * A flat, typed block of memory owned by one backend. Tensors are views (shape, strides, offset)
 * over a storage; several tensors may share one storage.
 */
public abstract class Storage {
    private final DType dtype;
    private final int size;
    /** The {@link MemoryScope} that will release this storage, or null (kept ones, most heap storages). */
    MemoryScope scope;

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

    /**
     * Device backends call this as a storage is created: it joins this thread's innermost open
     * {@link MemoryScope}, if any, which {@link #release releases} it on closing.
     */
    protected final void joinScope() {
        MemoryScope.register(this);
    }

    /**
     * Gives the memory back now; called once, by the storage's {@link MemoryScope} as it closes.
     * Later use of the storage must throw. Storages that never join a scope keep this no-op.
     */
    protected void release() {}

    /**
     * What gives this storage's memory back if the garbage collector takes the storage before its
     * scope closes, or null for nothing; the scope runs it as it closes. It must not refer to the
     * storage (that would keep it reachable). Asked for once, as the storage joins a scope.
     */
    protected Runnable reclaimer() {
        return null;
    }
}

package dev.mp3.tensor.cpu;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Storage;
import dev.mp3.tensor.Tensor;

import java.lang.ref.SoftReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Storage in a Java heap array: float[] for F32, int[] for I32.
 *
 * <p>An op's output made by {@link #recycled}, of at least {@link ArrayPool#MIN_LENGTH} floats,
 * joins the thread's open {@link MemoryScope}, if any, like a device storage: when the scope closes
 * its array goes back to the {@link ArrayPool} for the next output of the same length, and the
 * storage may no longer be read. So does the array of such a storage that became unreachable and
 * was collected before the scope closed (its {@link #reclaimer}); softly held until then, so that a
 * collector short of memory may still free it. Every other CPU storage (small ones, uploads,
 * zero-filled allocations, outputs made outside a scope) lives until unreachable.
 */
public final class CpuStorage extends Storage {
    /** Null for I32, and for F32 once released to the pool. */
    private float[] floats;
    private final int[] ints;

    CpuStorage(float[] floats) {
        super(DType.F32, floats.length);
        this.floats = floats;
        this.ints = null;
    }

    /** Bytes of the arrays {@link #recycled} has handed out, for {@link CpuBackend#recycledArrayBytes}. */
    private static final LongAdder RECYCLED_BYTES = new LongAdder();

    static long recycledBytes() {
        return RECYCLED_BYTES.sum();
    }

    /**
     * Storage of {@code length} floats for an output the caller overwrites entirely before any
     * read: an array from the pool (its contents arbitrary) or a fresh one; unless small, it joins
     * the open memory scope, whose closing gives the array back.
     */
    static CpuStorage recycled(int length) {
        if (length < ArrayPool.MIN_LENGTH) {
            return new CpuStorage(new float[length]);
        }
        RECYCLED_BYTES.add(4L * length);
        CpuStorage s = new CpuStorage(ArrayPool.SHARED.take(length));
        s.joinScope();
        return s;
    }

    @Override
    protected void release() {
        float[] array = floats;
        floats = null;
        ArrayPool.SHARED.give(array);
    }

    /**
     * Gives the array back to the pool after the collector has taken this storage, unless the
     * collector has freed the array too. Most of a training step's outputs are read for the last
     * time long before the step ends; without this their arrays were lost to the pool at every
     * collection inside the step, and the next step allocated them afresh (at the demo's shape under
     * the launcher's heap, 370 of the step's 620 MB of outputs; BENCHMARKS.md, 2026-12-02 evening).
     */
    @Override
    protected Runnable reclaimer() {
        SoftReference<float[]> array = new SoftReference<>(floats);
        return () -> {
            float[] a = array.get();
            if (a != null) {
                ArrayPool.SHARED.give(a);
            }
        };
    }

    CpuStorage(int[] ints) {
        super(DType.I32, ints.length);
        this.floats = null;
        this.ints = ints;
    }

    @Override
    public Backend backend() {
        return OpProfile.ENABLED ? OpProfile.PROXY : CpuBackend.INSTANCE;
    }

    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException(dtype() == DType.F32
                    ? "a CPU tensor of " + size() + " floats was used after its memory scope closed and gave its array"
                    + " back; keep it (MemoryScope.keep) or create it outside the scope"
                    : "storage holds " + dtype() + ", not F32");
        }
        return floats;
    }

    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException("storage holds " + dtype() + ", not I32");
        }
        return ints;
    }

    /** The float array behind a CPU tensor (which may be a view: mind its offset and strides). */
    public static float[] floats(Tensor t) {
        return ((CpuStorage) t.storage()).floats();
    }

    public static int[] ints(Tensor t) {
        return ((CpuStorage) t.storage()).ints();
    }
}

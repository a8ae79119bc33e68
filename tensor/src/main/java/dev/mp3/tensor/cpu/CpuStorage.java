package dev.mp3.tensor.cpu;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Storage;
import dev.mp3.tensor.Tensor;

/** Storage in a Java heap array: float[] for F32, int[] for I32. */
public final class CpuStorage extends Storage {
    private final float[] floats;
    private final int[] ints;

    CpuStorage(float[] floats) {
        super(DType.F32, floats.length);
        this.floats = floats;
        this.ints = null;
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
            throw new IllegalStateException("storage holds " + dtype() + ", not F32");
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

package dev.mp3.tensor;

/** Element type of a {@link Storage}. Float32 for values, int32 for indices, labels and masks. */
public enum DType {
    F32(4),
    I32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}

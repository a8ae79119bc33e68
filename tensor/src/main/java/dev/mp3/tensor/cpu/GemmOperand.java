package dev.mp3.tensor.cpu;

/**
 * One operand of a batched matrix product, as a strided view of a float array: element
 * (item, row, col) lives at {@code offset + item * batchStride + row * rowStride + col * colStride}.
 * A batch stride of 0 shares the operand across all items. Transposing is swapping the two
 * strides, so a transposed matrix is never copied to be multiplied.
 */
record GemmOperand(float[] data, int offset, int batchStride, int rowStride, int colStride) {

    /** A contiguous [rows, cols] matrix per item, or its transpose when {@code transposed}. */
    static GemmOperand of(float[] data, int offset, int batchStride, boolean transposed, int rows, int cols) {
        return transposed ? new GemmOperand(data, offset, batchStride, 1, rows)
                : new GemmOperand(data, offset, batchStride, cols, 1);
    }

    int at(int item, int row, int col) {
        return offset + item * batchStride + row * rowStride + col * colStride;
    }

    GemmOperand transposed() {
        return new GemmOperand(data, offset, batchStride, colStride, rowStride);
    }
}

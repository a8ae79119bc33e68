package dev.mp3.data;

/**
 * Where an {@link ImageDataset}'s images live: {@link ByteImages} (all pixels in one byte array, the
 * fast path for small fixed-size sets such as CIFAR) or {@link FileImages} (one file per image,
 * decoded on demand, so a dataset's size is limited by the disk rather than by the heap or a Java
 * array). Reads must be safe from several threads at once: batches are built on prefetching threads.
 */
interface ImageStore {

    /** Number of images. */
    int size();

    /** Image {@code i}, 0 <= i < size(), at its own size; a fresh or read-only array. */
    Image read(int i);

    /** The images at {@code indices}, in that order (each index already checked). */
    ImageStore select(int[] indices);
}

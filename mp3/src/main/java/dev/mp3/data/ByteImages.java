package dev.mp3.data;

import java.util.Arrays;

/**
 * Images of one shape [C, H, W] held in one byte array, [n, C, H, W]: a quarter of the memory of
 * floats and a plain copy per batch. The array holds at most 2^31 bytes, which is why large sets
 * use {@link FileImages} instead.
 */
record ByteImages(byte[] pixels, int count, int channels, int height, int width) implements ImageStore {

    ByteImages {
        if ((long) count * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes do not make " + count + " images of "
                    + channels + "x" + height + "x" + width + " (expected " + (long) count * channels * height * width
                    + ")");
        }
    }

    int imageSize() {
        return channels * height * width;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public Image read(int i) {
        int size = imageSize();
        return new Image(Arrays.copyOfRange(pixels, i * size, (i + 1) * size), channels, height, width);
    }

    /** Copies the selected images into a new array, so a subset is as fast to batch as the whole. */
    @Override
    public ByteImages select(int[] indices) {
        int size = imageSize();
        byte[] p = new byte[Math.multiplyExact(indices.length, size)];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * size, p, k * size, size);
        }
        return new ByteImages(p, indices.length, channels, height, width);
    }
}

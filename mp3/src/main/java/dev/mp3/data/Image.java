package dev.mp3.data;

/**
 * One image as bytes, {@code [C, H, W]} (planar, row-major, one unsigned byte per sample): what a
 * dataset stores or a decoder produces, and what the byte-level augmentations (crops, resizing,
 * flips, RandAugment) read and write. The array is owned by the image; treat it as read-only once
 * built.
 */
public record Image(byte[] pixels, int channels, int height, int width) {

    public Image {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        if ((long) channels * height * width != pixels.length) {
            throw new IllegalArgumentException("image " + channels + "x" + height + "x" + width + " needs "
                    + (long) channels * height * width + " bytes, got " + pixels.length);
        }
    }

    /** An all-zero (black) image. */
    public static Image blank(int channels, int height, int width) {
        return new Image(new byte[channels * height * width], channels, height, width);
    }

    /** Sample (c, y, x), 0..255. */
    public int at(int c, int y, int x) {
        return pixels[(c * height + y) * width + x] & 0xFF;
    }

    /** Index of sample (c, y, x) in {@link #pixels()}. */
    public int index(int c, int y, int x) {
        return (c * height + y) * width + x;
    }

    public int plane() {
        return height * width;
    }

    public boolean sameShape(Image other) {
        return channels == other.channels && height == other.height && width == other.width;
    }
}

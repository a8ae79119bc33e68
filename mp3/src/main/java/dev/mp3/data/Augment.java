package dev.mp3.data;

import dev.mp3.tensor.Rng;

/**
 * Training augmentation: random crop with zero padding, then a random horizontal flip (the usual
 * CIFAR recipe; {@link Augmentation.Crop#PAD} selects it in place of DeiT's RandomResizedCrop). The image is padded with {@code pad} black
 * pixels (byte 0, before normalisation) on every side and an H x W window is cut at a uniform
 * offset (dy, dx) in [0, 2 pad]; with probability {@code hflip} the result is mirrored left to right.
 *
 * <p>Draws are pure functions of (key, example): {@link Batches} derives the key from the seed,
 * epoch and step, so the same batch gets the same augmentation whenever it is built.
 */
public record Augment(int pad, float hflip) {

    /** No augmentation (evaluation, and pretraining where the patches stay where they are). */
    public static final Augment NONE = new Augment(0, 0f);

    public Augment {
        if (pad < 0) {
            throw new IllegalArgumentException("Augment: padding " + pad + " must be >= 0");
        }
        if (!(hflip >= 0 && hflip <= 1)) {
            throw new IllegalArgumentException("Augment: flip probability " + hflip + " must lie in [0, 1]");
        }
    }

    /** Padding {@code pad} and, when {@code flip}, a mirror with probability 1/2. */
    public Augment(int pad, boolean flip) {
        this(pad, flip ? 0.5f : 0f);
    }

    /** The padding that suits images of this side: 4 pixels at 32 and above (CIFAR), 2 below (28 x 28). */
    public static int padFor(int imageSize) {
        return imageSize >= 32 ? 4 : 2;
    }

    /** Crop and flip with the usual padding: 4 for 32 x 32 images (CIFAR), 2 for smaller ones (28 x 28 Fashion-MNIST). */
    public static Augment cropAndFlip(int imageSize) {
        return new Augment(padFor(imageSize), true);
    }

    public boolean isNone() {
        return pad == 0 && hflip == 0;
    }

    /** One example's random choices. */
    public record Draw(int dy, int dx, boolean flip) {
    }

    /** The choices for example {@code example} under {@code key}: three uniforms per example. */
    public Draw draw(long key, long example) {
        int span = 2 * pad + 1;
        int dy = Math.min(span - 1, (int) (Rng.uniformAt(key, 3 * example) * span));
        int dx = Math.min(span - 1, (int) (Rng.uniformAt(key, 3 * example + 1) * span));
        boolean mirror = hflip > 0 && Rng.uniformAt(key, 3 * example + 2) < hflip;
        return new Draw(dy, dx, mirror);
    }

    /**
     * Writes the augmented image: {@code dst[c][y][x] = padded[c][y + dy][x'(x) + dx]} where padded
     * is {@code src} with {@code pad} zeros around it and {@code x'(x) = flip ? W - 1 - x : x}.
     */
    public void apply(byte[] src, int srcOffset, int channels, int height, int width, Draw d,
                      byte[] dst, int dstOffset) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int sy = y + d.dy() - pad;
                for (int x = 0; x < width; x++) {
                    int sx = (d.flip() ? width - 1 - x : x) + d.dx() - pad;
                    boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    dst[dstOffset + (c * height + y) * width + x] =
                            inside ? src[srcOffset + (c * height + sy) * width + sx] : 0;
                }
            }
        }
    }
}

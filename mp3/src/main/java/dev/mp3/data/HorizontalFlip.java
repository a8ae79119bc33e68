package dev.mp3.data;

import dev.mp3.tensor.Rng;

/**
 * torchvision's {@code RandomHorizontalFlip(p=0.5)} (timm's {@code hflip=0.5}): mirror the image left
 * to right with probability p. The draw uses uniform {@code example} of the key's stream, so it is a
 * pure function of (key, example); torchvision flips when {@code torch.rand(1) < p}, and so does this.
 */
public record HorizontalFlip(double p) {

    public HorizontalFlip {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("HorizontalFlip: probability " + p + " must be in [0, 1]");
        }
    }

    /** timm's default, p = 0.5. */
    public static final HorizontalFlip DEFAULT = new HorizontalFlip(0.5);

    /** Whether example {@code example} is flipped under {@code key}. */
    public boolean draw(long key, long example) {
        return Rng.uniformAt(key, example) < p;
    }

    /** The image mirrored left to right when {@code flip}, else the image itself. */
    public static Image apply(Image src, boolean flip) {
        if (!flip) {
            return src;
        }
        Image out = Image.blank(src.channels(), src.height(), src.width());
        int w = src.width();
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < src.height(); y++) {
                for (int x = 0; x < w; x++) {
                    out.pixels()[out.index(c, y, x)] = src.pixels()[src.index(c, y, w - 1 - x)];
                }
            }
        }
        return out;
    }
}

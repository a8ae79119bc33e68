package dev.mp3.data;

import dev.mp3.data.Resize.Interpolation;
import dev.mp3.tensor.Rng;

/**
 * timm's {@code RandomResizedCropAndInterpolation}: cut a random box of random area and aspect
 * ratio, then resize it to size x size.
 *
 * <p>timm parameters and defaults: {@code size}; {@code scale = (0.08, 1.0)}, the box area as a
 * fraction of the image; {@code ratio = (3/4, 4/3)}, the box width / height, drawn log-uniformly;
 * {@code interpolation = 'bilinear'} (DeiT passes {@code 'bicubic'}, see {@link #deit}). Up to 10
 * attempts draw (area, ratio), round the box with Python's round (half to even) and accept it when it
 * fits; the position is then uniform. If no attempt fits, the fallback is a centre crop: the whole
 * image, or, when the image's aspect lies outside the ratio range, the largest box of the nearest
 * allowed ratio.
 *
 * <p>Differences from timm: the random stream (counter-based, see {@link #draw}) instead of Python's
 * {@code random}; timm's {@code 'random'} interpolation choice is not offered.
 */
public record RandomResizedCrop(int size, double minScale, double maxScale, double minRatio, double maxRatio,
                                Interpolation interpolation) {

    /** Attempts before the fallback, as timm/torchvision. */
    public static final int ATTEMPTS = 10;

    /** Uniforms per example: (area, log-ratio, top, left) for each attempt. */
    public static final int STRIDE = 4 * ATTEMPTS;

    public RandomResizedCrop {
        if (size <= 0 || minScale <= 0 || minScale > maxScale || minRatio <= 0 || minRatio > maxRatio) {
            throw new IllegalArgumentException("RandomResizedCrop: bad size " + size + ", scale (" + minScale + ", "
                    + maxScale + ") or ratio (" + minRatio + ", " + maxRatio + ")");
        }
    }

    /** DeiT's setting: timm defaults with bicubic interpolation. */
    public static RandomResizedCrop deit(int size) {
        return new RandomResizedCrop(size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, Interpolation.BICUBIC);
    }

    /** The box to cut: rows top..top+height-1, columns left..left+width-1. */
    public record Crop(int top, int left, int height, int width) {
    }

    /** The crop for example {@code example} under {@code key}, a pure function of both (uniforms example * STRIDE + j). */
    public Crop draw(long key, long example, int srcH, int srcW) {
        double area = (double) srcH * srcW;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long base = example * STRIDE + 4L * attempt;
            double targetArea = uniform(key, base, minScale, maxScale) * area;
            double aspect = Math.exp(uniform(key, base + 1, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (w <= srcW && h <= srcH) {
                int top = randint(key, base + 2, srcH - h);
                int left = randint(key, base + 3, srcW - w);
                return new Crop(top, left, h, w);
            }
        }
        return fallback(srcH, srcW);
    }

    /** timm's fallback: a centre crop of the whole image, clamped to the ratio range. */
    public Crop fallback(int srcH, int srcW) {
        double inRatio = (double) srcW / srcH;
        int w = srcW;
        int h = srcH;
        if (inRatio < minRatio) {
            h = (int) Math.rint(w / minRatio);
        } else if (inRatio > maxRatio) {
            w = (int) Math.rint(h * maxRatio);
        }
        return new Crop((srcH - h) / 2, (srcW - w) / 2, h, w);
    }

    /** Cuts the crop and resizes it to size x size. */
    public Image apply(Image src, Crop c) {
        return Resize.resizedCrop(src, c.top(), c.left(), c.height(), c.width(), size, size, interpolation);
    }

    /** Python's random.uniform(lo, hi). */
    private static double uniform(long key, long i, double lo, double hi) {
        return lo + (hi - lo) * Rng.uniformAt(key, i);
    }

    /** Python's random.randint(0, max): uniform on 0..max inclusive. */
    static int randint(long key, long i, int max) {
        return Math.min(max, (int) (Rng.uniformAt(key, i) * (max + 1)));
    }
}

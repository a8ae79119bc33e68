package dev.mp3.data;

import dev.mp3.tensor.Rng;

/**
 * timm's {@code RandomErasing} in 'pixel' mode: with probability {@code probability}, overwrite one
 * random box of a normalised image with independent standard normal values (per pixel and channel).
 *
 * <p>timm parameters: {@code probability} (timm default 0.5; DeiT's {@code reprob} 0.25, see
 * {@link #deit}), {@code min_area = 0.02}, {@code max_area = 1/3} (fractions of the image area),
 * {@code min_aspect = 0.3}, {@code max_aspect = 1 / min_aspect} (drawn log-uniformly),
 * {@code mode = 'pixel'}, {@code count = 1}. Up to 10 attempts draw (area, aspect) and keep the
 * first box with h = round(sqrt(area * aspect)) &lt; H and w = round(sqrt(area / aspect)) &lt; W (strictly
 * smaller, as timm), at a uniform position; if none fits, nothing is erased. As in timm, the height
 * gets sqrt(area * aspect), so "aspect" is height / width here.
 *
 * <p>Differences from timm: only mode 'pixel' and one box; the random stream is counter-based
 * ({@link #draw}); {@code num_splits} is not offered (apply per example).
 */
public record RandomErasing(double probability, double minArea, double maxArea, double minAspect, double maxAspect) {

    /** Attempts to place a box, as timm. */
    public static final int ATTEMPTS = 10;

    /** Uniforms per example: the coin, then (area, log-aspect, top, left) per attempt. */
    public static final int STRIDE = 1 + 4 * ATTEMPTS;

    public RandomErasing {
        if (probability < 0 || probability > 1 || minArea <= 0 || minArea > maxArea || minAspect <= 0
                || minAspect > maxAspect) {
            throw new IllegalArgumentException("RandomErasing: bad probability " + probability + ", area ("
                    + minArea + ", " + maxArea + ") or aspect (" + minAspect + ", " + maxAspect + ")");
        }
    }

    /** DeiT: probability 0.25, timm's other defaults. */
    public static RandomErasing deit() {
        return new RandomErasing(0.25, 0.02, 1.0 / 3.0, 0.3, 1 / 0.3);
    }

    /** The box to erase (empty when height or width is 0) and the key of its normal fill values. */
    public record Erase(int top, int left, int height, int width, long fillKey) {

        public static final Erase NONE = new Erase(0, 0, 0, 0, 0);

        public boolean isEmpty() {
            return height == 0 || width == 0;
        }
    }

    /** The erasure of example {@code example} under {@code key} for an H x W image. */
    public Erase draw(long key, long example, int height, int width) {
        long base = example * STRIDE;
        // timm skips when random() > p; with uniforms in [0, 1) "erase when u < p" has the same odds.
        if (Rng.uniformAt(key, base) >= probability) {
            return Erase.NONE;
        }
        double area = (double) height * width;
        double logMin = Math.log(minAspect);
        double logMax = Math.log(maxAspect);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long i = base + 1 + 4L * attempt;
            double target = (minArea + (maxArea - minArea) * Rng.uniformAt(key, i)) * area;
            double aspect = Math.exp(logMin + (logMax - logMin) * Rng.uniformAt(key, i + 1));
            int h = (int) Math.rint(Math.sqrt(target * aspect));
            int w = (int) Math.rint(Math.sqrt(target / aspect));
            if (w < width && h < height) {
                int top = RandomResizedCrop.randint(key, i + 2, height - h);
                int left = RandomResizedCrop.randint(key, i + 3, width - w);
                // A per-example key for the fill, so the values too depend only on (key, example).
                return new Erase(top, left, h, w, Rng.mix(key ^ Rng.mix(example + 0x5EEDL)));
            }
        }
        return Erase.NONE;
    }

    /**
     * Erases in place: {@code data[offset + (c * H + y) * W + x] = normalAt(fillKey, (c * h + y') * w + x')}
     * for (y, x) in the box, (y', x') the position inside it.
     */
    public static void apply(float[] data, int offset, int channels, int height, int width, Erase e) {
        if (e.isEmpty()) {
            return;
        }
        if (e.top() < 0 || e.left() < 0 || e.top() + e.height() > height || e.left() + e.width() > width) {
            throw new IllegalArgumentException("RandomErasing: box " + e + " is not inside " + height + "x" + width);
        }
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < e.height(); y++) {
                int row = offset + (c * height + e.top() + y) * width + e.left();
                for (int x = 0; x < e.width(); x++) {
                    data[row + x] = Rng.normalAt(e.fillKey(), ((long) c * e.height() + y) * e.width() + x);
                }
            }
        }
    }
}

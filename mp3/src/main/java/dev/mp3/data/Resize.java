package dev.mp3.data;

/**
 * PIL-compatible resampling of {@link Image} bytes, the resizes torchvision applies to PIL images
 * ({@code Resize}, {@code CenterCrop}, {@code resized_crop}).
 *
 * <p>BILINEAR and BICUBIC follow Pillow's {@code Resample.c}: a separable convolution, horizontal
 * pass first (rounded to bytes), then vertical. When downscaling by a factor s the filter support is
 * stretched by s (antialiasing), so every source pixel contributes. Weights are normalised per
 * output pixel, converted to 22-bit fixed point and the sums rounded and clamped to 0..255, exactly
 * as Pillow does for 8-bit images. Bicubic uses Keys' kernel with a = -0.5. NEAREST picks source
 * pixel {@code floor((x + 0.5) * in / out)}, Pillow's affine nearest-neighbour rule.
 *
 * <p>Differences from Pillow: none intended for these three filters on 8-bit L/RGB images (the tests
 * hold reference values computed with Pillow 9.4); BOX, HAMMING and LANCZOS are not offered.
 */
public final class Resize {

    /** The resampling filters DeiT/timm use (timm's default for RandAugment and RRC is bicubic). */
    public enum Interpolation { NEAREST, BILINEAR, BICUBIC }

    /** Pillow's fixed-point precision for 8-bit resampling (32 - 8 - 2 bits). */
    private static final int PRECISION_BITS = 22;

    private Resize() {
    }

    /** Resizes the whole image to outH x outW (PIL {@code img.resize((outW, outH), filter)}). */
    public static Image resize(Image src, int outH, int outW, Interpolation interpolation) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("resize: output size " + outH + "x" + outW + " must be positive");
        }
        if (outH == src.height() && outW == src.width()) {
            return new Image(src.pixels().clone(), src.channels(), outH, outW);
        }
        if (interpolation == Interpolation.NEAREST) {
            return nearest(src, outH, outW);
        }
        Image out = src;
        // Pillow skips a pass whose size does not change, so an unchanged axis is not rounded twice.
        if (outW != src.width()) {
            out = horizontal(out, outW, interpolation);
        }
        if (outH != src.height()) {
            out = vertical(out, outH, interpolation);
        }
        return out;
    }

    /**
     * Crops the box (top, left, h, w) and resizes it to outH x outW: torchvision's
     * {@code resized_crop} on a PIL image (an integer crop, then a resize of the whole crop).
     */
    public static Image resizedCrop(Image src, int top, int left, int h, int w, int outH, int outW,
                                    Interpolation interpolation) {
        return resize(crop(src, top, left, h, w), outH, outW, interpolation);
    }

    /**
     * The central h x w window, torchvision's {@code center_crop}: top = round((H - h) / 2),
     * left = round((W - w) / 2) with Python's round (half to even). Requires h <= H and w <= W
     * (torchvision would pad instead; this class does not).
     */
    public static Image centerCrop(Image src, int h, int w) {
        if (h > src.height() || w > src.width()) {
            throw new IllegalArgumentException("centerCrop: " + h + "x" + w + " does not fit in "
                    + src.height() + "x" + src.width());
        }
        int top = (int) Math.rint((src.height() - h) / 2.0);
        int left = (int) Math.rint((src.width() - w) / 2.0);
        return crop(src, top, left, h, w);
    }

    /**
     * Resizes so that the shorter side becomes {@code shorter} and the other keeps the aspect ratio,
     * torchvision's {@code Resize(int)}: long = int(shorter * long / short) (truncated).
     */
    public static Image resizeShorter(Image src, int shorter, Interpolation interpolation) {
        int h = src.height();
        int w = src.width();
        if (h <= w) {
            return resize(src, shorter, (int) ((long) shorter * w / h), interpolation);
        }
        return resize(src, (int) ((long) shorter * h / w), shorter, interpolation);
    }

    /** The h x w window at (top, left); it must lie inside the image. */
    public static Image crop(Image src, int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h <= 0 || w <= 0 || top + h > src.height() || left + w > src.width()) {
            throw new IllegalArgumentException("crop: box top=" + top + " left=" + left + " " + h + "x" + w
                    + " is not inside " + src.height() + "x" + src.width());
        }
        Image out = Image.blank(src.channels(), h, w);
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src.pixels(), src.index(c, top + y, left), out.pixels(), out.index(c, y, 0), w);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- nearest

    private static Image nearest(Image src, int outH, int outW) {
        Image out = Image.blank(src.channels(), outH, outW);
        double sy = (double) src.height() / outH;
        double sx = (double) src.width() / outW;
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < outH; y++) {
                int iy = Math.min(src.height() - 1, (int) ((y + 0.5) * sy));
                for (int x = 0; x < outW; x++) {
                    int ix = Math.min(src.width() - 1, (int) ((x + 0.5) * sx));
                    out.pixels()[out.index(c, y, x)] = src.pixels()[src.index(c, iy, ix)];
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- convolution

    /** Per output pixel: the first source index and the fixed-point weights of the window. */
    private record Coefficients(int[] start, int[][] weights) {
    }

    private static double filter(Interpolation interpolation, double x) {
        x = Math.abs(x);
        if (interpolation == Interpolation.BILINEAR) {
            return x < 1.0 ? 1.0 - x : 0.0;
        }
        double a = -0.5;
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    private static double support(Interpolation interpolation) {
        return interpolation == Interpolation.BILINEAR ? 1.0 : 2.0;
    }

    /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
    static Coefficients coefficients(int inSize, int outSize, Interpolation interpolation) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0); // stretch the kernel only when downscaling
        double support = support(interpolation) * filterScale;
        int[] start = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double[] k = new double[xmax];
            double sum = 0;
            for (int x = 0; x < xmax; x++) {
                k[x] = filter(interpolation, (x + xmin - center + 0.5) / filterScale);
                sum += k[x];
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double w = sum != 0.0 ? k[x] / sum : k[x];
                double scaled = w * (1 << PRECISION_BITS);
                fixed[x] = (int) (w < 0 ? scaled - 0.5 : scaled + 0.5);
            }
            start[xx] = xmin;
            weights[xx] = fixed;
        }
        return new Coefficients(start, weights);
    }

    /** Rounds a fixed-point sum (which already holds the +1/2) to a byte, clamping as Pillow's clip8. */
    private static byte clip8(int sum) {
        if (sum <= 0) {
            return 0;
        }
        if (sum >= (255 << PRECISION_BITS)) {
            return (byte) 255;
        }
        return (byte) (sum >> PRECISION_BITS);
    }

    private static Image horizontal(Image src, int outW, Interpolation interpolation) {
        Coefficients co = coefficients(src.width(), outW, interpolation);
        Image out = Image.blank(src.channels(), src.height(), outW);
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < src.height(); y++) {
                int row = src.index(c, y, 0);
                for (int x = 0; x < outW; x++) {
                    int[] k = co.weights()[x];
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < k.length; i++) {
                        sum += (src.pixels()[row + co.start()[x] + i] & 0xFF) * k[i];
                    }
                    out.pixels()[out.index(c, y, x)] = clip8(sum);
                }
            }
        }
        return out;
    }

    private static Image vertical(Image src, int outH, Interpolation interpolation) {
        Coefficients co = coefficients(src.height(), outH, interpolation);
        Image out = Image.blank(src.channels(), outH, src.width());
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < outH; y++) {
                int[] k = co.weights()[y];
                for (int x = 0; x < src.width(); x++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < k.length; i++) {
                        sum += src.at(c, co.start()[y] + i, x) * k[i];
                    }
                    out.pixels()[out.index(c, y, x)] = clip8(sum);
                }
            }
        }
        return out;
    }
}

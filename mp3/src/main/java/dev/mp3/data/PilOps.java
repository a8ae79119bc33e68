package dev.mp3.data;

import dev.mp3.data.Resize.Interpolation;

/**
 * The Pillow image operations that timm's RandAugment calls ({@code ImageOps}, {@code ImageEnhance},
 * {@code Image.transform}/{@code rotate}), reimplemented on {@link Image} bytes with Pillow 9.4's
 * arithmetic (lookup tables, float blends truncated to bytes, fixed-point grayscale), for 1-channel
 * ("L") and 3-channel ("RGB") images. Every method returns a new image.
 *
 * <p>Known differences from Pillow: NEAREST affine sampling uses the exact floor of the source
 * coordinate, while Pillow takes a fixed-point shortcut that can differ on exact pixel boundaries;
 * images with other channel counts are treated channel by channel (Color then needs 1 or 3).
 */
public final class PilOps {

    private PilOps() {
    }

    // ---------------------------------------------------------------- lookup-table ops

    /** Maps every sample of channel c through {@code luts[c]} (Pillow's {@code Image.point}). */
    private static Image point(Image src, int[][] luts) {
        Image out = Image.blank(src.channels(), src.height(), src.width());
        int plane = src.plane();
        for (int c = 0; c < src.channels(); c++) {
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                out.pixels()[i] = (byte) luts[c][src.pixels()[i] & 0xFF];
            }
        }
        return out;
    }

    private static Image point(Image src, int[] lut) {
        int[][] luts = new int[src.channels()][];
        java.util.Arrays.fill(luts, lut);
        return point(src, luts);
    }

    private static int[] histogram(Image src, int c) {
        int[] h = new int[256];
        for (int i = c * src.plane(); i < (c + 1) * src.plane(); i++) {
            h[src.pixels()[i] & 0xFF]++;
        }
        return h;
    }

    private static int[] identityLut() {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i;
        }
        return lut;
    }

    /** {@code ImageOps.invert}: 255 - v. */
    public static Image invert(Image src) {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = 255 - i;
        }
        return point(src, lut);
    }

    /** {@code ImageOps.posterize}: keep the top {@code bits} bits (timm returns the image unchanged for bits >= 8). */
    public static Image posterize(Image src, int bits) {
        if (bits >= 8) {
            return src;
        }
        int mask = ~((1 << (8 - bits)) - 1);
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i & mask;
        }
        return point(src, lut);
    }

    /** {@code ImageOps.solarize}: samples at or above the threshold are inverted. */
    public static Image solarize(Image src, int threshold) {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i < threshold ? i : 255 - i;
        }
        return point(src, lut);
    }

    /** timm's {@code solarize_add}: samples below the threshold get {@code add}, capped at 255. */
    public static Image solarizeAdd(Image src, int add, int threshold) {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i < threshold ? Math.min(255, i + add) : i;
        }
        return point(src, lut);
    }

    /** {@code ImageOps.autocontrast} (cutoff 0): stretch each channel's [lo, hi] to [0, 255], truncating. */
    public static Image autoContrast(Image src) {
        int[][] luts = new int[src.channels()][];
        for (int c = 0; c < src.channels(); c++) {
            int[] h = histogram(src, c);
            int lo = 0;
            while (lo < 255 && h[lo] == 0) {
                lo++;
            }
            int hi = 255;
            while (hi > 0 && h[hi] == 0) {
                hi--;
            }
            if (hi <= lo) {
                luts[c] = identityLut();
                continue;
            }
            double scale = 255.0 / (hi - lo);
            double offset = -lo * scale;
            luts[c] = new int[256];
            for (int i = 0; i < 256; i++) {
                luts[c][i] = Math.max(0, Math.min(255, (int) (i * scale + offset)));
            }
        }
        return point(src, luts);
    }

    /**
     * {@code ImageOps.equalize}, per channel: with step = (pixels - count of the highest used value) / 256
     * (integer division), value i maps to (step / 2 + pixels below i) / step; a channel with one used
     * value or step 0 is left alone.
     */
    public static Image equalize(Image src) {
        int[][] luts = new int[src.channels()][];
        for (int c = 0; c < src.channels(); c++) {
            int[] h = histogram(src, c);
            int used = 0;
            int last = 0;
            int total = 0;
            for (int i = 0; i < 256; i++) {
                if (h[i] > 0) {
                    used++;
                    last = h[i];
                    total += h[i];
                }
            }
            int step = (total - last) / 256;
            if (used <= 1 || step == 0) {
                luts[c] = identityLut();
                continue;
            }
            luts[c] = new int[256];
            int n = step / 2;
            for (int i = 0; i < 256; i++) {
                luts[c][i] = Math.min(255, n / step);
                n += h[i];
            }
        }
        return point(src, luts);
    }

    // ---------------------------------------------------------------- enhancements (blends)

    /**
     * {@code Image.blend(degenerate, src, factor)}: degenerate + factor * (src - degenerate) in float,
     * clamped to 0..255 and truncated, as Pillow's ImagingBlend.
     */
    static Image blend(Image degenerate, Image src, double factor) {
        float alpha = (float) factor;
        Image out = Image.blank(src.channels(), src.height(), src.width());
        byte[] a = degenerate.pixels();
        byte[] b = src.pixels();
        for (int i = 0; i < b.length; i++) {
            int x = a[i] & 0xFF;
            float t = x + alpha * ((b[i] & 0xFF) - x);
            out.pixels()[i] = (byte) (t <= 0f ? 0 : t >= 255f ? 255 : (int) t);
        }
        return out;
    }

    /** Pillow's RGB to L conversion (Pillow 9: L = (19595 R + 38470 G + 7471 B + 2^15) >> 16, i.e. 0.299/0.587/0.114 rounded). */
    public static Image grayscale(Image src) {
        if (src.channels() != 3) {
            return src;
        }
        Image out = Image.blank(1, src.height(), src.width());
        int plane = src.plane();
        byte[] p = src.pixels();
        for (int i = 0; i < plane; i++) {
            int r = p[i] & 0xFF;
            int g = p[plane + i] & 0xFF;
            int b = p[2 * plane + i] & 0xFF;
            out.pixels()[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        return out;
    }

    /** The image with every channel set to the given one-channel image (Pillow's L to RGB). */
    private static Image replicate(Image gray, int channels) {
        Image out = Image.blank(channels, gray.height(), gray.width());
        for (int c = 0; c < channels; c++) {
            System.arraycopy(gray.pixels(), 0, out.pixels(), c * gray.plane(), gray.plane());
        }
        return out;
    }

    /** {@code ImageEnhance.Color}: blend with the grayscale image (identity for a 1-channel image). */
    public static Image color(Image src, double factor) {
        return blend(replicate(grayscale(src), src.channels()), src, factor);
    }

    /** {@code ImageEnhance.Contrast}: blend with a flat image at int(mean of the grayscale + 0.5). */
    public static Image contrast(Image src, double factor) {
        Image gray = grayscale(src);
        long sum = 0;
        for (byte v : gray.pixels()) {
            sum += v & 0xFF;
        }
        int mean = (int) ((double) sum / gray.pixels().length + 0.5);
        Image flat = Image.blank(src.channels(), src.height(), src.width());
        java.util.Arrays.fill(flat.pixels(), (byte) mean);
        return blend(flat, src, factor);
    }

    /** {@code ImageEnhance.Brightness}: blend with black. */
    public static Image brightness(Image src, double factor) {
        return blend(Image.blank(src.channels(), src.height(), src.width()), src, factor);
    }

    /** {@code ImageEnhance.Sharpness}: blend with {@link #smooth}. */
    public static Image sharpness(Image src, double factor) {
        return blend(smooth(src), src, factor);
    }

    /**
     * Pillow's {@code ImageFilter.SMOOTH}: 3x3 kernel [[1 1 1] [1 5 1] [1 1 1]] / 13 in float, rounded
     * (+0.5, truncated); the border rows and columns are copied unchanged.
     */
    public static Image smooth(Image src) {
        Image out = new Image(src.pixels().clone(), src.channels(), src.height(), src.width());
        float k = 1f / 13f;
        float centre = 5f / 13f;
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 1; y < src.height() - 1; y++) {
                for (int x = 1; x < src.width() - 1; x++) {
                    float ss = 0.5f;
                    for (int dy = 1; dy >= -1; dy--) { // Pillow sums the row below first
                        for (int dx = -1; dx <= 1; dx++) {
                            ss += src.at(c, y + dy, x + dx) * (dy == 0 && dx == 0 ? centre : k);
                        }
                    }
                    out.pixels()[out.index(c, y, x)] = (byte) (ss <= 0f ? 0 : ss >= 255f ? 255 : (int) ss);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- geometry

    /**
     * Pillow's {@code Image.transform(size, AFFINE, (a, b, c, d, e, f), resample, fillcolor)}: output
     * pixel (x, y) samples the source at (a (x + 0.5) + b (y + 0.5) + c, d (x + 0.5) + e (y + 0.5) + f);
     * points outside [0, W) x [0, H) get {@code fill}.
     */
    public static Image affine(Image src, double[] m, Interpolation interpolation, byte[] fill) {
        Image out = Image.blank(src.channels(), src.height(), src.width());
        for (int y = 0; y < src.height(); y++) {
            for (int x = 0; x < src.width(); x++) {
                double xin = m[0] * (x + 0.5) + m[1] * (y + 0.5) + m[2];
                double yin = m[3] * (x + 0.5) + m[4] * (y + 0.5) + m[5];
                boolean inside = xin >= 0 && xin < src.width() && yin >= 0 && yin < src.height();
                for (int c = 0; c < src.channels(); c++) {
                    int v = inside ? sample(src, c, xin, yin, interpolation) : fill[c] & 0xFF;
                    out.pixels()[out.index(c, y, x)] = (byte) v;
                }
            }
        }
        return out;
    }

    private static int sample(Image src, int c, double xin, double yin, Interpolation interpolation) {
        if (interpolation == Interpolation.NEAREST) {
            return src.at(c, (int) yin, (int) xin);
        }
        // Pillow's filters work from pixel centres, clamping neighbours at the edges.
        double fx = xin - 0.5;
        double fy = yin - 0.5;
        int x0 = (int) Math.floor(fx);
        int y0 = (int) Math.floor(fy);
        double dx = fx - x0;
        double dy = fy - y0;
        double v;
        if (interpolation == Interpolation.BILINEAR) {
            double top = lerp(at(src, c, y0, x0), at(src, c, y0, x0 + 1), dx);
            double bottom = lerp(at(src, c, y0 + 1, x0), at(src, c, y0 + 1, x0 + 1), dx);
            v = lerp(top, bottom, dy);
        } else {
            double[] rows = new double[4];
            for (int j = 0; j < 4; j++) {
                int yy = y0 - 1 + j;
                rows[j] = cubic(at(src, c, yy, x0 - 1), at(src, c, yy, x0), at(src, c, yy, x0 + 1),
                        at(src, c, yy, x0 + 2), dx);
            }
            v = cubic(rows[0], rows[1], rows[2], rows[3], dy);
        }
        return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
    }

    private static int at(Image src, int c, int y, int x) {
        return src.at(c, Math.max(0, Math.min(src.height() - 1, y)), Math.max(0, Math.min(src.width() - 1, x)));
    }

    private static double lerp(double a, double b, double d) {
        return a + (b - a) * d;
    }

    /** Pillow's affine BICUBIC: the cubic convolution with a = -1 (unlike resize, which uses a = -0.5). */
    private static double cubic(double v1, double v2, double v3, double v4, double d) {
        double p1 = v2;
        double p2 = -v1 + v3;
        double p3 = 2 * (v1 - v2) + v3 - v4;
        double p4 = -v1 + v2 - v3 + v4;
        return p1 + d * (p2 + d * (p3 + d * p4));
    }

    /**
     * {@code Image.rotate(degrees, resample, fillcolor)} without expand: counter-clockwise about the
     * centre (W/2, H/2). Like Pillow, 0 and 180 degrees, and 90/270 on square images, are exact
     * transposes rather than resampled.
     */
    public static Image rotate(Image src, double degrees, Interpolation interpolation, byte[] fill) {
        double angle = ((degrees % 360.0) + 360.0) % 360.0;
        if (angle == 0) {
            return src;
        }
        if (angle == 180 || (src.height() == src.width() && (angle == 90 || angle == 270))) {
            return quarterTurns(src, (int) (angle / 90));
        }
        double rad = -Math.toRadians(angle);
        double cos = round15(Math.cos(rad));
        double sin = round15(Math.sin(rad));
        double cx = src.width() / 2.0;
        double cy = src.height() / 2.0;
        // Pillow: matrix maps output to input, rotating about the centre.
        double[] m = {cos, sin, 0, -sin, cos, 0};
        m[2] = cos * -cx + sin * -cy + cx;
        m[5] = -sin * -cx + cos * -cy + cy;
        return affine(src, m, interpolation, fill);
    }

    private static double round15(double v) {
        return new java.math.BigDecimal(v).setScale(15, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Counter-clockwise rotation by 90 degrees {@code turns} times (1 and 3 need a square image). */
    private static Image quarterTurns(Image src, int turns) {
        int h = src.height();
        int w = src.width();
        Image out = Image.blank(src.channels(), h, w);
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = switch (turns) {
                        case 1 -> src.at(c, x, w - 1 - y);         // output (y, x) <- input (x, W-1-y)
                        case 2 -> src.at(c, h - 1 - y, w - 1 - x);
                        default -> src.at(c, h - 1 - x, y);
                    };
                    out.pixels()[out.index(c, y, x)] = (byte) v;
                }
            }
        }
        return out;
    }

    /** timm's {@code shear_x}: source x = x + factor * y. */
    public static Image shearX(Image src, double factor, Interpolation interpolation, byte[] fill) {
        return affine(src, new double[] {1, factor, 0, 0, 1, 0}, interpolation, fill);
    }

    /** timm's {@code shear_y}: source y = factor * x + y. */
    public static Image shearY(Image src, double factor, Interpolation interpolation, byte[] fill) {
        return affine(src, new double[] {1, 0, 0, factor, 1, 0}, interpolation, fill);
    }

    /** timm's {@code translate_x_rel}: source x = x + pct * W (content moves left for pct > 0). */
    public static Image translateX(Image src, double pct, Interpolation interpolation, byte[] fill) {
        return affine(src, new double[] {1, 0, pct * src.width(), 0, 1, 0}, interpolation, fill);
    }

    /** timm's {@code translate_y_rel}: source y = y + pct * H (content moves up for pct > 0). */
    public static Image translateY(Image src, double pct, Interpolation interpolation, byte[] fill) {
        return affine(src, new double[] {1, 0, 0, 0, 1, pct * src.height()}, interpolation, fill);
    }
}

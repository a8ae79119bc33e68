package dev.mp3.data;

import dev.mp3.tensor.Rng;

/**
 * timm's {@code Mixup} in 'batch' mode: one draw per batch decides between mixup (blend every image
 * with its partner) and cutmix (paste a box of the partner), and the labels are mixed with the same
 * weight lam. Image k's partner is image batch - 1 - k (timm's {@code x.flip(0)}).
 *
 * <p>timm parameters (DeiT values, {@link #deit}): {@code mixup_alpha = 0.8}, {@code cutmix_alpha = 1.0},
 * {@code prob = 1.0} (chance of mixing a batch at all), {@code switch_prob = 0.5} (chance of cutmix
 * when both are active), {@code correct_lam = True} (lam = 1 - box area / image area after clipping
 * the box), {@code label_smoothing = 0.1} (passed to {@link #targets}). lam ~ Beta(alpha, alpha).
 *
 * <p>Differences from timm: only 'batch' mode and no {@code cutmix_minmax}; Beta draws come from
 * Marsaglia-Tsang Gamma variates on the counter-based stream rather than numpy.
 */
public record Mixup(double mixupAlpha, double cutmixAlpha, double prob, double switchProb, boolean correctLam) {

    /** Rejection-loop cap for one Gamma variate (acceptance is above 95%, so this is never reached in practice). */
    private static final int MAX_TRIES = 1000;

    public Mixup {
        if (mixupAlpha < 0 || cutmixAlpha < 0 || (mixupAlpha == 0 && cutmixAlpha == 0)) {
            throw new IllegalArgumentException("Mixup: need mixup_alpha > 0 or cutmix_alpha > 0, got "
                    + mixupAlpha + ", " + cutmixAlpha);
        }
    }

    /** DeiT's setting. */
    public static Mixup deit() {
        return new Mixup(0.8, 1.0, 1.0, 0.5, true);
    }

    /**
     * One batch's choices: the weight lam of each image itself (1 = unmixed) and, for cutmix, the box
     * rows top..bottom-1, columns left..right-1 taken from the partner.
     */
    public record Mix(boolean cutmix, double lam, int top, int bottom, int left, int right) {

        public static final Mix NONE = new Mix(false, 1.0, 0, 0, 0, 0);

        public static Mix mixup(double lam) {
            return new Mix(false, lam, 0, 0, 0, 0);
        }
    }

    /** The batch's mix under {@code key} for H x W images. Uniforms 0..3 of the key; Gammas use derived keys. */
    public Mix draw(long key, int height, int width) {
        if (Rng.uniformAt(key, 0) >= prob) {
            return Mix.NONE;
        }
        boolean cutmix;
        if (mixupAlpha > 0 && cutmixAlpha > 0) {
            cutmix = Rng.uniformAt(key, 1) < switchProb;
        } else {
            cutmix = cutmixAlpha > 0;
        }
        double alpha = cutmix ? cutmixAlpha : mixupAlpha;
        double lam = beta(alpha, alpha, Rng.mix(key ^ 0xBE7AL));
        if (!cutmix) {
            return Mix.mixup(lam);
        }
        return cutmixBox(lam, height, width, Rng.uniformAt(key, 2), Rng.uniformAt(key, 3));
    }

    /**
     * timm's {@code rand_bbox}: a box of sides int(H sqrt(1 - lam)) x int(W sqrt(1 - lam)) centred at a
     * uniform pixel (cy, cx) from the uniforms uy, ux, clipped to the image; with correct_lam, lam
     * becomes the fraction of the image left unpasted.
     */
    Mix cutmixBox(double lam, int height, int width, float uy, float ux) {
        double ratio = Math.sqrt(1 - lam);
        int cutH = (int) (height * ratio);
        int cutW = (int) (width * ratio);
        int cy = Math.min(height - 1, (int) (uy * height));
        int cx = Math.min(width - 1, (int) (ux * width));
        int top = clamp(cy - cutH / 2, height);
        int bottom = clamp(cy + cutH / 2, height);
        int left = clamp(cx - cutW / 2, width);
        int right = clamp(cx + cutW / 2, width);
        if (correctLam) {
            lam = 1.0 - (double) (bottom - top) * (right - left) / ((double) height * width);
        }
        return new Mix(true, lam, top, bottom, left, right);
    }

    private static int clamp(int v, int hi) {
        return Math.max(0, Math.min(hi, v));
    }

    /** Mixes a [batch, C, H, W] block in place; every image reads its partner's original values. */
    public static void apply(float[] images, int batch, int channels, int height, int width, Mix m) {
        requireEven(batch);
        int size = channels * height * width;
        if (images.length < (long) batch * size) {
            throw new IllegalArgumentException("Mixup: " + images.length + " floats cannot hold " + batch + " images of "
                    + size);
        }
        if (!m.cutmix() && m.lam() == 1.0) {
            return;
        }
        float[] original = java.util.Arrays.copyOf(images, batch * size);
        for (int k = 0; k < batch; k++) {
            int self = k * size;
            int partner = (batch - 1 - k) * size;
            if (m.cutmix()) {
                pasteBox(images, original, self, partner, channels, height, width, m);
            } else {
                float lam = (float) m.lam();
                for (int i = 0; i < size; i++) {
                    images[self + i] = original[self + i] * lam + original[partner + i] * (1 - lam);
                }
            }
        }
    }

    private static void pasteBox(float[] images, float[] original, int self, int partner, int channels, int height,
                                 int width, Mix m) {
        for (int c = 0; c < channels; c++) {
            for (int y = m.top(); y < m.bottom(); y++) {
                int row = (c * height + y) * width;
                for (int x = m.left(); x < m.right(); x++) {
                    images[self + row + x] = original[partner + row + x];
                }
            }
        }
    }

    /**
     * timm's {@code mixup_target}: [batch, numClasses] rows lam * smooth(y_k) + (1 - lam) * smooth(y_{batch-1-k}),
     * where smooth puts 1 - smoothing + smoothing / numClasses on the label and smoothing / numClasses elsewhere.
     */
    public static float[] targets(int[] labels, int numClasses, Mix m, float smoothing) {
        requireEven(labels.length);
        int batch = labels.length;
        double off = (double) smoothing / numClasses;
        double on = 1.0 - smoothing + off;
        float[] out = new float[batch * numClasses];
        for (int k = 0; k < batch; k++) {
            int a = labels[k];
            int b = labels[batch - 1 - k];
            if (a < 0 || a >= numClasses || b < 0 || b >= numClasses) {
                throw new IllegalArgumentException("Mixup: label " + (a < 0 || a >= numClasses ? a : b)
                        + " outside 0.." + (numClasses - 1));
            }
            for (int j = 0; j < numClasses; j++) {
                double ya = j == a ? on : off;
                double yb = j == b ? on : off;
                out[k * numClasses + j] = (float) (m.lam() * ya + (1 - m.lam()) * yb);
            }
        }
        return out;
    }

    private static void requireEven(int batch) {
        if (batch % 2 != 0) {
            throw new IllegalArgumentException("Mixup: batch size should be even (image k is mixed with image "
                    + "batch-1-k), got " + batch);
        }
    }

    // ---------------------------------------------------------------- Beta and Gamma

    /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) on keys derived from {@code key}. */
    public static double beta(double a, double b, long key) {
        double x = gamma(a, Rng.mix(key + 1));
        double y = gamma(b, Rng.mix(key + 2));
        return x / (x + y);
    }

    /**
     * Gamma(shape, 1) by Marsaglia and Tsang (2000). Try t uses normal t of {@code key} and uniform t of a
     * derived key. For shape &lt; 1 it uses the boost Gamma(shape) = Gamma(shape + 1) * U^(1 / shape), U in (0, 1].
     */
    public static double gamma(double shape, long key) {
        if (shape < 1) {
            double u = 1.0 - Rng.uniformAt(Rng.mix(key ^ 0xB005L), 0);
            return gamma(shape + 1, key) * Math.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        long uniformKey = Rng.mix(key ^ 0xACCE97L);
        for (int t = 0; t < MAX_TRIES; t++) {
            double x = Rng.normalAt(key, t);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = Rng.uniformAt(uniformKey, t);
            // The squeeze accepts most draws cheaply; the log test is the exact acceptance condition.
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
        return d; // unreachable in practice: the mode's neighbourhood
    }
}

package dev.mp3.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * How stored pixel bytes become model inputs: a byte p of channel c becomes
 * {@code (p / 255 - mean[c]) / std[c]}, that is, scaled to [0, 1] and then standardised per channel
 * with statistics of the training split. {@link #toUnit} undoes it (for PNGs of reconstructions).
 */
public final class Normalization {

    /** Fashion-MNIST training split: mean 0.2860, std 0.3530 (checked against the full data in the tests). */
    public static final Normalization FASHION_MNIST = new Normalization(new float[] {0.2860f}, new float[] {0.3530f});
    /** MNIST training split. */
    public static final Normalization MNIST = new Normalization(new float[] {0.1307f}, new float[] {0.3081f});
    /** CIFAR-10 training split, per channel R, G, B (population std over all pixels). */
    public static final Normalization CIFAR10 = new Normalization(
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});
    /** CIFAR-100 training split, per channel R, G, B (population std over all pixels). */
    public static final Normalization CIFAR100 = new Normalization(
            new float[] {0.5071f, 0.4865f, 0.4409f}, new float[] {0.2673f, 0.2564f, 0.2762f});
    /**
     * ImageNet's training split, per channel R, G, B: the statistics torchvision's pretrained models
     * use, and the usual choice for any natural-photo folder (Tiny ImageNet, {@code folder:DIR}),
     * where measuring would mean decoding every file.
     */
    public static final Normalization IMAGENET = new Normalization(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    private final float[] mean;
    private final float[] std;
    private final float[][] table;

    public Normalization(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalization: " + mean.length + " means and " + std.length
                    + " standard deviations; expected one of each per channel");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("Normalization: channel " + c + " has mean " + mean[c] + ", std "
                        + std[c] + "; expected finite values and std > 0");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
        // 256 possible bytes per channel: a lookup table makes batch assembly a copy.
        this.table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int p = 0; p < 256; p++) {
                table[c][p] = (p / 255f - mean[c]) / std[c];
            }
        }
    }

    /** Only the scaling to [0, 1]: mean 0, std 1 for every channel. */
    public static Normalization unitRange(int channels) {
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new Normalization(new float[channels], ones);
    }

    /**
     * The per-channel mean and population std of {@code data}'s pixels scaled to [0, 1], in double
     * precision. A dataset of files is decoded image by image, each at its own size, so every pixel
     * counts once (slow for large folders: one full pass over the files).
     */
    public static Normalization measure(ImageDataset data) {
        int channels = data.channels();
        double[] sum = new double[channels];
        double[] sumSq = new double[channels];
        long count = 0;
        if (data.inMemory()) {
            int plane = data.height() * data.width();
            byte[] pixels = data.pixels();
            for (int i = 0; i < data.size(); i++) {
                accumulate(pixels, i * channels * plane, channels, plane, sum, sumSq);
            }
            count = (long) data.size() * plane;
        } else {
            for (int i = 0; i < data.size(); i++) {
                Image image = data.image(i);
                accumulate(image.pixels(), 0, channels, image.plane(), sum, sumSq);
                count += image.plane();
            }
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / count / 255.0;
            double var = sumSq[c] / count / (255.0 * 255.0) - m * m;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(var, 0));
        }
        return new Normalization(mean, std);
    }

    /** Adds the sums and sums of squares of one [C, plane] image starting at {@code offset}. */
    private static void accumulate(byte[] pixels, int offset, int channels, int plane, double[] sum, double[] sumSq) {
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            long s = 0;
            long sq = 0;
            for (int k = 0; k < plane; k++) {
                int p = pixels[base + k] & 0xFF;
                s += p;
                sq += (long) p * p;
            }
            sum[c] += s;
            sumSq[c] += sq;
        }
    }

    public int channels() {
        return mean.length;
    }

    public float mean(int channel) {
        return mean[channel];
    }

    public float std(int channel) {
        return std[channel];
    }

    /** The model input for byte {@code pixel} (0..255) of channel {@code channel}. */
    public float apply(int channel, int pixel) {
        return table[channel][pixel];
    }

    /**
     * Maps normalised values ([n, C, H, W] with {@code plane = H * W}) back to [0, 1] pixel scale:
     * {@code v * std[c] + mean[c]}. Values are not clamped; {@code Png} clamps when writing.
     */
    public float[] toUnit(float[] normalized, int plane) {
        int c0 = mean.length;
        if (plane <= 0 || normalized.length % (c0 * plane) != 0) {
            throw new IllegalArgumentException("Normalization.toUnit: " + normalized.length + " values are not whole "
                    + c0 + "-channel images of " + plane + " pixels");
        }
        float[] out = new float[normalized.length];
        for (int i = 0; i < out.length; i++) {
            int c = i / plane % c0;
            out[i] = normalized[i] * std[c] + mean[c];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("(p/255 - mean) / std with");
        for (int c = 0; c < mean.length; c++) {
            s.append(String.format(Locale.ROOT, " c%d: mean %.4f std %.4f", c, mean[c], std[c]));
        }
        return s.toString();
    }
}

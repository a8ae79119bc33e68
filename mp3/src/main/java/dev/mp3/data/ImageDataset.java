package dev.mp3.data;

import dev.mp3.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Labelled images held in memory as the file stores them: one unsigned byte per pixel, images in
 * [n, C, H, W] order. Bytes take a quarter of the memory of floats (CIFAR-100's 50,000 training
 * images are 150 MB as bytes); {@link Batches} turns them into normalised float tensors per batch
 * using {@link #normalization()}.
 */
public final class ImageDataset {

    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final Normalization normalization;

    /**
     * @param pixels images in [n, C, H, W] order, one byte per pixel (owned by the dataset, not copied)
     * @param labels one class index per image, each in [0, classNames.size())
     */
    public ImageDataset(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                        List<String> classNames, Normalization normalization) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        long imageSize = (long) channels * height * width;
        if ((long) labels.length * imageSize != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes do not make "
                    + labels.length + " images of " + channels + "x" + height + "x" + width + " (expected "
                    + labels.length * imageSize + ")");
        }
        if (normalization.channels() != channels) {
            throw new IllegalArgumentException(name + ": normalisation has " + normalization.channels()
                    + " channels, images have " + channels);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": no class names");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": example " + i + " has label " + labels[i]
                        + "; expected 0.." + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        this.normalization = normalization;
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Bytes per image: C * H * W. */
    public int imageSize() {
        return channels * height * width;
    }

    public int numClasses() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    public Normalization normalization() {
        return normalization;
    }

    public int label(int i) {
        return labels[checkIndex(i)];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The backing pixel bytes ([n, C, H, W]); not copied, so do not modify. */
    byte[] pixels() {
        return pixels;
    }

    /** Pixel (c, y, x) of image i as stored, 0..255. */
    public int pixel(int i, int c, int y, int x) {
        checkIndex(i);
        if (c < 0 || c >= channels || y < 0 || y >= height || x < 0 || x >= width) {
            throw new IllegalArgumentException(name + ": pixel (" + c + ", " + y + ", " + x + ") outside "
                    + channels + "x" + height + "x" + width);
        }
        return pixels[((i * channels + c) * height + y) * width + x] & 0xFF;
    }

    /** Image i as stored bytes, [C, H, W]. */
    public byte[] imageBytes(int i) {
        checkIndex(i);
        return Arrays.copyOfRange(pixels, i * imageSize(), (i + 1) * imageSize());
    }

    /** Image i scaled to [0, 1] without standardisation, [C, H, W] (for PNGs). */
    public float[] unitImage(int i) {
        byte[] b = imageBytes(i);
        float[] out = new float[b.length];
        for (int k = 0; k < b.length; k++) {
            out[k] = (b[k] & 0xFF) / 255f;
        }
        return out;
    }

    /** Number of examples of each class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The examples at {@code indices}, in that order (copied). */
    public ImageDataset subset(int[] indices) {
        int size = imageSize();
        byte[] p = new byte[indices.length * size];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            System.arraycopy(pixels, i * size, p, k * size, size);
            l[k] = labels[i];
        }
        return new ImageDataset(name, p, l, channels, height, width, classNames, normalization);
    }

    /**
     * A stratified sample keeping {@code fraction} of the labels: each class keeps its share
     * (fraction x its count, rounded so the total is round(fraction x n) by largest remainder), the
     * members chosen by a seeded shuffle within the class. On a balanced set every class gets the
     * same number: 10% of Fashion-MNIST's 60,000 is 600 per class. Examples keep their original order.
     */
    public ImageDataset labelFraction(double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException(name + ": label fraction " + fraction + " must be in (0, 1]");
        }
        int[] counts = classCounts();
        int[] keep = stratifiedCounts(counts, fraction);
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0 && keep[c] == 0) {
                throw new IllegalArgumentException(name + ": label fraction " + fraction + " keeps no example of class "
                        + c + " (" + classNames.get(c) + ", " + counts[c] + " examples); use a larger fraction");
            }
        }
        Rng rng = new Rng(seed);
        boolean[] chosen = new boolean[size()];
        for (int c = 0; c < counts.length; c++) {
            int[] members = membersOf(c, counts[c]);
            int[] order = rng.permutationArray(1, members.length);
            for (int k = 0; k < keep[c]; k++) {
                chosen[members[order[k]]] = true;
            }
        }
        return subset(indicesWhere(chosen));
    }

    /** The first {@code perClass} examples of every class, in their original order (the embedded subset's rule). */
    public ImageDataset firstPerClass(int perClass) {
        int[] counts = classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < perClass) {
                throw new IllegalArgumentException(name + ": class " + c + " (" + classNames.get(c) + ") has only "
                        + counts[c] + " examples, fewer than the " + perClass + " asked for");
            }
        }
        int[] taken = new int[counts.length];
        boolean[] chosen = new boolean[size()];
        for (int i = 0; i < size(); i++) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                chosen[i] = true;
            }
        }
        return subset(indicesWhere(chosen));
    }

    public ImageDataset withNormalization(Normalization n) {
        return new ImageDataset(name, pixels, labels, channels, height, width, classNames, n);
    }

    public ImageDataset withName(String newName) {
        return new ImageDataset(newName, pixels, labels, channels, height, width, classNames, normalization);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images " + channels + "x" + height + "x" + width + ", " + numClasses()
                + " classes)";
    }

    /** Per-class sample sizes: fraction x count, floors plus the largest remainders up to round(fraction x n). */
    static int[] stratifiedCounts(int[] counts, double fraction) {
        int n = Arrays.stream(counts).sum();
        long target = Math.round(fraction * n);
        int[] keep = new int[counts.length];
        // Remainders in units of 1e-9, so that remainders equal up to floating-point noise tie exactly.
        long[] remainder = new long[counts.length];
        long assigned = 0;
        for (int c = 0; c < counts.length; c++) {
            double exact = fraction * counts[c];
            keep[c] = (int) Math.floor(exact + 1e-9);
            remainder[c] = Math.max(0, Math.round((exact - keep[c]) * 1e9));
            assigned += keep[c];
        }
        List<Integer> byRemainder = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            byRemainder.add(c);
        }
        // Largest remainder first; ties go to the lower class index so the result is deterministic.
        byRemainder.sort((a, b) -> remainder[a] != remainder[b] ? Long.compare(remainder[b], remainder[a]) : a - b);
        for (int k = 0; assigned < target && k < byRemainder.size(); k++) {
            int c = byRemainder.get(k);
            if (keep[c] < counts[c]) {
                keep[c]++;
                assigned++;
            }
        }
        return keep;
    }

    private int[] membersOf(int label, int count) {
        int[] members = new int[count];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                members[k++] = i;
            }
        }
        return members;
    }

    private static int[] indicesWhere(boolean[] chosen) {
        int count = 0;
        for (boolean b : chosen) {
            count += b ? 1 : 0;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException(name + ": example " + i + " outside 0.." + (labels.length - 1));
        }
        return i;
    }
}

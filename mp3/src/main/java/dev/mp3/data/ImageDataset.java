package dev.mp3.data;

import dev.mp3.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Labelled images, each stored as bytes [C, H, W] with one unsigned byte per sample. Two stores:
 *
 * <ul>
 *   <li>in memory (the public constructor): all images share the shape {@code channels x height x
 *       width}, held in one [n, C, H, W] array (at most 2^31 bytes). Bytes take a quarter of the
 *       memory of floats (CIFAR-100's 50,000 training images are 150 MB as bytes).</li>
 *   <li>files on disk ({@link ImageFolder}): one JPEG or PNG per image, decoded when read, so the
 *       dataset's size is limited by the disk, not the heap. Images keep their own sizes;
 *       {@link #height()} and {@link #width()} are then the size the model sees, which batch
 *       building resizes to.</li>
 * </ul>
 *
 * {@link #image(int)} reads from either. {@link Batches} turns images into normalised float tensors
 * per batch using {@link #normalization()}. Subsets of a file store are index views: no pixels are
 * read or copied.
 */
public final class ImageDataset {

    private final String name;
    private final ImageStore store;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final Normalization normalization;

    /**
     * An in-memory dataset.
     *
     * @param pixels images in [n, C, H, W] order, one byte per pixel (owned by the dataset, not copied)
     * @param labels one class index per image, each in [0, classNames.size())
     */
    public ImageDataset(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                        List<String> classNames, Normalization normalization) {
        this(name, inMemory(name, pixels, labels.length, channels, height, width), labels, channels, height, width,
                classNames, normalization);
    }

    /**
     * A dataset over {@code store}: {@code channels x height x width} is the shape of every image of a
     * {@link ByteImages} store, and the shape the model sees for a {@link FileImages} store.
     */
    ImageDataset(String name, ImageStore store, int[] labels, int channels, int height, int width,
                 List<String> classNames, Normalization normalization) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        if (store.size() != labels.length) {
            throw new IllegalArgumentException(name + ": " + store.size() + " images but " + labels.length + " labels");
        }
        if (store instanceof ByteImages b && (b.channels() != channels || b.height() != height || b.width() != width)) {
            throw new IllegalArgumentException(name + ": stored images are " + b.channels() + "x" + b.height() + "x"
                    + b.width() + ", dataset shape " + channels + "x" + height + "x" + width);
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
        this.store = store;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        this.normalization = normalization;
    }

    private static ByteImages inMemory(String name, byte[] pixels, int count, int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        long imageSize = (long) channels * height * width;
        if ((long) count * imageSize != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes do not make "
                    + count + " images of " + channels + "x" + height + "x" + width + " (expected "
                    + count * imageSize + ")");
        }
        return new ByteImages(pixels, count, channels, height, width);
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

    /** Whether the images are held in memory (else they are files, decoded on each read). */
    public boolean inMemory() {
        return store instanceof ByteImages;
    }

    /**
     * The backing pixel bytes ([n, C, H, W]) of an in-memory dataset; not copied, so do not modify.
     *
     * @throws IllegalStateException for a dataset of files, which has no such array; use {@link #image}
     */
    byte[] pixels() {
        if (store instanceof ByteImages b) {
            return b.pixels();
        }
        throw new IllegalStateException(name + ": the images are files decoded on demand, not one pixel array;"
                + " read them one by one with image(i)");
    }

    /**
     * Image i as stored: for an in-memory dataset a copy at the dataset's shape; for a dataset of
     * files the decoded file at its own size, always 3-channel RGB, which may differ from
     * {@link #height()} x {@link #width()} (resizing is the batch builder's job). Safe to call from
     * several threads.
     *
     * @throws java.io.UncheckedIOException naming the file if it no longer decodes
     */
    public Image image(int i) {
        return store.read(checkIndex(i));
    }

    /** Pixel (c, y, x) of image i as stored, 0..255 (decodes the whole file for a dataset of files). */
    public int pixel(int i, int c, int y, int x) {
        checkIndex(i);
        if (c < 0 || c >= channels || y < 0 || y >= height || x < 0 || x >= width) {
            throw new IllegalArgumentException(name + ": pixel (" + c + ", " + y + ", " + x + ") outside "
                    + channels + "x" + height + "x" + width);
        }
        if (store instanceof ByteImages b) {
            return b.pixels()[((i * channels + c) * height + y) * width + x] & 0xFF;
        }
        return atDatasetShape(i).at(c, y, x);
    }

    /**
     * Image i as bytes, [C, H, W] at the dataset's shape: as stored for an in-memory dataset; for a
     * dataset of files the decoded file, resized and centre-cropped as evaluation sees it ({@link #fit}).
     */
    public byte[] imageBytes(int i) {
        checkIndex(i);
        if (store instanceof ByteImages b) {
            return Arrays.copyOfRange(b.pixels(), i * imageSize(), (i + 1) * imageSize());
        }
        return atDatasetShape(i).pixels();
    }

    /** Image i scaled to [0, 1] without standardisation, [C, H, W] (for PNGs); see {@link #imageBytes}. */
    public float[] unitImage(int i) {
        byte[] b = imageBytes(i);
        float[] out = new float[b.length];
        for (int k = 0; k < b.length; k++) {
            out[k] = (b[k] & 0xFF) / 255f;
        }
        return out;
    }

    /** Image i at the dataset's shape: as stored when it has it, else brought there by {@link #fit}. */
    private Image atDatasetShape(int i) {
        return fit(store.read(i), height, width);
    }

    /** DeiT's evaluation crop: the shorter side resized to size / 0.875, then the centre size x size. */
    static final float EVAL_CROP_FRACTION = 0.875f;

    /**
     * {@code stored} at {@code height x width}: itself when it has that size, else DeiT's evaluation
     * transform, the shorter side resized (bicubic) to {@code floor(side / 0.875)} and the centre
     * cut out. How a dataset of files shows an image of another size to evaluation, and to
     * training recipes without a RandomResizedCrop.
     */
    static Image fit(Image stored, int height, int width) {
        if (stored.height() == height && stored.width() == width) {
            return stored;
        }
        int side = (int) Math.floor(Math.max(height, width) / EVAL_CROP_FRACTION);
        Image resized = Resize.resizeShorter(stored, side, Resize.Interpolation.BICUBIC);
        return Resize.centerCrop(resized, height, width);
    }

    /** Number of examples of each class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * The examples at {@code indices}, in that order: copied pixels for an in-memory dataset (so a
     * subset batches as fast as the whole), an index view of the same files for a dataset of files.
     */
    public ImageDataset subset(int[] indices) {
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            l[k] = labels[checkIndex(indices[k])];
        }
        return new ImageDataset(name, store.select(indices), l, channels, height, width, classNames, normalization);
    }

    /**
     * A stratified sample keeping {@code fraction} of the labels: each class keeps its share
     * (fraction x its count, rounded so the total is round(fraction x n) by largest remainder), the
     * members chosen by a seeded shuffle within the class. On a balanced set every class gets the
     * same number: 10% of Fashion-MNIST's 60,000 is 600 per class. Examples keep their original order.
     */
    public ImageDataset labelFraction(double fraction, long seed) {
        return subset(indicesWhere(stratifiedChoice(fraction, seed)));
    }

    /**
     * A validation split: {@link #labelFraction}'s stratified sample of {@code fraction} of the
     * examples, and the rest, with no example in both. Returns {held out, rest}.
     */
    public ImageDataset[] holdOut(double fraction, long seed) {
        boolean[] chosen = stratifiedChoice(fraction, seed);
        boolean[] rest = new boolean[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            rest[i] = !chosen[i];
        }
        return new ImageDataset[] {subset(indicesWhere(chosen)).withName(name + "-heldout"),
                subset(indicesWhere(rest))};
    }

    private boolean[] stratifiedChoice(double fraction, long seed) {
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
        return chosen;
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
        return new ImageDataset(name, store, labels, channels, height, width, classNames, n);
    }

    public ImageDataset withName(String newName) {
        return new ImageDataset(newName, store, labels, channels, height, width, classNames, normalization);
    }

    @Override
    public String toString() {
        return name + " (" + size() + (inMemory() ? " images " : " image files for ") + channels + "x" + height + "x"
                + width + ", " + numClasses() + " classes)";
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

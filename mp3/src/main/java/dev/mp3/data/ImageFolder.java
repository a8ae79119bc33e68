package dev.mp3.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Datasets of JPEG and PNG files in class folders, of any size: loading lists the files and reads
 * only each file's header, and the returned {@link ImageDataset}s decode an image when it is read
 * (see {@link FileImages}). Images are 3-channel RGB at their own sizes; the {@code imageSize} given
 * here is the square size the model sees, which batch building resizes to. All use
 * {@link Normalization#IMAGENET}: measuring would decode every file, and photos share ImageNet's
 * statistics closely enough.
 *
 * <p>Three layouts:
 * <ul>
 *   <li>{@link #folder}: {@code DIR/train/<class>/*} and {@code DIR/val/<class>/*} (or {@code DIR/test/}).
 *       There is deliberately no random split of a single folder: the held-out images must be a
 *       fixed set the user chose and can see, so a folder without {@code train/} is an error
 *       saying to move it to {@code train/} and put held-out images in {@code val/}.
 *       {@link #classFolders} loads one {@code DIR/<class>/*} tree as a single split.</li>
 *   <li>{@link #tinyImageNet}: tiny-imagenet-200 as unpacked (wnids.txt, train/, val/val_annotations.txt).</li>
 *   <li>{@link #imageNet}: ILSVRC-2012 with {@code val/} sorted into class folders, as for torchvision.</li>
 * </ul>
 *
 * <p>Deterministic indices: classes are the sorted folder names (Tiny ImageNet: wnids.txt's order)
 * and each class's files are sorted by name. Image files end in .jpg, .jpeg or .png in any case;
 * other files and hidden files (names starting with '.') are ignored. Files that fail the header
 * check are handled by {@link BadImages}.
 */
public final class ImageFolder {

    /** What the model sees by default: Tiny ImageNet's native 64 x 64. */
    public static final int TINY_IMAGENET_SIZE = 64;
    /** What the model sees by default for ImageNet and generic folders: the usual 224 x 224. */
    public static final int IMAGENET_SIZE = 224;

    /** What to do with a file that is not a readable JPEG or PNG. */
    public enum BadImages {
        /** Leave the file out with a warning on standard error. */
        SKIP,
        /** Stop loading with a message naming the file. */
        FAIL
    }

    /** Files listed one per line in {@link BadImages#SKIP} warnings before the rest are only counted. */
    static final int WARNINGS_SHOWN = 10;

    private ImageFolder() {
    }

    /** Generic class folders, {@code DIR/train/<class>/} and {@code DIR/val/<class>/} or {@code DIR/test/<class>/}. */
    public static Splits folder(Path dir, int imageSize, BadImages bad) throws IOException {
        return folder(dir, imageSize, bad, System.err::println);
    }

    static Splits folder(Path dir, int imageSize, BadImages bad, Consumer<String> warn) throws IOException {
        requireSize(imageSize);
        String what = "folder:" + dir;
        requireDirectory(dir, what, "a folder with train/<class>/ and val/<class>/ (or test/<class>/) of JPEG or PNG files");
        Path train = dir.resolve("train");
        if (!Files.isDirectory(train)) {
            throw new NoSuchFileException(train.toString(), null, what + " has no train/ folder; expected "
                    + "DIR/train/<class>/*.jpg|png and DIR/val/<class>/ (or DIR/test/<class>/). There is no automatic"
                    + " split of a single folder of classes: move it to DIR/train/ and put held-out images in DIR/val/");
        }
        Path test = Files.isDirectory(dir.resolve("val")) ? dir.resolve("val") : dir.resolve("test");
        if (!Files.isDirectory(test)) {
            throw new NoSuchFileException(test.toString(), null, what + " has train/ but no val/ or test/ folder;"
                    + " expected the held-out images in DIR/val/<class>/ (or DIR/test/<class>/)");
        }
        String name = String.valueOf(dir.toAbsolutePath().normalize().getFileName());
        return classSplits(train, test, name, imageSize, bad, warn);
    }

    /**
     * One split from {@code DIR/<class>/*}: classes are the sorted subfolders, each of which must hold
     * at least one image.
     */
    public static ImageDataset classFolders(Path dir, String name, int imageSize, BadImages bad) throws IOException {
        requireSize(imageSize);
        requireDirectory(dir, name, "a folder of class folders of JPEG or PNG files");
        List<String> classes = subfolders(dir);
        if (classes.isEmpty()) {
            throw new NoSuchFileException(dir.toString(), null, name + ": no class folders; expected DIR/<class>/*.jpg|png");
        }
        Listing listing = new Listing(dir, name);
        for (int c = 0; c < classes.size(); c++) {
            listing.addFolder(dir.resolve(classes.get(c)), c);
        }
        return listing.check(bad, System.err::println).dataset(classes, imageSize, true);
    }

    /**
     * Tiny ImageNet ({@code DIR} or its {@code tiny-imagenet-200} subfolder): classes in the order of
     * {@code wnids.txt}, named by the first name {@code words.txt} gives for each wnid (the wnid itself
     * without words.txt); training images in {@code train/<wnid>/images/}; the test split is the
     * labelled validation set, {@code val/images/} labelled by {@code val/val_annotations.txt} (file
     * name, tab, wnid, then a bounding box, which is ignored). The unlabelled {@code test/} is not used.
     */
    public static Splits tinyImageNet(Path dir, int imageSize, BadImages bad) throws IOException {
        return tinyImageNet(dir, imageSize, bad, System.err::println);
    }

    static Splits tinyImageNet(Path dir, int imageSize, BadImages bad, Consumer<String> warn) throws IOException {
        requireSize(imageSize);
        String what = "tinyimagenet:" + dir;
        String expected = "the unpacked tiny-imagenet-200 folder (wnids.txt, words.txt, train/<wnid>/images/,"
                + " val/images/ and val/val_annotations.txt)";
        requireDirectory(dir, what, expected);
        Path d = Files.isRegularFile(dir.resolve("wnids.txt")) || !Files.isDirectory(dir.resolve("tiny-imagenet-200"))
                ? dir : dir.resolve("tiny-imagenet-200");
        Path wnidsFile = d.resolve("wnids.txt");
        if (!Files.isRegularFile(wnidsFile)) {
            throw new NoSuchFileException(wnidsFile.toString(), null, what + " has no wnids.txt; expected " + expected);
        }
        List<String> wnids = nonBlankLines(wnidsFile);
        if (wnids.isEmpty()) {
            throw new IOException(wnidsFile + ": no wnids; expected one class id (such as n01443537) per line");
        }
        Map<String, Integer> index = new HashMap<>();
        for (String w : wnids) {
            if (index.put(w, index.size()) != null) {
                throw new IOException(wnidsFile + ": wnid " + w + " is listed twice; expected each class once");
            }
        }
        List<String> classNames = humanNames(d.resolve("words.txt"), wnids);

        Listing train = new Listing(d.resolve("train"), "tinyimagenet-train");
        for (int c = 0; c < wnids.size(); c++) {
            Path images = d.resolve("train").resolve(wnids.get(c)).resolve("images");
            if (!Files.isDirectory(images)) {
                throw new NoSuchFileException(images.toString(), null, what + ": no training folder for class "
                        + wnids.get(c) + " (listed in wnids.txt); expected " + expected);
            }
            train.addFolder(images, c);
        }

        Path annotations = d.resolve("val").resolve("val_annotations.txt");
        Path valImages = d.resolve("val").resolve("images");
        if (!Files.isRegularFile(annotations) || !Files.isDirectory(valImages)) {
            throw new NoSuchFileException(annotations.toString(), null, what + ": no val/val_annotations.txt or"
                    + " val/images/; expected " + expected);
        }
        Map<String, Integer> valLabels = new TreeMap<>();
        List<String> lines = Files.readAllLines(annotations, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            String where = annotations + " line " + (n + 1);
            if (fields.length < 2) {
                throw new IOException(where + ": '" + line + "' has no tab; expected file name, tab, wnid, tab and a box");
            }
            Integer label = index.get(fields[1].strip());
            if (label == null) {
                throw new IOException(where + ": wnid '" + fields[1].strip() + "' is not in wnids.txt; expected one of"
                        + " its " + wnids.size() + " classes");
            }
            if (valLabels.put(fields[0].strip(), label) != null) {
                throw new IOException(where + ": " + fields[0].strip() + " is annotated twice; expected one line per image");
            }
        }
        if (valLabels.isEmpty()) {
            throw new IOException(annotations + ": no annotations; expected one line per validation image");
        }
        Listing val = new Listing(valImages, "tinyimagenet-val");
        int folder = val.folder(valImages);
        valLabels.forEach((file, label) -> val.add(folder, file, label));
        return new Splits(train.check(bad, warn).dataset(classNames, imageSize, true),
                val.check(bad, warn).dataset(classNames, imageSize, false));
    }

    /**
     * ImageNet (ILSVRC-2012) as torchvision's ImageFolder reads it: {@code DIR/train/<wnid>/*.JPEG}
     * and {@code DIR/val/<wnid>/*.JPEG}; classes are the sorted wnids of {@code train/}.
     */
    public static Splits imageNet(Path dir, int imageSize, BadImages bad) throws IOException {
        return imageNet(dir, imageSize, bad, System.err::println);
    }

    static Splits imageNet(Path dir, int imageSize, BadImages bad, Consumer<String> warn) throws IOException {
        requireSize(imageSize);
        String what = "imagenet:" + dir;
        String expected = "DIR/train/<wnid>/*.JPEG and DIR/val/<wnid>/*.JPEG (the validation images sorted into"
                + " class folders, for instance by the usual valprep.sh)";
        requireDirectory(dir, what, expected);
        for (String sub : new String[] {"train", "val"}) {
            if (!Files.isDirectory(dir.resolve(sub))) {
                throw new NoSuchFileException(dir.resolve(sub).toString(), null, what + " has no " + sub
                        + "/ folder; expected " + expected);
            }
        }
        return classSplits(dir.resolve("train"), dir.resolve("val"), "imagenet", imageSize, bad, warn);
    }

    /** Training classes from {@code train}'s subfolders; {@code test}'s subfolders must be among them. */
    private static Splits classSplits(Path train, Path test, String name, int imageSize, BadImages bad,
                                      Consumer<String> warn) throws IOException {
        List<String> classes = subfolders(train);
        if (classes.isEmpty()) {
            throw new NoSuchFileException(train.toString(), null, name + ": no class folders in " + train
                    + "; expected " + train + "/<class>/*.jpg|png");
        }
        Listing trainList = new Listing(train, name + "-train");
        for (int c = 0; c < classes.size(); c++) {
            trainList.addFolder(train.resolve(classes.get(c)), c);
        }
        String testName = name + "-" + test.getFileName();
        Listing testList = new Listing(test, testName);
        List<String> testClasses = subfolders(test);
        if (testClasses.isEmpty()) {
            throw new NoSuchFileException(test.toString(), null, testName + ": no class folders in " + test
                    + "; expected " + test + "/<class>/*.jpg|png with the classes of " + train);
        }
        for (String c : testClasses) {
            int label = classes.indexOf(c);
            if (label < 0) {
                throw new IOException(test.resolve(c) + ": class '" + c + "' has no folder in " + train
                        + "; expected the test classes to be among the " + classes.size() + " training classes");
            }
            testList.addFolder(test.resolve(c), label);
        }
        return new Splits(trainList.check(bad, warn).dataset(classes, imageSize, true),
                testList.check(bad, warn).dataset(classes, imageSize, false));
    }

    /** Whether {@code name} ends in .jpg, .jpeg or .png, in any case, and is not hidden. */
    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }

    private static void requireSize(int imageSize) {
        if (imageSize <= 0) {
            throw new IllegalArgumentException("image size " + imageSize + " must be positive (the side of the square"
                    + " images the model sees, such as 64 or 224)");
        }
    }

    private static void requireDirectory(Path dir, String what, String expected) throws NoSuchFileException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, what + ": not a directory; expected " + expected);
        }
    }

    /** The sorted names of the non-hidden subfolders of {@code dir}. */
    private static List<String> subfolders(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && Files.isDirectory(p)) {
                    names.add(n);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static List<String> nonBlankLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /** For each wnid the first name words.txt gives ("goldfish, Carassius auratus" -> goldfish), else the wnid. */
    private static List<String> humanNames(Path words, List<String> wnids) throws IOException {
        Map<String, String> names = new HashMap<>();
        if (Files.isRegularFile(words)) {
            for (String line : Files.readAllLines(words, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    String first = line.substring(tab + 1).split(",")[0].strip();
                    if (!first.isEmpty()) {
                        names.put(line.substring(0, tab).strip(), first);
                    }
                }
            }
        }
        return wnids.stream().map(w -> names.getOrDefault(w, w)).toList();
    }

    /** Files and labels gathered for one split, then header-checked into a dataset. */
    private static final class Listing {
        private final Path root;
        private final String name;
        private final Map<Path, Integer> folders = new LinkedHashMap<>();
        private final List<String> files = new ArrayList<>();
        private final IntList folderOf = new IntList();
        private final IntList labels = new IntList();

        Listing(Path root, String name) {
            this.root = root;
            this.name = name;
        }

        int folder(Path dir) {
            return folders.computeIfAbsent(dir, d -> folders.size());
        }

        void add(int folder, String file, int label) {
            files.add(file);
            folderOf.add(folder);
            labels.add(label);
        }

        /** All image files directly in {@code dir}, sorted by name, labelled {@code label}. */
        void addFolder(Path dir, int label) throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    String n = p.getFileName().toString();
                    if (isImageName(n) && !Files.isDirectory(p)) {
                        names.add(n);
                    }
                }
            }
            if (names.isEmpty()) {
                throw new IOException(dir + ": class folder with no images; expected *.jpg, *.jpeg or *.png files"
                        + " directly inside it");
            }
            names.sort(null);
            int f = folder(dir);
            for (String n : names) {
                add(f, n, label);
            }
        }

        /**
         * Reads every file's header (in parallel: this is disk-bound) and applies {@code bad} to those
         * that fail; the rest make the split.
         */
        Checked check(BadImages bad, Consumer<String> warn) {
            Path[] dirs = folders.keySet().toArray(Path[]::new);
            int n = files.size();
            String[] problems = new String[n];
            IntStream.range(0, n).parallel().forEach(i -> {
                Path file = dirs[folderOf.get(i)].resolve(files.get(i));
                problems[i] = Files.isRegularFile(file) ? FileImages.problem(file) : "no such file";
            });
            List<Integer> badOnes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (problems[i] != null) {
                    badOnes.add(i);
                }
            }
            if (!badOnes.isEmpty()) {
                int first = badOnes.getFirst();
                Path firstPath = dirs[folderOf.get(first)].resolve(files.get(first));
                if (bad == BadImages.FAIL) {
                    String more = badOnes.size() > 1 ? " (and " + (badOnes.size() - 1) + " more bad files in " + root + ")" : "";
                    throw new IllegalArgumentException(firstPath + ": " + problems[first] + "; expected a readable JPEG"
                            + " or PNG image" + more + ". Remove or replace it, or pass --on-bad-image skip to leave"
                            + " bad images out");
                }
                for (int k = 0; k < Math.min(WARNINGS_SHOWN, badOnes.size()); k++) {
                    int i = badOnes.get(k);
                    warn.accept("warning: skipping " + dirs[folderOf.get(i)].resolve(files.get(i)) + ": " + problems[i]);
                }
                if (badOnes.size() > WARNINGS_SHOWN) {
                    warn.accept("warning: ... and " + (badOnes.size() - WARNINGS_SHOWN) + " more bad images skipped");
                }
                warn.accept("warning: " + name + ": skipped " + badOnes.size() + " of " + n
                        + " files that are not readable JPEG or PNG images");
            }
            int kept = n - badOnes.size();
            String[] names = new String[kept];
            int[] folderIndex = new int[kept];
            int[] label = new int[kept];
            for (int i = 0, k = 0; i < n; i++) {
                if (problems[i] == null) {
                    names[k] = files.get(i);
                    folderIndex[k] = folderOf.get(i);
                    label[k] = labels.get(i);
                    k++;
                }
            }
            return new Checked(name, root, new FileImages(dirs, folderIndex, names), label);
        }
    }

    private record Checked(String name, Path root, FileImages store, int[] labels) {
        /** The split's dataset; with {@code everyClass} each class must keep at least one image. */
        ImageDataset dataset(List<String> classNames, int imageSize, boolean everyClass) throws IOException {
            int[] counts = new int[classNames.size()];
            for (int l : labels) {
                counts[l]++;
            }
            if (labels.length == 0) {
                throw new IOException(root + ": no readable images left; expected JPEG or PNG files in its class folders");
            }
            for (int c = 0; c < counts.length; c++) {
                if (counts[c] == 0 && everyClass) {
                    throw new IOException(name + ": class " + classNames.get(c) + " has no readable images left after"
                            + " skipping bad files; expected at least one per training class");
                }
            }
            return new ImageDataset(name, store, labels, 3, imageSize, imageSize, classNames, Normalization.IMAGENET);
        }
    }

    /** A growable int array: a million boxed Integers would cost 16 bytes each. */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }
    }
}

package dev.mp3.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR-10 / CIFAR-100 "binary version" (the paper's CIFAR-100 setting: 32 x 32 RGB, patch 4,
 * 64 positions). A file is a sequence of fixed-size records: the label byte(s), then 3,072 pixel
 * bytes, 1,024 red, 1,024 green and 1,024 blue, each plane row-major 32 x 32, which is already the
 * [C, H, W] layout. CIFAR-10 records have one label byte (1 + 3,072 bytes; files
 * {@code data_batch_1..5.bin}, {@code test_batch.bin}); CIFAR-100 records two, coarse then fine
 * (2 + 3,072; files {@code train.bin}, {@code test.bin}).
 */
public final class Cifar {

    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;

    public static final List<String> CIFAR10_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** Which CIFAR-100 label to use: the 100 fine classes or the 20 coarse superclasses. */
    public enum Label {
        FINE(1, 100, "fine_label_names.txt"),
        COARSE(0, 20, "coarse_label_names.txt");

        private final int byteIndex;
        private final int classes;
        private final String namesFile;

        Label(int byteIndex, int classes, String namesFile) {
            this.byteIndex = byteIndex;
            this.classes = classes;
            this.namesFile = namesFile;
        }
    }

    private Cifar() {
    }

    /**
     * CIFAR-10 from {@code dir} (or its {@code cifar-10-batches-bin} subfolder, as the archive unpacks):
     * {@code data_batch_1.bin .. data_batch_5.bin} for training, {@code test_batch.bin} for test.
     * Class names come from {@code batches.meta.txt} when present.
     */
    public static Splits cifar10(Path dir) throws IOException {
        Path d = unpacked(dir, "cifar-10-batches-bin", "test_batch.bin");
        List<Path> train = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            train.add(d.resolve("data_batch_" + b + ".bin"));
        }
        List<String> names = names(d.resolve("batches.meta.txt"), CIFAR10_CLASSES);
        return new Splits(
                read(train, 1, 0, "cifar10-train", names, Normalization.CIFAR10),
                read(List.of(d.resolve("test_batch.bin")), 1, 0, "cifar10-test", names, Normalization.CIFAR10));
    }

    /**
     * CIFAR-100 from {@code dir} (or its {@code cifar-100-binary} subfolder): {@code train.bin} and
     * {@code test.bin}, labelled by {@code label}. Class names come from
     * {@code fine_label_names.txt} / {@code coarse_label_names.txt} when present, else "class 0" ...
     */
    public static Splits cifar100(Path dir, Label label) throws IOException {
        Path d = unpacked(dir, "cifar-100-binary", "test.bin");
        List<String> numbered = new ArrayList<>();
        for (int c = 0; c < label.classes; c++) {
            numbered.add("class " + c);
        }
        List<String> names = names(d.resolve(label.namesFile), numbered);
        String suffix = label == Label.FINE ? "" : "-coarse";
        return new Splits(
                read(List.of(d.resolve("train.bin")), 2, label.byteIndex, "cifar100" + suffix + "-train", names,
                        Normalization.CIFAR100),
                read(List.of(d.resolve("test.bin")), 2, label.byteIndex, "cifar100" + suffix + "-test", names,
                        Normalization.CIFAR100));
    }

    /**
     * Reads and concatenates record files: each record is {@code labelBytes} label bytes, of which
     * byte {@code labelIndex} is the label (0 .. classNames.size() - 1), then 3,072 pixel bytes.
     */
    public static ImageDataset read(List<Path> files, int labelBytes, int labelIndex, String name,
                                    List<String> classNames, Normalization normalization) throws IOException {
        if (labelIndex < 0 || labelIndex >= labelBytes) {
            throw new IllegalArgumentException("Cifar.read: label byte " + labelIndex + " outside the " + labelBytes
                    + " label bytes of a record");
        }
        int record = labelBytes + IMAGE_BYTES;
        String format = labelBytes == 1 ? "CIFAR-10" : labelBytes == 2 ? "CIFAR-100" : labelBytes + "-label-byte CIFAR";
        List<byte[]> contents = new ArrayList<>();
        long total = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "missing " + format + " binary file");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0 || bytes.length % record != 0) {
                throw new IOException(file + ": " + bytes.length + " bytes is not a whole number of " + record + "-byte "
                        + format + " records (" + labelBytes + " label byte" + (labelBytes == 1 ? "" : "s") + " + "
                        + IMAGE_BYTES + " pixels): " + bytes.length / record + " records and " + bytes.length % record
                        + " bytes left over; the file is truncated or not in the " + format + " binary format");
            }
            contents.add(bytes);
            total += bytes.length / record;
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
            throw new IOException(name + ": " + total + " images are more than one byte array can hold");
        }
        byte[] pixels = new byte[(int) total * IMAGE_BYTES];
        int[] labels = new int[(int) total];
        int n = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int r = 0; r < bytes.length / record; r++) {
                int label = bytes[r * record + labelIndex] & 0xFF;
                if (label >= classNames.size()) {
                    throw new IOException(files.get(f) + ": record " + r + " has label " + label + " in label byte "
                            + labelIndex + "; expected 0.." + (classNames.size() - 1) + " (is this " + format + "?)");
                }
                labels[n] = label;
                System.arraycopy(bytes, r * record + labelBytes, pixels, n * IMAGE_BYTES, IMAGE_BYTES);
                n++;
            }
        }
        return new ImageDataset(name, pixels, labels, CHANNELS, SIDE, SIDE, classNames, normalization);
    }

    /** {@code dir} itself if it holds {@code marker}, else its {@code sub} folder if that does. */
    private static Path unpacked(Path dir, String sub, String marker) throws IOException {
        if (Files.isRegularFile(dir.resolve(marker))) {
            return dir;
        }
        if (Files.isRegularFile(dir.resolve(sub).resolve(marker))) {
            return dir.resolve(sub);
        }
        throw new NoSuchFileException(dir.toString(), null, "no " + marker + " here or in " + sub
                + "/; expected the unpacked binary version of the data set");
    }

    /** One class name per non-blank line of {@code file}, or {@code fallback} if there is no such file. */
    private static List<String> names(Path file, List<String> fallback) throws IOException {
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != fallback.size()) {
            throw new IOException(file + ": " + names.size() + " class names; expected " + fallback.size());
        }
        return names;
    }
}

package dev.mp3.data;

import dev.mp3.tensor.io.AtomicFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The IDX format of MNIST and Fashion-MNIST. A file is a big-endian header followed by unsigned
 * bytes: images are magic 2051 (0x00000803: unsigned bytes, 3 dimensions), count, rows, columns,
 * then count x rows x columns pixels row by row; labels are magic 2049 (0x00000801), count, then
 * one byte per label. Files may be gzip-compressed; that is detected from the content (the gzip
 * signature 1f 8b), not the name. The length must be exact: a short file is reported as truncated
 * and trailing bytes as an error, each message naming the file, the field, what was expected and
 * what was found.
 */
public final class Idx {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;

    /** The content of an image file: {@code count} images of {@code rows x cols} bytes. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    private Idx() {
    }

    // ---------------------------------------------------------------- reading

    public static Images readImages(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        }
    }

    /** Reads an image file from {@code in}; {@code source} names it in error messages. */
    public static Images readImages(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(decompressIfGzip(in, source));
        int magic = header(data, source, "magic number", 16);
        checkMagic(magic, IMAGES_MAGIC, source);
        int count = header(data, source, "image count", 16);
        int rows = header(data, source, "row count", 16);
        int cols = header(data, source, "column count", 16);
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IOException(source + ": bad IDX image header: " + count + " images of " + rows + "x" + cols
                    + "; expected a non-negative count and positive dimensions");
        }
        // Each factor is below 2^31, so count x rows fits a long; checking it before multiplying by
        // the columns keeps that product from overflowing too (into a small or negative length).
        long imageRows = (long) count * rows;
        if (imageRows > Integer.MAX_VALUE - 8 || imageRows * cols > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": header claims " + count + " images of " + rows + "x" + cols + " = "
                    + BigInteger.valueOf(imageRows).multiply(BigInteger.valueOf(cols))
                    + " bytes, more than this reader can hold (2 GB)");
        }
        long length = imageRows * cols;
        byte[] pixels = body(data, (int) length, source, "pixel bytes (" + count + " images x " + rows + " x " + cols + ")");
        return new Images(count, rows, cols, pixels);
    }

    public static int[] readLabels(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString());
        }
    }

    /** Reads a label file from {@code in}; labels are returned as 0..255. */
    public static int[] readLabels(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(decompressIfGzip(in, source));
        int magic = header(data, source, "magic number", 8);
        checkMagic(magic, LABELS_MAGIC, source);
        int count = header(data, source, "label count", 8);
        if (count < 0) {
            throw new IOException(source + ": bad IDX label header: count " + count + "; expected a non-negative count");
        }
        byte[] bytes = body(data, count, source, "label bytes (one per example)");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes[i] & 0xFF;
        }
        return labels;
    }

    /**
     * An image file and its label file as one grey-scale dataset; the two counts must agree and every
     * label must be below {@code classNames.size()}.
     */
    public static ImageDataset load(Path imagesFile, Path labelsFile, String name, List<String> classNames,
                                    Normalization normalization) throws IOException {
        Images images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        return dataset(images, labels, imagesFile.toString(), labelsFile.toString(), name, classNames, normalization);
    }

    /** The same from two streams (the embedded resources), {@code imagesSource}/{@code labelsSource} naming them. */
    public static ImageDataset load(InputStream imagesIn, String imagesSource, InputStream labelsIn, String labelsSource,
                                    String name, List<String> classNames, Normalization normalization) throws IOException {
        Images images = readImages(imagesIn, imagesSource);
        int[] labels = readLabels(labelsIn, labelsSource);
        return dataset(images, labels, imagesSource, labelsSource, name, classNames, normalization);
    }

    private static ImageDataset dataset(Images images, int[] labels, String imagesSource, String labelsSource,
                                        String name, List<String> classNames, Normalization normalization)
            throws IOException {
        if (images.count() != labels.length) {
            throw new IOException("image file " + imagesSource + " holds " + images.count() + " images but label file "
                    + labelsSource + " holds " + labels.length + " labels; expected the same count (mismatched pair?)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classNames.size()) {
                throw new IOException(labelsSource + ": label " + i + " is " + labels[i] + "; expected 0.."
                        + (classNames.size() - 1) + " for " + name);
            }
        }
        return new ImageDataset(name, images.pixels(), labels, 1, images.rows(), images.cols(), classNames,
                normalization);
    }

    // ---------------------------------------------------------------- writing

    /** Writes an image file atomically, gzip-compressed when {@code gzip}. */
    public static void writeImages(Path file, Images images, boolean gzip) throws IOException {
        if ((long) images.count() * images.rows() * images.cols() != images.pixels().length) {
            throw new IllegalArgumentException("Idx.writeImages " + file + ": " + images.pixels().length
                    + " pixel bytes for " + images.count() + " images of " + images.rows() + "x" + images.cols());
        }
        AtomicFile.write(file, out -> {
            GZIPOutputStream gz = gzip ? new GZIPOutputStream(out, 1 << 16) : null;
            DataOutputStream data = new DataOutputStream(gz != null ? gz : out);
            data.writeInt(IMAGES_MAGIC);
            data.writeInt(images.count());
            data.writeInt(images.rows());
            data.writeInt(images.cols());
            data.write(images.pixels());
            data.flush();
            if (gz != null) {
                gz.finish();
            }
        });
    }

    /** Writes a label file atomically; every label must fit in a byte (0..255). */
    public static void writeLabels(Path file, int[] labels, boolean gzip) throws IOException {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("Idx.writeLabels " + file + ": label " + i + " is " + labels[i]
                        + "; IDX labels are bytes 0..255");
            }
        }
        AtomicFile.write(file, out -> {
            GZIPOutputStream gz = gzip ? new GZIPOutputStream(out, 1 << 16) : null;
            DataOutputStream data = new DataOutputStream(gz != null ? gz : out);
            data.writeInt(LABELS_MAGIC);
            data.writeInt(labels.length);
            for (int label : labels) {
                data.writeByte(label);
            }
            data.flush();
            if (gz != null) {
                gz.finish();
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such IDX file");
        }
        return Files.newInputStream(file);
    }

    /** Gzip is recognised by its two signature bytes; an IDX file starts with 00 00. */
    static InputStream decompressIfGzip(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1F && b1 == 0x8B) {
            try {
                return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
            } catch (ZipException | EOFException e) {
                throw new IOException(source + ": corrupt gzip header (" + e.getMessage() + ")", e);
            }
        }
        return buffered;
    }

    private static int header(DataInputStream in, String source, String field, int headerBytes) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(source + ": truncated: the file ends inside the " + headerBytes
                    + "-byte IDX header, before the " + field, e);
        } catch (ZipException e) {
            throw new IOException(source + ": corrupt gzip data while reading the " + field + " (" + e.getMessage() + ")", e);
        }
    }

    private static void checkMagic(int found, int expected, String source) throws IOException {
        if (found != expected) {
            throw new IOException(source + ": wrong magic number: expected " + expected + " (0x"
                    + String.format("%08x", expected) + ", " + describe(expected) + "), found " + found + " (0x"
                    + String.format("%08x", found) + (describe(found).isEmpty() ? "" : ", " + describe(found)) + ")");
        }
    }

    private static String describe(int magic) {
        return switch (magic) {
            case IMAGES_MAGIC -> "IDX images";
            case LABELS_MAGIC -> "IDX labels";
            default -> "";
        };
    }

    /**
     * Reads exactly {@code length} bytes and checks that the stream then ends. The length comes from
     * the header, which may be corrupt (2^31 images in a 200-byte file), and a gzip stream's length
     * is unknown until it is read, so the bytes are read with {@code readNBytes(int)}, whose buffer
     * grows with the data actually there rather than being allocated at the claimed size up front.
     */
    private static byte[] body(DataInputStream in, int length, String source, String what) throws IOException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(length);
        } catch (EOFException | ZipException e) {
            // GZIPInputStream reports a cut-off compressed stream as EOFException.
            throw new IOException(source + ": truncated or corrupt gzip data while reading " + length + " " + what
                    + " (" + e.getMessage() + ")", e);
        }
        if (bytes.length < length) {
            throw new IOException(source + ": truncated: expected " + length + " " + what + " after the header, found "
                    + bytes.length);
        }
        long extra = 0;
        try {
            byte[] rest = new byte[8192];
            for (int n; (n = in.read(rest)) > 0; ) {
                extra += n;
            }
        } catch (EOFException | ZipException e) {
            throw new IOException(source + ": corrupt gzip data after the " + what + " (" + e.getMessage() + ")", e);
        }
        if (extra > 0) {
            throw new IOException(source + ": " + extra + " unexpected bytes after the " + length + " " + what
                    + "; expected the file to end there (does the header count match the data?)");
        }
        return bytes;
    }
}

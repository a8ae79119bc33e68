package dev.mp3.data;

import static dev.mp3.tensor.testing.CorruptFiles.allowance;
import static dev.mp3.tensor.testing.CorruptFiles.loadOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.tensor.testing.CorruptFiles;
import dev.mp3.tensor.testing.CorruptFiles.Field;
import dev.mp3.tensor.testing.CorruptFiles.Mutation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The image data readers on damaged files (see {@link CorruptFiles}): an IDX file, raw or gzip,
 * and a CIFAR binary file, each written valid by the project's writer (CIFAR by hand, there is no
 * writer), then cut, flipped, given huge header counts or trailing bytes. Each read must load the
 * file or refuse it with an IOException naming it, and allocate about the data's size at most.
 */
class CorruptDataFilesTest {

    /** 6 images of 5 x 7, every pixel different modulo 256, and their labels. */
    private static final Idx.Images IMAGES;
    private static final int[] LABELS = {3, 0, 9, 3, 7, 1};

    static {
        byte[] pixels = new byte[6 * 5 * 7];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37 + 11);
        }
        IMAGES = new Idx.Images(6, 5, 7, pixels);
    }

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final List<Field> IMAGE_HEADER = List.of(new Field("magic", 0, 4, BE),
            new Field("image count", 4, 4, BE), new Field("row count", 8, 4, BE), new Field("column count", 12, 4, BE));
    private static final List<Field> LABEL_HEADER = List.of(new Field("magic", 0, 4, BE),
            new Field("label count", 4, 4, BE));

    private static Path dir;
    private static byte[] rawImages;
    private static byte[] rawLabels;
    private static byte[] gzImages;

    @BeforeContainer
    static void writeValidFiles() throws IOException {
        dir = Files.createTempDirectory("corrupt-data");
        Idx.writeImages(dir.resolve("valid-images"), IMAGES, false);
        Idx.writeLabels(dir.resolve("valid-labels"), LABELS, false);
        Idx.writeImages(dir.resolve("valid-images.gz"), IMAGES, true);
        rawImages = Files.readAllBytes(dir.resolve("valid-images"));
        rawLabels = Files.readAllBytes(dir.resolve("valid-labels"));
        gzImages = Files.readAllBytes(dir.resolve("valid-images.gz"));
        // The first reads load classes (gzip, exceptions); that is not what the allowance is for.
        Idx.readImages(dir.resolve("valid-images.gz"));
        Idx.readLabels(dir.resolve("valid-labels"));
        try {
            Idx.readImages(CorruptFiles.write(dir.resolve("warm-up"), new byte[] {0, 0, 8}));
        } catch (IOException expected) {
            // the truncated-header path, now loaded
        }
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        CorruptFiles.deleteTree(dir);
    }

    // ---------------------------------------------------------------- IDX

    @Provide
    Arbitrary<Mutation> imageDamage() {
        return CorruptFiles.mutations(rawImages, IMAGE_HEADER);
    }

    @Provide
    Arbitrary<Mutation> labelDamage() {
        return CorruptFiles.mutations(rawLabels, LABEL_HEADER);
    }

    @Provide
    Arbitrary<Mutation> gzipDamage() {
        return CorruptFiles.mutations(gzImages, List.of());
    }

    @Property(tries = 300, seed = "20250701")
    void aDamagedIdxImageFileLoadsConsistentlyOrIsRefused(@ForAll("imageDamage") Mutation damage) {
        Path file = CorruptFiles.write(dir.resolve("images-" + kind(damage)), damage.apply(rawImages));
        Idx.Images read = loadOrRefuse(file, allowance(rawImages.length + 64L), () -> Idx.readImages(file));
        if (read != null) {
            assertConsistent(read, size(file));
        }
    }

    @Property(tries = 200, seed = "20250702")
    void aDamagedIdxLabelFileLoadsConsistentlyOrIsRefused(@ForAll("labelDamage") Mutation damage) {
        byte[] bytes = damage.apply(rawLabels);
        Path file = CorruptFiles.write(dir.resolve("labels-" + kind(damage)), bytes);
        int[] read = loadOrRefuse(file, allowance(rawLabels.length + 64L), () -> Idx.readLabels(file));
        if (read != null) {
            // What loads is exactly the bytes after the 8-byte header, unsigned.
            int[] expected = new int[bytes.length - 8];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = bytes[8 + i] & 0xFF;
            }
            assertThat(read).containsExactly(expected);
        }
    }

    /** Damage inside a well-formed gzip stream: the decompressed header lies, the gzip is fine. */
    @Property(tries = 200, seed = "20250703")
    void aGzipIdxFileWithADamagedImageInsideLoadsConsistentlyOrIsRefused(@ForAll("imageDamage") Mutation damage)
            throws IOException {
        byte[] content = damage.apply(rawImages);
        Path file = CorruptFiles.write(dir.resolve("inner-damage-" + kind(damage) + ".gz"), gzip(content));
        Idx.Images read = loadOrRefuse(file, allowance(content.length), () -> Idx.readImages(file));
        if (read != null) {
            assertConsistent(read, content.length);
        }
    }

    /** Damage to the gzip stream itself: its header, its deflate blocks, its CRC and length trailer. */
    @Property(tries = 200, seed = "20250704")
    void aDamagedGzipIdxFileLoadsConsistentlyOrIsRefused(@ForAll("gzipDamage") Mutation damage) {
        byte[] bytes = damage.apply(gzImages);
        Path file = CorruptFiles.write(dir.resolve("gzip-damage-" + kind(damage) + ".gz"), bytes);
        // Flipped deflate bits can decode to a different amount of data; the reader may hold that much.
        long allowed = allowance(Math.max(bytes.length, decompressedLength(bytes)));
        Idx.Images read = loadOrRefuse(file, allowed, () -> Idx.readImages(file));
        if (read != null) {
            assertThat((long) read.count() * read.rows() * read.cols()).isEqualTo(read.pixels().length);
        }
    }

    /** The case the allowance is about, spelt out: a header claiming 2^31 - 1 images of 255 x 255 pixels. */
    @Example
    void aHeaderClaimingBillionsOfImagesIsRefusedBeforeAllocatingThem() {
        for (long count : new long[] {Integer.MAX_VALUE, 1 << 24, 33_000}) {
            byte[] bytes = new CorruptFiles.Overwrite("image count", 4, 4, BE, count).apply(rawImages);
            bytes = new CorruptFiles.Overwrite("row count", 8, 4, BE, 255).apply(bytes);
            bytes = new CorruptFiles.Overwrite("column count", 12, 4, BE, 255).apply(bytes);
            for (boolean compress : new boolean[] {false, true}) {
                Path file = CorruptFiles.write(dir.resolve("claims-" + count + (compress ? ".gz" : "")),
                        compress ? gzip(bytes) : bytes);
                assertThat((Object) loadOrRefuse(file, allowance(bytes.length), () -> Idx.readImages(file))).isNull();
            }
        }
    }

    /** Three counts whose product overflows a long into a small positive or negative number. */
    @Example
    void countsWhoseProductOverflowsALongAreRefused() {
        long[][] headers = {{2_359_302, 721_420_293, 15_925_255}, {1 << 30, 1 << 30, 1 << 30},
                {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}};
        for (long[] h : headers) {
            byte[] bytes = new CorruptFiles.Overwrite("image count", 4, 4, BE, h[0]).apply(rawImages);
            bytes = new CorruptFiles.Overwrite("row count", 8, 4, BE, h[1]).apply(bytes);
            bytes = new CorruptFiles.Overwrite("column count", 12, 4, BE, h[2]).apply(bytes);
            Path file = CorruptFiles.write(dir.resolve("overflow-" + h[0]), bytes);
            assertThatThrownBy(() -> Idx.readImages(file)).isInstanceOf(IOException.class)
                    .hasMessage(file + ": header claims " + h[0] + " images of " + h[1] + "x" + h[2] + " = "
                            + BigInteger.valueOf(h[0]).multiply(BigInteger.valueOf(h[1]))
                                    .multiply(BigInteger.valueOf(h[2])) + " bytes, more than this reader can hold (2 GB)");
        }
    }

    private static void assertConsistent(Idx.Images read, long fileBytes) {
        assertThat((long) read.count() * read.rows() * read.cols()).isEqualTo(read.pixels().length);
        assertThat(16L + read.pixels().length).isEqualTo(fileBytes);
    }

    // ---------------------------------------------------------------- CIFAR

    /** Four CIFAR-100 records (coarse label, fine label, 3,072 pixels) as the CIFAR page lays them out. */
    private static byte[] cifar100(int records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < records; r++) {
            out.write(r % 20);
            out.write(97 - r);
            for (int p = 0; p < Cifar.IMAGE_BYTES; p++) {
                out.write(p * 7 + r);
            }
        }
        return out.toByteArray();
    }

    private static final byte[] CIFAR = cifar100(4);

    @Provide
    Arbitrary<Mutation> cifarDamage() {
        // No header; the label bytes are the fields a count-like corruption can reach.
        List<Field> labels = List.of(new Field("record 0 labels", 0, 2, BE),
                new Field("record 1 labels", Cifar.IMAGE_BYTES + 2, 2, BE));
        return CorruptFiles.mutations(CIFAR, labels);
    }

    @Property(tries = 150, seed = "20250705")
    void aDamagedCifarFileLoadsConsistentlyOrIsRefused(@ForAll("cifarDamage") Mutation damage,
                                                       @ForAll boolean coarse) {
        Path file = CorruptFiles.write(dir.resolve("train-" + kind(damage) + ".bin"), damage.apply(CIFAR));
        List<String> classes = numbered(coarse ? 20 : 100);
        ImageDataset read = loadOrRefuse(file, allowance(CIFAR.length + 64L), () -> Cifar.read(List.of(file), 2,
                coarse ? 0 : 1, "cifar", classes, Normalization.CIFAR100));
        if (read != null) {
            assertThat((long) read.size() * (2 + Cifar.IMAGE_BYTES)).isEqualTo(size(file));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> numbered(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "class " + i).toList();
    }

    /** A short file-name tag for the kind of damage, so a failure's path says what was done. */
    private static String kind(Mutation m) {
        return m.getClass().getSimpleName().toLowerCase();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** How many bytes a gzip stream decodes to before it ends or breaks: the most a reader could hold. */
    private static long decompressedLength(byte[] bytes) {
        long n = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            byte[] buf = new byte[8192];
            for (int k; (k = in.read(buf)) > 0; ) {
                n += k;
            }
        } catch (IOException broken) {
            // what decoded before the break is what counts
        }
        return n;
    }
}

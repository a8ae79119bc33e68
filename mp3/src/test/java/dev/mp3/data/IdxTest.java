package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    private static final List<String> TEN = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    Path dir;

    /** 5 images of 3 x 4 with pixel (i, y, x) = 40 i + 4 y + x + 7, so every byte says where it belongs. */
    private static Idx.Images sample() {
        byte[] pixels = new byte[5 * 3 * 4];
        for (int i = 0; i < 5; i++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    pixels[(i * 3 + y) * 4 + x] = (byte) (40 * i + 4 * y + x + 7);
                }
            }
        }
        return new Idx.Images(5, 3, 4, pixels);
    }

    private static final int[] LABELS = {3, 0, 9, 3, 7};

    @Test
    void rawFileHasTheDocumentedBigEndianLayout() throws IOException {
        Path file = dir.resolve("images");
        Idx.writeImages(file, sample(), false);
        byte[] bytes = Files.readAllBytes(file);
        byte[] header = {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 4};
        assertThat(Arrays.copyOf(bytes, 16)).containsExactly(header);
        assertThat(bytes).hasSize(16 + 60);
        // image 2, row 1, column 3 sits at 16 + (2*3 + 1)*4 + 3
        assertThat(bytes[16 + 31] & 0xFF).isEqualTo(40 * 2 + 4 + 3 + 7);

        Path labels = dir.resolve("labels");
        Idx.writeLabels(labels, LABELS, false);
        assertThat(Files.readAllBytes(labels)).containsExactly(0, 0, 8, 1, 0, 0, 0, 5, 3, 0, 9, 3, 7);
    }

    @Test
    void rawAndGzipRoundTrip() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path images = dir.resolve("img" + gzip);
            Path labels = dir.resolve("lab" + gzip);
            Idx.writeImages(images, sample(), gzip);
            Idx.writeLabels(labels, LABELS, gzip);
            byte[] head = Arrays.copyOf(Files.readAllBytes(images), 2);
            assertThat(head).containsExactly(gzip ? new byte[] {0x1f, (byte) 0x8b} : new byte[] {0, 0});

            Idx.Images read = Idx.readImages(images);
            assertThat(read.count()).isEqualTo(5);
            assertThat(read.rows()).isEqualTo(3);
            assertThat(read.cols()).isEqualTo(4);
            assertThat(read.pixels()).containsExactly(sample().pixels());
            assertThat(Idx.readLabels(labels)).containsExactly(LABELS);

            ImageDataset d = Idx.load(images, labels, "tiny", TEN, Normalization.unitRange(1));
            assertThat(d.size()).isEqualTo(5);
            assertThat(d.channels()).isEqualTo(1);
            assertThat(d.pixel(4, 0, 2, 1)).isEqualTo(40 * 4 + 8 + 1 + 7);
            assertThat(d.label(2)).isEqualTo(9);
        }
    }

    @Test
    void wrongMagicNamesFileAndBothNumbers() throws IOException {
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        Idx.writeLabels(labels, LABELS, true);
        assertThatThrownBy(() -> Idx.readImages(labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("wrong magic number")
                .hasMessageContaining("expected 2051")
                .hasMessageContaining("found 2049")
                .hasMessageContaining("IDX labels");
        Path images = dir.resolve("images");
        Idx.writeImages(images, sample(), false);
        assertThatThrownBy(() -> Idx.readLabels(images))
                .hasMessageContaining("expected 2049").hasMessageContaining("found 2051");
        Path text = dir.resolve("text");
        Files.writeString(text, "hello world, not IDX at all");
        assertThatThrownBy(() -> Idx.readImages(text))
                .hasMessageContaining("wrong magic number").hasMessageContaining("0x68656c6c");
    }

    @Test
    void truncatedRawFile() throws IOException {
        Path file = dir.resolve("images");
        Idx.writeImages(file, sample(), false);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> Idx.readImages(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("expected 60 pixel bytes")
                .hasMessageContaining("found 50");

        Files.write(file, Arrays.copyOf(bytes, 6));
        assertThatThrownBy(() -> Idx.readImages(file))
                .hasMessageContaining("truncated").hasMessageContaining("16-byte IDX header");
    }

    @Test
    void truncatedGzipFile() throws IOException {
        Path file = dir.resolve("images.gz");
        // Incompressible pixels so that cutting the gzip stream really cuts pixel data.
        byte[] noise = new byte[5 * 30 * 30];
        new java.util.Random(1).nextBytes(noise);
        Idx.writeImages(file, new Idx.Images(5, 30, 30, noise), true);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Idx.readImages(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path file = dir.resolve("labels");
        Idx.writeLabels(file, LABELS, false);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length + 3));
        assertThatThrownBy(() -> Idx.readLabels(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("3 unexpected bytes after the 5 label bytes");
    }

    @Test
    void countMismatchBetweenImagesAndLabels() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        Idx.writeImages(images, sample(), false);
        Idx.writeLabels(labels, new int[] {1, 2, 3, 4}, false);
        assertThatThrownBy(() -> Idx.load(images, labels, "pair", TEN, Normalization.unitRange(1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(images.toString())
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("5 images")
                .hasMessageContaining("4 labels");
    }

    @Test
    void headerDimensionsThatDisagreeWithTheDataAreCaught() throws IOException {
        // The header says 5 images of 3x4 but the body holds 5 images of 3x3: 15 bytes short.
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 4});
        raw.write(new byte[45]);
        Path file = dir.resolve("dims.gz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(raw.toByteArray());
        }
        assertThatThrownBy(() -> Idx.readImages(file))
                .hasMessageContaining("expected 60 pixel bytes (5 images x 3 x 4)")
                .hasMessageContaining("found 45");
    }

    @Test
    void labelOutOfRangeForTheClassList() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        Idx.writeImages(images, sample(), false);
        Idx.writeLabels(labels, new int[] {1, 2, 12, 4, 5}, false);
        assertThatThrownBy(() -> Idx.load(images, labels, "pair", TEN, Normalization.unitRange(1)))
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("label 2 is 12")
                .hasMessageContaining("expected 0..9");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope-idx3-ubyte.gz");
        assertThatThrownBy(() -> Idx.readImages(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void corruptGzipBodyIsReported() throws IOException {
        Path file = dir.resolve("images.gz");
        Idx.writeImages(file, sample(), true);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 12; i < bytes.length - 8; i++) {
            bytes[i] = (byte) 0xFF;
        }
        Files.write(file, bytes);
        assertThatThrownBy(() -> Idx.readImages(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }
}

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {

    @TempDir
    Path dir;

    /** The pixel value the generated files store at (record r, channel c, row y, column x). */
    private static int value(int r, int c, int y, int x) {
        return (r * 31 + c * 89 + y * 7 + x * 3) % 251;
    }

    /** Records laid out as the CIFAR page documents: labels, then the R plane, G plane, B plane, each row-major. */
    private static byte[] records(int first, int count, int[]... labelBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < count; k++) {
            for (int[] label : labelBytes) {
                out.write(label[k]);
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out.write(value(first + k, c, y, x));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    @Test
    void cifar10PixelsLandInTheirChannelAndPosition() throws IOException {
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(2 * (b - 1), 2, new int[] {b, 9 - b}));
        }
        Files.write(dir.resolve("test_batch.bin"), records(100, 3, new int[] {0, 5, 9}));
        Splits s = Cifar.cifar10(dir);
        ImageDataset train = s.train();
        assertThat(train.size()).isEqualTo(10);
        assertThat(train.channels()).isEqualTo(3);
        assertThat(train.height()).isEqualTo(32);
        assertThat(train.classNames()).isEqualTo(Cifar.CIFAR10_CLASSES);
        assertThat(train.labels()).containsExactly(1, 8, 2, 7, 3, 6, 4, 5, 5, 4);
        for (int r = 0; r < 10; r++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        assertThat(train.pixel(r, c, y, x)).isEqualTo(value(r, c, y, x));
                    }
                }
            }
        }
        // Spot check against the raw byte offset: record 3 lives in batch 2 as its second record;
        // green (c = 1), row 5, column 7 is byte 3073 + 1 + 1024 + 5*32 + 7 of that file.
        byte[] batch2 = Files.readAllBytes(dir.resolve("data_batch_2.bin"));
        assertThat(train.pixel(3, 1, 5, 7)).isEqualTo(batch2[3073 + 1 + 1024 + 5 * 32 + 7] & 0xFF);
        assertThat(s.test().labels()).containsExactly(0, 5, 9);
        assertThat(s.test().pixel(2, 2, 31, 0)).isEqualTo(value(102, 2, 31, 0));
        assertThat(s.train().normalization()).isEqualTo(Normalization.CIFAR10);
    }

    @Test
    void cifar100FineAndCoarseLabelsFromAnUnpackedSubfolder() throws IOException {
        Path sub = dir.resolve("cifar-100-binary");
        Files.createDirectories(sub);
        int[] coarse = {3, 19, 0};
        int[] fine = {47, 99, 12};
        Files.write(sub.resolve("train.bin"), records(0, 3, coarse, fine));
        Files.write(sub.resolve("test.bin"), records(50, 1, new int[] {7}, new int[] {64}));
        Splits f = Cifar.cifar100(dir, Cifar.Label.FINE);
        assertThat(f.train().labels()).containsExactly(47, 99, 12);
        assertThat(f.train().numClasses()).isEqualTo(100);
        assertThat(f.test().labels()).containsExactly(64);
        assertThat(f.train().pixel(1, 0, 0, 0)).isEqualTo(value(1, 0, 0, 0));
        assertThat(f.train().pixel(2, 2, 17, 9)).isEqualTo(value(2, 2, 17, 9));
        Splits c = Cifar.cifar100(dir, Cifar.Label.COARSE);
        assertThat(c.train().labels()).containsExactly(3, 19, 0);
        assertThat(c.train().numClasses()).isEqualTo(20);
        assertThat(c.train().classNames().get(19)).isEqualTo("class 19");
    }

    @Test
    void classNamesFileIsUsedWhenPresent() throws IOException {
        Files.write(dir.resolve("train.bin"), records(0, 1, new int[] {1}, new int[] {2}));
        Files.write(dir.resolve("test.bin"), records(0, 1, new int[] {1}, new int[] {2}));
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            names.append("super").append(i).append('\n');
        }
        Files.writeString(dir.resolve("coarse_label_names.txt"), names + "\n\n");
        assertThat(Cifar.cifar100(dir, Cifar.Label.COARSE).train().classNames().get(1)).isEqualTo("super1");
    }

    @Test
    void truncatedRecordIsReported() throws IOException {
        Path file = dir.resolve("test_batch.bin");
        byte[] two = records(0, 2, new int[] {1, 2});
        Files.write(file, Arrays.copyOf(two, two.length - 5));
        assertThatThrownBy(() -> Cifar.read(List.of(file), 1, 0, "c10", Cifar.CIFAR10_CLASSES, Normalization.CIFAR10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("6141 bytes is not a whole number of 3073-byte CIFAR-10 records")
                .hasMessageContaining("1 records and 3068 bytes left over")
                .hasMessageContaining("truncated");
    }

    @Test
    void cifar100FileReadAsCifar10IsCaught() throws IOException {
        Path file = dir.resolve("test_batch.bin");
        Files.write(file, records(0, 3, new int[] {1, 2, 3}, new int[] {50, 60, 70}));
        assertThatThrownBy(() -> Cifar.read(List.of(file), 1, 0, "c10", Cifar.CIFAR10_CLASSES, Normalization.CIFAR10))
                .hasMessageContaining("not a whole number of 3073-byte CIFAR-10 records");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path file = dir.resolve("test_batch.bin");
        Files.write(file, records(0, 2, new int[] {4, 10}));
        assertThatThrownBy(() -> Cifar.read(List.of(file), 1, 0, "c10", Cifar.CIFAR10_CLASSES, Normalization.CIFAR10))
                .hasMessageContaining("record 1 has label 10")
                .hasMessageContaining("expected 0..9");
    }

    @Test
    void missingBatchOrFolder() throws IOException {
        assertThatThrownBy(() -> Cifar.cifar10(dir))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("test_batch.bin")
                .hasMessageContaining("cifar-10-batches-bin");
        Files.write(dir.resolve("test_batch.bin"), records(0, 1, new int[] {1}));
        assertThatThrownBy(() -> Cifar.cifar10(dir))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("data_batch_1.bin");
    }
}

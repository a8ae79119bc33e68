package dev.mp3.report;

import static dev.mp3.tensor.testing.CorruptFiles.allowance;
import static dev.mp3.tensor.testing.CorruptFiles.loadOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.tensor.testing.CorruptFiles;
import dev.mp3.tensor.testing.CorruptFiles.Field;
import dev.mp3.tensor.testing.CorruptFiles.Mutation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link Png#read} on damaged files (see {@link CorruptFiles}): a valid PNG from {@link Png#write}
 * cut, flipped, given huge dimensions or chunk lengths, or trailing bytes. Reading must return an
 * image or throw an IOException naming the file, allocating no more than the file's size allows:
 * deflate expands at most 1,032-fold, so a header whose pixels could not come from the file's
 * compressed data is corrupt and must not be allocated.
 */
class CorruptPngTest {

    private static final java.nio.ByteOrder BE = java.nio.ByteOrder.BIG_ENDIAN;

    /** The signature (8), then IHDR: length (8), "IHDR" (12), width (16), height (20), depth, colour type... */
    private static final List<Field> HEADER = List.of(new Field("IHDR length", 8, 4, BE),
            new Field("width", 16, 4, BE), new Field("height", 20, 4, BE), new Field("bit depth", 24, 1, BE),
            new Field("colour type", 25, 1, BE), new Field("interlace", 28, 1, BE),
            new Field("next chunk length", 33, 4, BE));

    private static Path dir;
    private static byte[] valid;

    @BeforeContainer
    static void writeValidFile() throws IOException {
        dir = Files.createTempDirectory("corrupt-png");
        float[] chw = new float[3 * 5 * 6];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (i * 37 % 101) / 100f;
        }
        Path file = dir.resolve("valid.png");
        Png.write(file, Png.image(chw, 0, 3, 5, 6));
        valid = Files.readAllBytes(file);
        // ImageIO's plug-in registry loads on the first read; that is not what the allowance is for.
        Png.read(file);
        try {
            Png.read(CorruptFiles.write(dir.resolve("warm-up.png"), java.util.Arrays.copyOf(valid, 40)));
        } catch (IOException expected) {
            // a truncated file, now through ImageIO's error path too
        }
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        CorruptFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<Mutation> damage() {
        return CorruptFiles.mutations(valid, HEADER);
    }

    /**
     * With {@code fixCrc} the IHDR checksum is recomputed after the damage, as a tool that rewrites
     * the header would, so a reader cannot lean on the checksum to catch a lying header.
     */
    @Property(tries = 200, seed = "20250731")
    void aDamagedPngLoadsOrIsRefused(@ForAll("damage") Mutation damage, @ForAll boolean fixCrc) {
        byte[] bytes = damage.apply(valid);
        if (fixCrc) {
            fixHeaderCrc(bytes);
        }
        Path file = CorruptFiles.write(dir.resolve(damage.getClass().getSimpleName().toLowerCase() + ".png"), bytes);
        // Deflate expands up to about 1,032-fold, so a valid PNG may decode to that much more than its size.
        BufferedImage image = loadOrRefuse(file, allowance(bytes.length) + 4 * 1_032L * bytes.length,
                () -> Png.read(file));
        if (image != null) {
            assertThat(image.getWidth()).isPositive();
            assertThat(image.getHeight()).isPositive();
        }
    }

    /** ImageIO would allocate 65,535 x 65,535 RGB pixels (12 GiB) for this 163-byte file before finding no data. */
    @Example
    void aHeaderClaimingHugeDimensionsIsRefusedBeforeDecoding() {
        byte[] bytes = new CorruptFiles.Overwrite("width", 16, 4, BE, 65_535).apply(valid);
        bytes = new CorruptFiles.Overwrite("height", 20, 4, BE, 65_535).apply(bytes);
        fixHeaderCrc(bytes);
        Path file = CorruptFiles.write(dir.resolve("huge.png"), bytes);
        assertThatThrownBy(() -> Png.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": PNG header claims 65535 x 65535 pixels");
    }

    /** Recomputes the IHDR chunk's CRC (over its type and 13 data bytes, 12..28) into bytes 29..32. */
    private static void fixHeaderCrc(byte[] bytes) {
        if (bytes.length >= 33) {
            CRC32 crc = new CRC32();
            crc.update(bytes, 12, 17);
            ByteBuffer.wrap(bytes).putInt(29, (int) crc.getValue());
        }
    }
}

package dev.mp3.speech;

import static dev.mp3.tensor.testing.CorruptFiles.allowance;
import static dev.mp3.tensor.testing.CorruptFiles.loadOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mp3.tensor.testing.CorruptFiles;
import dev.mp3.tensor.testing.CorruptFiles.Field;
import dev.mp3.tensor.testing.CorruptFiles.Mutation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The WAV reader on damaged files (see {@link CorruptFiles}): a plain 44-byte-header file from
 * {@link Wav#write}, and a hand-built one with an odd-sized LIST chunk before a 40-byte
 * WAVE_FORMAT_EXTENSIBLE fmt chunk, each cut, flipped, given huge chunk sizes or trailing bytes.
 * Both the lenient reader and the strict Speech Commands one must load the file or throw the
 * documented IllegalArgumentException naming it, allocating about the file's size at most.
 */
class CorruptWavTest {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final float[] SAMPLES = new float[60];

    static {
        for (int i = 0; i < SAMPLES.length; i++) {
            SAMPLES[i] = (float) Math.sin(i * 0.3) * 0.8f;
        }
    }

    /** The header fields of {@link Wav#write}'s layout. */
    private static final List<Field> PLAIN_FIELDS = List.of(new Field("RIFF size", 4, 4, LE),
            new Field("fmt size", 16, 4, LE), new Field("format tag", 20, 2, LE), new Field("channels", 22, 2, LE),
            new Field("sample rate", 24, 4, LE), new Field("bits per sample", 34, 2, LE),
            new Field("data size", 40, 4, LE));

    /** The hand-built file's fields: see {@link #extensible}. */
    private static final List<Field> EXTENSIBLE_FIELDS = List.of(new Field("RIFF size", 4, 4, LE),
            new Field("LIST size", 16, 4, LE), new Field("fmt size", 30, 4, LE), new Field("format tag", 34, 2, LE),
            new Field("channels", 36, 2, LE), new Field("sample rate", 38, 4, LE),
            new Field("bits per sample", 48, 2, LE), new Field("sub-format", 58, 2, LE),
            new Field("data size", 78, 4, LE));

    private static Path dir;
    private static byte[] plain;
    private static byte[] extensible;

    @BeforeContainer
    static void writeValidFiles() throws IOException {
        dir = Files.createTempDirectory("corrupt-wav");
        Path file = dir.resolve("valid.wav");
        Wav.write(file, SAMPLES, Wav.SPEECH_RATE);
        plain = Files.readAllBytes(file);
        extensible = extensible(SAMPLES);
        // The hand-built file is valid: it reads back as what was written.
        Path ext = CorruptFiles.write(dir.resolve("extensible.wav"), extensible);
        assertThat(Wav.read(ext).samples()).containsExactly(Wav.read(file).samples());
        try {
            Wav.read(CorruptFiles.write(dir.resolve("warm-up.wav"), new byte[] {'R', 'I', 'F'}));
        } catch (IllegalArgumentException expected) {
            // the error path, now loaded
        }
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        CorruptFiles.deleteTree(dir);
    }

    /**
     * RIFF (0), size (4), WAVE (8); LIST (12), size 5 (16), "INFOx" and a pad byte (20);
     * fmt (26), size 40 (30), then at 34: tag 0xFFFE, channels 1, rate 16,000, byte rate, block
     * align 2, bits 16, extension size 22, valid bits 16, channel mask, sub-format GUID whose first
     * two bytes (58) are the real tag, 1 = PCM; data (74), size (78), samples (82).
     */
    private static byte[] extensible(float[] samples) {
        ByteBuffer b = ByteBuffer.allocate(82 + 2 * samples.length).order(LE);
        b.put(ascii("RIFF")).putInt(74 + 2 * samples.length).put(ascii("WAVE"));
        b.put(ascii("LIST")).putInt(5).put(ascii("INFOx")).put((byte) 0);
        b.put(ascii("fmt ")).putInt(40).putShort((short) 0xFFFE).putShort((short) 1).putInt(16_000).putInt(32_000)
                .putShort((short) 2).putShort((short) 16).putShort((short) 22).putShort((short) 16).putInt(4)
                .putShort((short) 1).put(new byte[14]);
        b.put(ascii("data")).putInt(2 * samples.length);
        for (float s : samples) {
            b.putShort(Wav.toPcm16(s));
        }
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Provide
    Arbitrary<Mutation> plainDamage() {
        return CorruptFiles.mutations(plain, PLAIN_FIELDS);
    }

    @Provide
    Arbitrary<Mutation> extensibleDamage() {
        return CorruptFiles.mutations(extensible, EXTENSIBLE_FIELDS);
    }

    @Property(tries = 200, seed = "20250721")
    void aDamagedWavFileLoadsConsistentlyOrIsRefused(@ForAll("plainDamage") Mutation damage, @ForAll boolean strict) {
        check(damage, plain, strict);
    }

    @Property(tries = 200, seed = "20250722")
    void aDamagedExtensibleWavFileLoadsConsistentlyOrIsRefused(@ForAll("extensibleDamage") Mutation damage,
                                                               @ForAll boolean strict) {
        check(damage, extensible, strict);
    }

    /** A chunk size near 2^32 once sent the chunk walk past Integer.MAX_VALUE and into an index exception. */
    @Example
    void aChunkSizeNearTwoToTheThirtyTwoIsTruncationNotAnIndexError() {
        for (long size : new long[] {0xFFFF_FFFFL, 0xFFFF_FFF0L, 0x7FFF_FFFFL}) {
            byte[] bytes = new CorruptFiles.Overwrite("LIST size", 16, 4, LE, size).apply(extensible);
            Path file = CorruptFiles.write(dir.resolve("list-" + size + ".wav"), bytes);
            assertThat(loadOrRefuse(file, allowance(bytes.length), () -> Wav.read(file))).isNull();
        }
    }

    private static void check(Mutation damage, byte[] valid, boolean strict) {
        byte[] bytes = damage.apply(valid);
        Path file = CorruptFiles.write(dir.resolve(damage.getClass().getSimpleName().toLowerCase() + ".wav"), bytes);
        float[] samples = loadOrRefuse(file, allowance(bytes.length),
                () -> strict ? Wav.readSpeechClip(file) : Wav.read(file).samples());
        if (samples != null) {
            // 16-bit samples scaled by 1/32768, no more of them than the file has room for.
            assertThat(2L * samples.length).isLessThanOrEqualTo(bytes.length - 44L);
            for (float s : samples) {
                assertThat(s).isBetween(-1f, 32767f / 32768f);
            }
        }
    }
}

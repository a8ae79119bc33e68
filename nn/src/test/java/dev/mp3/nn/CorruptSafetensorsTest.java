package dev.mp3.nn;

import static dev.mp3.tensor.testing.CorruptFiles.allowance;
import static dev.mp3.tensor.testing.CorruptFiles.loadOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.testing.CorruptFiles;
import dev.mp3.tensor.testing.CorruptFiles.Field;
import dev.mp3.tensor.testing.CorruptFiles.Mutation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The safetensors reader and its JSON header reader on damaged input (see {@link CorruptFiles}).
 * A valid file written by {@link Safetensors#write} is damaged two ways: as bytes (cut, flipped,
 * a huge header length, trailing bytes), and through its JSON header, edited as text and framed
 * again with a correct length so the damage reaches the header checks rather than stopping at the
 * length field (a number replaced by a huge or negative one, a character replaced, a span deleted,
 * the header nested thousands deep). Reading must load the file or throw the documented
 * IllegalArgumentException naming it, allocating about the file's size at most; parsing the edited
 * header alone must return a value or throw Json's IllegalArgumentException with the offset.
 */
class CorruptSafetensorsTest {

    private static Path dir;
    private static byte[] valid;
    /** The valid file's JSON header, with the writer's alignment padding, and its data section. */
    private static String header;
    private static byte[] data;

    @BeforeContainer
    static void writeValidFile() throws IOException {
        dir = Files.createTempDirectory("corrupt-safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        float[] w = new float[12];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.25f - 1;
        }
        tensors.put("blocks.0.weight", Tensor.of(w, 3, 4));
        tensors.put("positions", Tensor.ofInts(new int[] {4, 0, 2, 1, 3}, 5));
        tensors.put("scale", Tensor.of(new float[] {1.5f}, 1));
        Path file = dir.resolve("valid.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt", "step", "120"));
        valid = Files.readAllBytes(file);
        int headerLength = (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        header = new String(valid, 8, headerLength, StandardCharsets.UTF_8);
        data = Arrays.copyOfRange(valid, 8 + headerLength, valid.length);
        // Load the reader's classes (and its error path) before anything is measured.
        Safetensors.read(file);
        try {
            Safetensors.read(CorruptFiles.write(dir.resolve("warm-up"), Arrays.copyOf(valid, 20)));
        } catch (IllegalArgumentException expected) {
            // truncated
        }
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        CorruptFiles.deleteTree(dir);
    }

    // ---------------------------------------------------------------- damage

    @Provide
    Arbitrary<Mutation> byteDamage() {
        return CorruptFiles.mutations(valid, List.of(new Field("header length", 0, 8, ByteOrder.LITTLE_ENDIAN)));
    }

    /** The valid header edited as text: what a damaged or hand-written header can hold. */
    @Provide
    Arbitrary<String> headerDamage() {
        return CorruptFiles.jsonEdits(header);
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 300, seed = "20250711")
    void aDamagedFileLoadsConsistentlyOrIsRefused(@ForAll("byteDamage") Mutation damage) {
        byte[] bytes = damage.apply(valid);
        Path file = CorruptFiles.write(dir.resolve("bytes-" + damage.getClass().getSimpleName() + ".safetensors"),
                bytes);
        Safetensors.Contents read = loadOrRefuse(file, allowance(bytes.length), () -> Safetensors.read(file));
        if (read != null) {
            assertTilesTheData(read, bytes);
        }
    }

    @Property(tries = 300, seed = "20250712")
    void aFileWithADamagedHeaderLoadsConsistentlyOrIsRefused(@ForAll("headerDamage") String damagedHeader) {
        byte[] bytes = frame(damagedHeader, data);
        Path file = CorruptFiles.write(dir.resolve("header.safetensors"), bytes);
        Safetensors.Contents read = loadOrRefuse(file, allowance(bytes.length), () -> Safetensors.read(file));
        if (read != null) {
            assertTilesTheData(read, bytes);
        }
    }

    @Property(tries = 200, seed = "20250713")
    void aDamagedJsonTextParsesOrIsRefusedAtAnOffset(@ForAll("headerDamage") String text) {
        try {
            Json.parse(text);
        } catch (IllegalArgumentException e) {
            Matcher m = Pattern.compile("^JSON: [^\\n]+ at offset (\\d+)$").matcher(e.getMessage());
            assertThat(m.matches()).as("one-line message with the offset: %s", e.getMessage()).isTrue();
            assertThat(Long.parseLong(m.group(1))).isBetween(0L, (long) text.length());
        }
    }

    /** The nesting limit spelt out: deep enough for any header or config, far short of the stack's depth. */
    @Example
    void nestingIsLimitedSoADeepHeaderIsAnErrorNotAStackOverflow() {
        assertThat(Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH))).isInstanceOf(List.class);
        assertThatThrownBy(() -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JSON: nested deeper than " + Json.MAX_DEPTH + " arrays and objects at offset "
                        + Json.MAX_DEPTH);
        Path file = CorruptFiles.write(dir.resolve("deep.safetensors"), frame("{\"a\":".repeat(1_000_000), data));
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("safetensors file " + file + ": corrupt header: JSON: nested deeper than");
    }

    // ---------------------------------------------------------------- helpers

    /** The 8-byte little-endian header length, the header, the data: a file with its length field right. */
    private static byte[] frame(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return out.putLong(h.length).put(h).put(data).array();
    }

    /**
     * What loads must account for the file: the tensors' bytes (4 per F32 or I32 element, 8 per I64
     * element converted to I32) fill the data section after the header exactly.
     */
    private static void assertTilesTheData(Safetensors.Contents read, byte[] bytes) {
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        long dataBytes = bytes.length - 8 - headerLength;
        String text = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        long i64 = text.split("\"I64\"", -1).length - 1;
        long total = 0;
        for (Tensor t : read.tensors().values()) {
            total += 4L * t.numel();
        }
        // Each I64 tensor occupies twice the bytes of the I32 it becomes; with none (the usual case) this is exact.
        assertThat(i64 == 0 ? total == dataBytes : total <= dataBytes)
                .as("%d tensor bytes for %d data bytes", total, dataBytes).isTrue();
    }
}

package dev.mp3.nn;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest {

    @TempDir
    Path dir;

    /** The 8-byte little-endian length, the header, then the data. */
    private static byte[] file(String header, int... data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        long n = h.length;
        for (int i = 0; i < 8; i++) {
            out.write((int) (n >>> (8 * i)) & 0xFF);
        }
        out.writeBytes(h);
        for (int b : data) {
            out.write(b);
        }
        return out.toByteArray();
    }

    private Path put(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsAFileWrittenByteByByte() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[8,24]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]}}";
        Path p = put("tiny.safetensors", file(header,
                0x00, 0x00, 0x80, 0x3F,                           // 1.0f
                0x00, 0x00, 0x20, 0xC0,                           // -2.5f
                0x07, 0, 0, 0, 0, 0, 0, 0,                        // 7L
                0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)); // -3L
        Safetensors.Contents c = Safetensors.read(p);
        assertThat(c.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(c.tensors().keySet()).containsExactly("b", "a");
        assertThat(c.tensors().get("a").shape()).containsExactly(2, 1);
        assertThat(c.tensors().get("a").toFloatArray()).containsExactly(1f, -2.5f);
        assertThat(c.tensors().get("b").dtype()).isEqualTo(DType.I32);
        assertThat(c.tensors().get("b").toIntArray()).containsExactly(7, -3);
    }

    @Test
    void writesTheExactFormat() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("x", Tensor.of(new float[] {0.5f}, 1));
        t.put("i", Tensor.ofInts(new int[] {258}, 1, 1));
        Path p = dir.resolve("w.safetensors");
        Safetensors.write(p, t, Map.of("epoch", "3"));
        String json = "{\"__metadata__\":{\"epoch\":\"3\"},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[1,1],\"data_offsets\":[4,8]}}";
        // Padded with spaces to a multiple of 8 so the data is aligned.
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        byte[] expected = file(padded, 0x00, 0x00, 0x00, 0x3F, 0x02, 0x01, 0x00, 0x00);
        assertThat(Files.readAllBytes(p)).containsExactly(expected);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("w.safetensors");
        }
    }

    @Test
    void modelRoundTripAndOverwrite() throws IOException {
        ViTConfig cfg = new ViTConfig(8, 4, 3, 8, 2, 2, 2f, 3, true, PositionEmbedding.SINCOS_2D, false, 0f, 0f, 1e-6f);
        VisionTransformer a = new VisionTransformer(cfg, new Rng(1));
        VisionTransformer b = new VisionTransformer(cfg, new Rng(2));
        Path p = dir.resolve("vit.safetensors");
        Files.writeString(p, "an older file that is replaced");
        Map<String, String> meta = Map.of("note", "quote \" backslash \\ newline \n unicode é€");
        Safetensors.save(a, p, meta);
        assertThat(Safetensors.read(p).metadata()).isEqualTo(meta);
        assertThat(Safetensors.load(b, p, true).missing()).isEmpty();
        for (var e : a.stateDict().entrySet()) {
            assertThat(b.stateDict().get(e.getKey()).toFloatArray()).as(e.getKey())
                    .containsExactly(e.getValue().toFloatArray());
        }
    }

    @Test
    void loadingIntoAModelNamesShapeMismatches() throws IOException {
        ViTConfig cfg = new ViTConfig(8, 4, 3, 8, 1, 2, 2f, 3, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
        Path p = dir.resolve("v.safetensors");
        Safetensors.save(new VisionTransformer(cfg, new Rng(1)), p, Map.of());
        VisionTransformer other = new VisionTransformer(cfg.withImage(12, 4, 3), new Rng(2));
        assertThatThrownBy(() -> Safetensors.load(other, p, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v.safetensors")
                .hasMessageContaining("'pos_embed' has shape [1, 5, 8] in the state dict, but the model expects [1, 10, 8]");
    }

    @Test
    void truncatedFilesAreRejected() throws IOException {
        Map<String, Tensor> t = Map.of("w", new Rng(3).normal(0, 1, 4, 4));
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, t, Map.of());
        byte[] bytes = Files.readAllBytes(good);
        assertThatThrownBy(() -> Safetensors.read(put("a", Arrays.copyOf(bytes, 5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated: 5 bytes");
        assertThatThrownBy(() -> Safetensors.read(put("b", Arrays.copyOf(bytes, 20))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated: the header needs");
        assertThatThrownBy(() -> Safetensors.read(put("c", Arrays.copyOf(bytes, bytes.length - 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated: the tensors need 64 bytes of data but the file has 60");
    }

    @Test
    void corruptHeadersAreRejected() throws IOException {
        byte[] hugeLength = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0, '{', '}'};
        assertThatThrownBy(() -> Safetensors.read(put("len", hugeLength)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt header length 4294967295");
        assertThatThrownBy(() -> Safetensors.read(put("json", file("{\"a\":{\"dtype\":\"F32\",", 0, 0, 0, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt header: JSON");
        assertThatThrownBy(() -> Safetensors.read(put("list", file("[1,2]"))))
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> Safetensors.read(put("span",
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new int[8]))))
                .hasMessageContaining("tensor 'a' (F32 [3]) needs 12 bytes but data_offsets span 8");
        assertThatThrownBy(() -> Safetensors.read(put("dtype",
                file("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new int[4]))))
                .hasMessageContaining("tensor 'a' has dtype F16");
        assertThatThrownBy(() -> Safetensors.read(put("gap",
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new int[8]))))
                .hasMessageContaining("tensor 'a' starts at byte 4 of the data, expected 0");
        assertThatThrownBy(() -> Safetensors.read(put("extra",
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new int[6]))))
                .hasMessageContaining("2 bytes after the last tensor");
        assertThatThrownBy(() -> Safetensors.read(put("meta", file("{\"__metadata__\":{\"k\":1}}"))))
                .hasMessageContaining("metadata value of 'k' is not a string");
        assertThatThrownBy(() -> Safetensors.read(put("i64",
                file("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 0, 0, 0, 0, 1, 0, 0, 0))))
                .hasMessageContaining("holds 4294967296, outside the I32 range");
        // A lone 0xC3 (the first byte of a two-byte sequence) is not UTF-8.
        byte[] badUtf8 = {4, 0, 0, 0, 0, 0, 0, 0, '{', '"', (byte) 0xC3, '"'};
        assertThatThrownBy(() -> Safetensors.read(put("utf8", badUtf8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void jsonReaderAndWriterAgree() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("s", "tab\t \"q\" \\ \u0001 é");
        v.put("n", List.of(0L, -12L, 9_007_199_254_740_993L));
        v.put("d", 1.5);
        v.put("b", List.of(true, false));
        v.put("z", null);
        assertThat(Json.parse(Json.write(v))).isEqualTo(v);
        assertThat(Json.parse(Json.writeCompact(v))).isEqualTo(v);
        assertThat(Json.writeCompact(Map.of("a", List.of(1L, 2L)))).isEqualTo("{\"a\":[1,2]}");
        assertThat(Json.parse(" { \"a\" : [ 1 , 2.5e1 , \"\\u00e9\\n\" ] } "))
                .isEqualTo(Map.of("a", List.of(1L, 25.0, "é\n")));
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parse("{\"a\":1} x")).hasMessageContaining("unexpected text after the value at offset 8");
        assertThatThrownBy(() -> Json.parse("[1,")).hasMessageContaining("unexpected end of input");
    }
}

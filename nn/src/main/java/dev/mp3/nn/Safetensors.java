package dev.mp3.nn;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.io.AtomicFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (Hugging Face), so checkpoints load in PyTorch/timm:
 * <pre>
 * 8 bytes   N, the header length, little-endian unsigned
 * N bytes   UTF-8 JSON: {"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}
 * rest      the tensors' raw little-endian bytes, offsets relative to the end of the header
 * </pre>
 * Writing handles F32 and I32 tensors; reading also accepts I64, converted to I32 when every value
 * fits. Files are written to a temporary file and renamed into place. Any malformed or truncated
 * file is an IllegalArgumentException naming the file and what is wrong.
 */
public final class Safetensors {
    private static final String METADATA = "__metadata__";
    /** The reference implementation's limit; a larger "header" means a corrupt length field. */
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /** A file's tensors (in file order) and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    // ---------------------------------------------------------------- writing

    /** Writes tensors (F32 or I32, any device) and string metadata to {@code path}, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("safetensors: a tensor may not be named " + METADATA);
            }
            List<Object> shape = new ArrayList<>();
            for (int d : t.shape()) {
                shape.add((long) d);
            }
            long bytes = (long) t.numel() * t.dtype().bytes();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", t.dtype() == DType.F32 ? "F32" : "I32");
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), entry);
            offset += bytes;
        }
        byte[] json = Json.writeCompact(header).getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;

        AtomicFile.write(path, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            for (Tensor t : tensors.values()) {
                out.write(littleEndian(t));
            }
        });
    }

    private static byte[] littleEndian(Tensor t) {
        if (t.numel() > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("safetensors: tensor " + t + " is larger than 2 GiB");
        }
        ByteBuffer buf = ByteBuffer.allocate(t.numel() * 4).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F32) {
            buf.asFloatBuffer().put(t.toFloatArray());
        } else {
            buf.asIntBuffer().put(t.toIntArray());
        }
        return buf.array();
    }

    /** Writes a model's parameters and buffers (its state dict). */
    public static void save(Module model, Path path, Map<String, String> metadata) throws IOException {
        write(path, model.stateDict(), metadata);
    }

    // ---------------------------------------------------------------- reading

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {}

    /** Reads a whole file onto the CPU. */
    public static Contents read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(path, "truncated: " + size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > MAX_HEADER) {
                throw bad(path, "corrupt header length " + Long.toUnsignedString(headerLen)
                        + " (expected 2 to " + MAX_HEADER + " bytes)");
            }
            if (headerLen > size - 8) {
                throw bad(path, "truncated: the header needs " + headerLen + " bytes but the file has only "
                        + (size - 8) + " after the length field");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBuf.flip()).toString();
            } catch (CharacterCodingException e) {
                throw bad(path, "corrupt header: not valid UTF-8");
            }
            Object parsed;
            try {
                parsed = Json.parse(json);
            } catch (IllegalArgumentException e) {
                throw bad(path, "corrupt header: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> header)) {
                throw bad(path, "corrupt header: expected a JSON object");
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (var e : header.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals(METADATA)) {
                    metadata = metadata(path, e.getValue());
                } else {
                    entries.add(entry(path, name, e.getValue()));
                }
            }
            long dataStart = 8 + headerLen;
            checkLayout(path, entries, size - dataStart);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry en : entries) {
                tensors.put(en.name, load(ch, path, en, dataStart));
            }
            return new Contents(tensors, metadata);
        }
    }

    /**
     * Loads a file into a model by name (see {@link Module#loadStateDict}): a shape mismatch names the
     * tensor and both shapes; with {@code strict}, missing and unexpected names are errors too.
     */
    public static Module.LoadResult load(Module model, Path path, boolean strict) throws IOException {
        Contents c = read(path);
        try {
            return model.loadStateDict(c.tensors(), strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("safetensors file " + path + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> metadata(Path path, Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw bad(path, "corrupt header: " + METADATA + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw bad(path, "corrupt header: metadata value of '" + e.getKey() + "' is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(Path path, String name, Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw bad(path, "corrupt header: entry '" + name + "' is not an object");
        }
        if (!(m.get("dtype") instanceof String dtype)) {
            throw bad(path, "corrupt header: tensor '" + name + "' has no string dtype");
        }
        if (!dtype.equals("F32") && !dtype.equals("I32") && !dtype.equals("I64")) {
            throw bad(path, "tensor '" + name + "' has dtype " + dtype + "; this reader handles F32, I32 and I64");
        }
        if (!(m.get("shape") instanceof List<?> shapeList)) {
            throw bad(path, "corrupt header: tensor '" + name + "' has no shape list");
        }
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw bad(path, "corrupt header: tensor '" + name + "' has a bad shape " + shapeList);
            }
            shape[i] = (int) (long) d;
            numel *= d;
            if (numel > Integer.MAX_VALUE) {
                throw bad(path, "tensor '" + name + "' with shape " + shapeList + " has more than 2^31-1 elements");
            }
        }
        if (!(m.get("data_offsets") instanceof List<?> off) || off.size() != 2
                || !(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end) || begin < 0 || end < begin) {
            throw bad(path, "corrupt header: tensor '" + name + "' needs data_offsets [begin, end] with 0 <= begin <= end");
        }
        long expected = numel * (dtype.equals("I64") ? 8 : 4);
        if (end - begin != expected) {
            throw bad(path, "corrupt header: tensor '" + name + "' (" + dtype + " " + shapeList + ") needs "
                    + expected + " bytes but data_offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** The tensors must tile the data section exactly: no gaps, no overlaps, nothing missing. */
    private static void checkLayout(Path path, List<Entry> entries, long dataBytes) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin != at) {
                throw bad(path, "corrupt header: tensor '" + e.name + "' starts at byte " + e.begin
                        + " of the data, expected " + at + " (tensors must be packed without gaps or overlaps)");
            }
            at = e.end;
        }
        if (at > dataBytes) {
            throw bad(path, "truncated: the tensors need " + at + " bytes of data but the file has " + dataBytes);
        }
        if (at < dataBytes) {
            throw bad(path, "corrupt: " + (dataBytes - at) + " bytes after the last tensor");
        }
    }

    private static Tensor load(FileChannel ch, Path path, Entry e, long dataStart) throws IOException {
        int numel = (int) ((e.end - e.begin) / (e.dtype.equals("I64") ? 8 : 4));
        ByteBuffer buf = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + e.begin);
        buf.flip();
        switch (e.dtype) {
            case "F32" -> {
                float[] data = new float[numel];
                buf.asFloatBuffer().get(data);
                return Tensor.of(data, e.shape);
            }
            case "I32" -> {
                int[] data = new int[numel];
                buf.asIntBuffer().get(data);
                return Tensor.ofInts(data, e.shape);
            }
            default -> {
                int[] data = new int[numel];
                for (int i = 0; i < numel; i++) {
                    long v = buf.getLong();
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw bad(path, "tensor '" + e.name + "' is I64 and holds " + v + ", outside the I32 range");
                    }
                    data[i] = (int) v;
                }
                return Tensor.ofInts(data, e.shape);
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    private static IllegalArgumentException bad(Path path, String what) {
        return new IllegalArgumentException("safetensors file " + path + ": " + what);
    }
}

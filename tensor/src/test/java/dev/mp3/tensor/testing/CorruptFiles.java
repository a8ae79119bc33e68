package dev.mp3.tensor.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Random damage to valid files (jqwik arbitraries), and the contract every file reader must keep
 * under it: load the file, or refuse it with one IllegalArgumentException or IOException whose
 * single-line message names the file, having allocated no more than a few times the file's size.
 * A header that claims 2^31 images must be compared with the file's length before anything is
 * allocated for them; any other exception or error (NullPointerException, an index out of bounds,
 * NegativeArraySizeException, OutOfMemoryError, StackOverflowError) breaks the contract.
 */
public final class CorruptFiles {
    private CorruptFiles() {}

    // ---------------------------------------------------------------- mutations

    /** One way to damage a file; {@code apply} returns new bytes and leaves its argument alone. */
    public sealed interface Mutation permits Truncate, Flip, Overwrite, Append {
        byte[] apply(byte[] valid);
    }

    /** Keep the first {@code length} bytes: a download or a write cut off anywhere. */
    public record Truncate(int length) implements Mutation {
        @Override
        public byte[] apply(byte[] valid) {
            return Arrays.copyOf(valid, Math.min(length, valid.length));
        }
    }

    /** XOR the byte at each offset with a non-zero mask: bit rot, a bad sector, a wrong edit. */
    public record Flip(List<Integer> offsets, List<Integer> masks) implements Mutation {
        @Override
        public byte[] apply(byte[] valid) {
            byte[] out = valid.clone();
            for (int i = 0; i < offsets.size(); i++) {
                out[offsets.get(i)] ^= (byte) (int) masks.get(i);
            }
            return out;
        }
    }

    /**
     * Write {@code value} over a header field of {@code width} bytes at {@code offset}: a huge or
     * negative count, length or size where the reader expects a sane one.
     */
    public record Overwrite(String field, int offset, int width, ByteOrder order, long value) implements Mutation {
        @Override
        public byte[] apply(byte[] valid) {
            byte[] out = valid.clone();
            ByteBuffer buf = ByteBuffer.wrap(out).order(order);
            switch (width) {
                case 1 -> buf.put(offset, (byte) value);
                case 2 -> buf.putShort(offset, (short) value);
                case 4 -> buf.putInt(offset, (int) value);
                case 8 -> buf.putLong(offset, value);
                default -> throw new IllegalArgumentException("field width " + width + "; expected 1, 2, 4 or 8");
            }
            return out;
        }

        @Override
        public String toString() {
            return "Overwrite[" + field + " at " + offset + " = " + value + " (0x" + Long.toHexString(value) + ")]";
        }
    }

    /** Trailing garbage after a complete file. */
    public record Append(byte[] tail) implements Mutation {
        @Override
        public byte[] apply(byte[] valid) {
            byte[] out = Arrays.copyOf(valid, valid.length + tail.length);
            System.arraycopy(tail, 0, out, valid.length, tail.length);
            return out;
        }

        @Override
        public String toString() {
            return "Append[" + HexFormat.of().formatHex(tail) + "]";
        }
    }

    /** A fixed-width integer field of a binary header, for {@link #overwrites}. */
    public record Field(String name, int offset, int width, ByteOrder order) {}

    /** Cuts at every offset from 0 to {@code length - 1} (a whole file is not a truncation). */
    public static Arbitrary<Mutation> truncations(int length) {
        return Arbitraries.integers().between(0, length - 1).map(Truncate::new);
    }

    /** One to four flipped bytes anywhere in a file of {@code length} bytes. */
    public static Arbitrary<Mutation> flips(int length) {
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, length - 1);
        Arbitrary<Integer> mask = Arbitraries.integers().between(1, 255);
        return Combinators.combine(offset.list().ofMinSize(1).ofMaxSize(4), mask.list().ofSize(4))
                .as(Flip::new);
    }

    /**
     * Extreme values written into the given header fields: the int and long limits, 2^31 and 2^32
     * and their neighbours, the file's own length and its neighbours, and a few random values.
     */
    public static Arbitrary<Mutation> overwrites(List<Field> fields, long fileLength) {
        Arbitrary<Long> value = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, -1L, 2L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE,
                        Integer.MAX_VALUE - 8L, 1L << 31, (1L << 32) - 1, 1L << 32, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE,
                        Long.MAX_VALUE / 4, fileLength - 1, fileLength, fileLength + 1, 2 * fileLength,
                        65_536L, 65_535L, 32_768L),
                Arbitraries.longs());
        return Combinators.combine(Arbitraries.of(fields), value)
                .as((f, v) -> new Overwrite(f.name(), f.offset(), f.width(), f.order(), v));
    }

    /** One to 64 random bytes appended. */
    public static Arbitrary<Mutation> appends() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64).map(Append::new);
    }

    /**
     * The usual mix for a binary format: truncations and flips everywhere, extreme values in the
     * header fields (when there are any), and trailing garbage.
     */
    public static Arbitrary<Mutation> mutations(byte[] valid, List<Field> headerFields) {
        List<Arbitrary<Mutation>> kinds = new ArrayList<>(List.of(truncations(valid.length), flips(valid.length),
                appends()));
        if (!headerFields.isEmpty()) {
            // Weighted like the others together: the header fields are where a count turns into an allocation.
            kinds.add(overwrites(headerFields, valid.length));
            kinds.add(overwrites(headerFields, valid.length));
        }
        return Arbitraries.oneOf(kinds);
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    /** Numbers that overflow an int, a long or a double, or are negative, fractional or zero. */
    private static final List<String> EXTREME_NUMBERS = List.of("-1", "0", "1.5", "1e3", "2147483647", "2147483648",
            "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "99999999999999999999999", "1e309", "-0", "00");

    /**
     * A JSON text (a safetensors header) edited as text, as damage or a careless hand edit leaves
     * it: a number (also one inside a string, such as a metadata value) replaced by an extreme one,
     * one character replaced by a structural or random one, a span of up to 16 characters deleted,
     * or the whole text nested up to 300,000 levels deep inside arrays or objects.
     */
    public static Arbitrary<String> jsonEdits(String json) {
        List<int[]> numbers = NUMBER.matcher(json).results().map(m -> new int[] {m.start(), m.end()}).toList();
        Arbitrary<String> numberReplaced = Combinators.combine(Arbitraries.of(numbers), Arbitraries.of(EXTREME_NUMBERS))
                .as((span, n) -> json.substring(0, span[0]) + n + json.substring(span[1]));
        Arbitrary<Character> character = Arbitraries.oneOf(Arbitraries.of('{', '}', '[', ']', '"', ',', ':', '\\',
                '0', '9', '-', '.', 'e', 't', 'n', ' ', '\u0001', '\u00e9'), Arbitraries.chars());
        Arbitrary<String> charReplaced = Combinators.combine(Arbitraries.integers().between(0, json.length() - 1),
                character).as((at, c) -> json.substring(0, at) + c + json.substring(at + 1));
        Arbitrary<String> spanDeleted = Combinators.combine(Arbitraries.integers().between(0, json.length() - 1),
                Arbitraries.integers().between(1, 16))
                .as((at, n) -> json.substring(0, at) + json.substring(Math.min(json.length(), at + n)));
        // Deep nesting: a recursive parser must refuse it, not overflow its stack.
        Arbitrary<String> nested = Combinators.combine(Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of(10, 1_000, 10_000, 300_000)).as((open, depth) -> open.repeat(depth) + json);
        return Arbitraries.oneOf(numberReplaced, numberReplaced, charReplaced, spanDeleted, nested);
    }

    // ---------------------------------------------------------------- the contract

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * How much a reader of an {@code n}-byte file may allocate: its bytes read once, decoded into a
     * wider type (floats, ints) and copied into the result, plus a constant for buffers, class
     * loading and messages. A count taken from a corrupt header without comparing it with the file
     * length allocates megabytes to gigabytes beyond this.
     */
    public static long allowance(long n) {
        return 8 * n + (4L << 20);
    }

    /**
     * Runs {@code read} on {@code file} and returns what it loaded, or null when it refused the file
     * with an IllegalArgumentException or IOException whose message is one line naming the file.
     * Anything else, or more than {@code maxAllocatedBytes} allocated by this thread during the
     * read, fails the calling property with an AssertionError that says which.
     */
    public static <T> T loadOrRefuse(Path file, long maxAllocatedBytes, Callable<T> read) {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM cannot measure per-thread allocation");
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T loaded = null;
        Throwable thrown = null;
        try {
            loaded = read.call();
        } catch (Throwable t) {
            thrown = t;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (thrown != null && !(thrown instanceof IllegalArgumentException || thrown instanceof IOException)) {
            throw new AssertionError("reading " + file + " threw " + thrown + "; expected it to load or to throw an"
                    + " IllegalArgumentException or IOException naming the file", thrown);
        }
        if (allocated > maxAllocatedBytes) {
            throw new AssertionError("reading " + file + " (" + size(file) + " bytes) allocated " + allocated
                    + " bytes, more than the " + maxAllocatedBytes + " allowed"
                    + (thrown == null ? "" : ", before it threw " + thrown), thrown);
        }
        if (thrown != null) {
            String message = thrown.getMessage();
            if (message == null || !message.contains(file.toString())) {
                throw new AssertionError("reading " + file + " threw " + thrown + ", whose message does not name the"
                        + " file", thrown);
            }
            if (message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("reading " + file + " threw a message of several lines: " + message, thrown);
            }
        }
        return loaded;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Writes {@code bytes} to {@code file}, replacing it; the properties reuse one path per reader. */
    public static Path write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Deletes a scratch directory and everything in it. */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

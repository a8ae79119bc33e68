package dev.mp3.nn;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's JSON, written by hand so that nn has no dependency: the reader and the compact
 * writer of safetensors headers, and the indented writer of configs and metrics.
 *
 * <p>Reading maps values to Java as: object → LinkedHashMap (key order kept), array → List,
 * string → String, integer → Long, other number → Double, true/false → Boolean, null → null.
 *
 * <p>Writing takes maps (keys by {@code toString}, in iteration order), lists and other iterables,
 * arrays, records (components in declaration order, so a config record is written as it is
 * declared), strings, enums, paths, booleans, numbers and null. JSON has no NaN or infinity; a
 * non-finite number is written as {@code null} rather than as text that JSON readers reject.
 */
public final class Json {
    /**
     * How deep arrays and objects may nest. The reader is recursive, so without a limit a header of
     * a million '[' (a corrupt or hostile safetensors file) overflows the stack; real headers and
     * configs nest a few levels.
     */
    static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    // ---------------------------------------------------------------- reading

    /** Parses one JSON value filling the whole text; throws IllegalArgumentException with the offset. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipSpace();
        Object v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the value");
        }
        return v;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> out = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            if (out.containsKey(key)) {
                throw error("duplicate key \"" + key + "\"");
            }
            skipSpace();
            expect(':');
            skipSpace();
            out.put(key, value());
            skipSpace();
            char c = next();
            if (c == '}') {
                depth--;
                return out;
            }
            if (c != ',') {
                throw error("expected ',' or '}' in an object");
            }
        }
    }

    private List<Object> array() {
        enter();
        List<Object> out = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipSpace();
            out.add(value());
            skipSpace();
            char c = next();
            if (c == ']') {
                depth--;
                return out;
            }
            if (c != ',') {
                throw error("expected ',' or ']' in an array");
            }
        }
    }

    /** Counts one more level of nesting at the opening bracket; closing it counts it back. */
    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " arrays and objects");
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape '\\" + e + "'");
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        boolean integer = true;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integer = false;
                pos++;
            } else {
                break;
            }
        }
        String s = text.substring(start, pos);
        try {
            return integer ? (Object) Long.parseLong(s) : (Object) Double.parseDouble(s);
        } catch (NumberFormatException ex) {
            pos = start;
            throw error("bad or out-of-range number '" + s + "'");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected token");
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
    }

    // ---------------------------------------------------------------- writing

    /** Indented by two spaces, arrays of plain numbers on one line; no trailing newline. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        value(value, out, 0);
        return out.toString();
    }

    /** On one line without spaces (a safetensors header). */
    public static String writeCompact(Object value) {
        StringBuilder out = new StringBuilder();
        value(value, out, COMPACT);
        return out.toString();
    }

    /** The indent level that means: no line breaks or padding at all. */
    private static final int COMPACT = -1;

    private static void value(Object v, StringBuilder out, int indent) {
        switch (v) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case Number n -> number(n, out);
            case CharSequence s -> string(s.toString(), out);
            case Character c -> string(c.toString(), out);
            case Enum<?> e -> string(e.name(), out);
            case Path p -> string(p.toString(), out);
            case Map<?, ?> m -> object(m, out, indent);
            case Iterable<?> it -> array(it, out, indent);
            case Record r -> record(r, out, indent);
            default -> {
                if (v.getClass().isArray()) {
                    int n = Array.getLength(v);
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(Array.get(v, i));
                    }
                    array(items, out, indent);
                } else {
                    throw new IllegalArgumentException("Json: cannot write a " + v.getClass().getName()
                            + "; expected a map, list, array, record, string, number, boolean, enum, path or null");
                }
            }
        }
    }

    private static void number(Number n, StringBuilder out) {
        switch (n) {
            case Double d when !Double.isFinite(d) -> out.append("null");
            case Float f when !Float.isFinite(f) -> out.append("null");
            // Float.toString gives the shortest decimal that reads back as the float: 0.1f -> "0.1".
            case Float f -> out.append(f);
            case Double d -> out.append(d);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Short s -> out.append(s);
            case Byte b -> out.append(b);
            case BigInteger b -> out.append(b);
            case BigDecimal b -> out.append(b.toString());
            default -> {
                double d = n.doubleValue();
                out.append(Double.isFinite(d) ? Double.toString(d) : "null");
            }
        }
    }

    /** A JSON string literal: quote, backslash and control characters escaped (RFC 8259, section 7). */
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Control characters must be escaped; U+2028/2029 are escaped too so the output
                    // is also safe to embed in JavaScript.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void object(Map<?, ?> m, StringBuilder out, int indent) {
        if (m.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.append(first ? "" : ",");
            first = false;
            newline(out, deeper(indent));
            string(String.valueOf(e.getKey()), out);
            out.append(indent == COMPACT ? ":" : ": ");
            value(e.getValue(), out, deeper(indent));
        }
        newline(out, indent);
        out.append('}');
    }

    private static void array(Iterable<?> items, StringBuilder out, int indent) {
        // Arrays of plain numbers stay on one line: a 200-point loss curve should not take 200 lines.
        boolean flat = true;
        boolean empty = true;
        for (Object o : items) {
            empty = false;
            flat &= o == null || o instanceof Number || o instanceof Boolean;
        }
        if (empty) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object o : items) {
            if (flat) {
                out.append(first ? "" : indent == COMPACT ? "," : ", ");
            } else {
                out.append(first ? "" : ",");
                newline(out, deeper(indent));
            }
            first = false;
            value(o, out, deeper(indent));
        }
        if (!flat) {
            newline(out, indent);
        }
        out.append(']');
    }

    private static void record(Record r, StringBuilder out, int indent) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                fields.put(c.getName(), c.getAccessor().invoke(r));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException("Json: cannot read component " + c.getName()
                        + " of record " + r.getClass().getName() + ": " + e, e);
            }
        }
        object(fields, out, indent);
    }

    private static int deeper(int indent) {
        return indent == COMPACT ? COMPACT : indent + 1;
    }

    /** A line break and two spaces per level, or nothing when compact. */
    private static void newline(StringBuilder out, int indent) {
        if (indent != COMPACT) {
            out.append('\n').append("  ".repeat(indent));
        }
    }
}

package dev.mp3.report;

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
 * A minimal JSON writer for metrics and configs: maps (keys by {@code toString}, in iteration
 * order), lists and other iterables, arrays, records (components in declaration order, so a config
 * record is written as it is declared), strings, enums, paths, booleans, numbers and null.
 *
 * <p>JSON has no NaN or infinity; a non-finite number is written as {@code null} rather than as
 * text that JSON readers reject. Output is indented by two spaces and ends without a newline.
 */
public final class Json {

    private Json() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        value(value, out, 0);
        return out.toString();
    }

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
                    throw new IllegalArgumentException("Json.write: cannot write a " + v.getClass().getName()
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
    static void string(String s, StringBuilder out) {
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
            out.append(first ? "\n" : ",\n");
            first = false;
            pad(out, indent + 1);
            string(String.valueOf(e.getKey()), out);
            out.append(": ");
            value(e.getValue(), out, indent + 1);
        }
        out.append('\n');
        pad(out, indent);
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
                out.append(first ? "" : ", ");
            } else {
                out.append(first ? "\n" : ",\n");
                pad(out, indent + 1);
            }
            first = false;
            value(o, out, indent + 1);
        }
        if (!flat) {
            out.append('\n');
            pad(out, indent);
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
                throw new IllegalArgumentException("Json.write: cannot read component " + c.getName()
                        + " of record " + r.getClass().getName() + ": " + e, e);
            }
        }
        object(fields, out, indent);
    }

    private static void pad(StringBuilder out, int indent) {
        out.append("  ".repeat(indent));
    }
}

package dev.mp3.report;

import java.util.List;

/**
 * CSV text as RFC 4180 describes it (comma separated, a field quoted when it holds a comma, quote or
 * line break, quotes inside doubled), except that lines end in '\n', which every common reader accepts. Numbers are written as
 * {@link String#valueOf} gives them (floats in their shortest round-trip form, NaN as "NaN").
 */
public final class Csv {

    private Csv() {
    }

    public static String write(List<String> header, List<? extends List<?>> rows) {
        StringBuilder out = new StringBuilder();
        line(header, out);
        for (int r = 0; r < rows.size(); r++) {
            List<?> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("Csv.write: row " + r + " has " + row.size()
                        + " fields but the header " + header + " has " + header.size());
            }
            line(row, out);
        }
        return out.toString();
    }

    private static void line(List<?> fields, StringBuilder out) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append('\n');
    }

    static String field(Object value) {
        String s = value == null ? "" : String.valueOf(value);
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}

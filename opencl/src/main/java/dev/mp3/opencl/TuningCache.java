package dev.mp3.opencl;

import dev.mp3.tensor.io.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The tuner's results on disk: one JSON object keyed by "device name | driver version", each
 * value the chosen {@link GemmConfig} and its measured GFLOP/s, e.g.
 * <pre>{"NVIDIA H200 | 580.159.04": {"tm": 64, "tn": 64, "tk": 16, "wm": 8, "wn": 4, "vw": 4, "db": 1, "gflops": 7808.2}}</pre>
 * ("db", double-buffering, is 0 or 1; entries written before it existed lack it and mean 0).
 * Lives in $XDG_CACHE_HOME/mp3/opencl-tuning.json (else ~/.cache/mp3/...; the system property
 * {@code mp3.cache.dir} overrides the directory). Written with {@link AtomicFile}.
 */
public final class TuningCache {

    public record Entry(GemmConfig config, double gflops) {}

    private TuningCache() {}

    public static Path defaultFile() {
        String dir = System.getProperty("mp3.cache.dir");
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            dir = xdg != null && !xdg.isBlank() ? xdg : Path.of(System.getProperty("user.home"), ".cache").toString();
        }
        return Path.of(dir, "mp3", "opencl-tuning.json");
    }

    public static String key(DeviceInfo device) {
        return device.name() + " | " + device.driverVersion();
    }

    /** The entries in a file; an absent file is an empty cache, a malformed one an error naming it. */
    public static Map<String, Entry> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new IllegalArgumentException("tuning cache " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        try {
            return new Parser(text).cache();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tuning cache " + file + " is malformed: " + e.getMessage()
                    + "; delete it or run the tuner again (mp3 tune)", e);
        }
    }

    public static void write(Path file, Map<String, Entry> entries) {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            GemmConfig c = e.getValue().config();
            sb.append("  ").append(quote(e.getKey())).append(String.format(Locale.ROOT,
                    ": {\"tm\": %d, \"tn\": %d, \"tk\": %d, \"wm\": %d, \"wn\": %d, \"vw\": %d, \"db\": %d, \"gflops\": %.1f}",
                    c.tm(), c.tn(), c.tk(), c.wm(), c.wn(), c.vw(), c.db() ? 1 : 0, e.getValue().gflops()));
            sb.append(++i < entries.size() ? ",\n" : "\n");
        }
        sb.append("}\n");
        try {
            AtomicFile.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new IllegalStateException("tuning cache " + file + ": cannot write it (" + e.getMessage() + ")", e);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Just enough JSON for this file: an object of objects of numbers. */
    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        Map<String, Entry> cache() {
            Map<String, Entry> out = new LinkedHashMap<>();
            expect('{');
            if (!peek('}')) {
                do {
                    String key = string();
                    expect(':');
                    out.put(key, entry(key));
                } while (accept(','));
            }
            expect('}');
            skipSpace();
            if (at != s.length()) {
                throw error("unexpected text after the closing brace");
            }
            return out;
        }

        private Entry entry(String key) {
            Map<String, Double> fields = new LinkedHashMap<>();
            expect('{');
            if (!peek('}')) {
                do {
                    String name = string();
                    expect(':');
                    fields.put(name, number());
                } while (accept(','));
            }
            expect('}');
            for (String f : new String[] {"tm", "tn", "tk", "wm", "wn", "vw", "gflops"}) {
                if (!fields.containsKey(f)) {
                    throw error("entry \"" + key + "\" lacks \"" + f + "\"");
                }
            }
            int db = fields.containsKey("db") ? integer(fields, "db") : 0;
            if (db != 0 && db != 1) {
                throw error("entry \"" + key + "\": \"db\" is " + db + ", expected 0 or 1");
            }
            GemmConfig c = new GemmConfig(integer(fields, "tm"), integer(fields, "tn"), integer(fields, "tk"),
                    integer(fields, "wm"), integer(fields, "wn"), integer(fields, "vw"), db == 1);
            return new Entry(c, fields.get("gflops"));
        }

        private int integer(Map<String, Double> fields, String f) {
            double v = fields.get(f);
            if (v != Math.rint(v) || Math.abs(v) > 1 << 20) {
                throw error("\"" + f + "\" is " + v + ", expected a small whole number");
            }
            return (int) v;
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (at < s.length() && s.charAt(at) != '"') {
                char ch = s.charAt(at++);
                if (ch == '\\' && at < s.length()) {
                    ch = s.charAt(at++);
                }
                sb.append(ch);
            }
            expect('"');
            return sb.toString();
        }

        private double number() {
            skipSpace();
            int start = at;
            while (at < s.length() && "+-.eE0123456789".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
            try {
                return Double.parseDouble(s.substring(start, at));
            } catch (NumberFormatException e) {
                throw error("expected a number");
            }
        }

        private void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        private boolean peek(char c) {
            skipSpace();
            return at < s.length() && s.charAt(at) == c;
        }

        private boolean accept(char c) {
            if (peek(c)) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + at);
        }
    }
}

package dev.mp3.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    enum Mode { PRETRAIN }

    record Config(String name, int depth, double eta, boolean cls, Mode mode, Path data, List<Float> lrs) {
    }

    @Test
    void stringsAreEscaped() {
        assertThat(Json.write("plain")).isEqualTo("\"plain\"");
        assertThat(Json.write("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
        assertThat(Json.write("line\nnext\ttab\rcr\bbs\fff")).isEqualTo("\"line\\nnext\\ttab\\rcr\\bbs\\fff\"");
        assertThat(Json.write("\u0000\u001f\u2028")).isEqualTo("\"\\u0000\\u001f\\u2028\"");
        assertThat(Json.write("η = 0.5 ✓")).isEqualTo("\"η = 0.5 ✓\"");
    }

    @Test
    void numbersAndNonFiniteValues() {
        assertThat(Json.write(0.1f)).isEqualTo("0.1");
        assertThat(Json.write(0.1)).isEqualTo("0.1");
        assertThat(Json.write(1e-5)).isEqualTo("1.0E-5");
        assertThat(Json.write(42)).isEqualTo("42");
        assertThat(Json.write(1L << 40)).isEqualTo("1099511627776");
        assertThat(Json.write(Double.NaN)).isEqualTo("null");
        assertThat(Json.write(Float.POSITIVE_INFINITY)).isEqualTo("null");
        assertThat(Json.write(null)).isEqualTo("null");
        assertThat(Json.write(true)).isEqualTo("true");
    }

    @Test
    void nestedStructureIsIndented() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acc", 0.5);
        m.put("curve", List.of(1, 2.5, Double.NaN));
        m.put("runs", List.of(Map.of("k", "v")));
        m.put("empty", Map.of());
        m.put("none", List.of());
        m.put("ints", new int[] {3, 4});
        assertThat(Json.write(m)).isEqualTo("""
                {
                  "acc": 0.5,
                  "curve": [1, 2.5, null],
                  "runs": [
                    {
                      "k": "v"
                    }
                  ],
                  "empty": {},
                  "none": [],
                  "ints": [3, 4]
                }""");
    }

    @Test
    void recordsAreWrittenInDeclarationOrder() {
        Config c = new Config("vit \"tiny\"", 6, 0.75, false, Mode.PRETRAIN, Path.of("/data/fm"), List.of(1e-3f));
        assertThat(Json.write(c)).isEqualTo("""
                {
                  "name": "vit \\"tiny\\"",
                  "depth": 6,
                  "eta": 0.75,
                  "cls": false,
                  "mode": "PRETRAIN",
                  "data": "/data/fm",
                  "lrs": [0.001]
                }""");
    }

    @Test
    void unsupportedTypesAreNamed() {
        assertThatThrownBy(() -> Json.write(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }
}

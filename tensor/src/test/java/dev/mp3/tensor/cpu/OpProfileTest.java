package dev.mp3.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile's table: families by time, and the step split between matrix products and the rest. */
class OpProfileTest {

    @Test
    void splitsTheStepBetweenMatrixProductsAndEverythingElse() {
        // Two steps of 500 ms: 600 ms in plain products, 200 in products with an epilogue,
        // 100 in layer norm, so 100 ms outside backend calls.
        Map<String, long[]> times = new LinkedHashMap<>();
        times.put("layerNorm", new long[] {100_000_000L, 2});
        times.put("matmul NN [2, 3]x[3, 4]", new long[] {400_000_000L, 2});
        times.put("matmul NT [2, 3]x[4, 3]", new long[] {200_000_000L, 2});
        times.put("matmulActivated", new long[] {200_000_000L, 2});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OpProfile.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), times, 1_000_000_000L, 2);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");

        assertThat(lines[1]).startsWith("matmul ").contains(" 60.0%");           // the family, largest first
        assertThat(lines[2]).contains("matmul NN [2, 3]x[3, 4]").contains(" 40.0%");
        assertThat(lines[3]).contains("matmul NT [2, 3]x[4, 3]").contains(" 20.0%");
        assertThat(lines[4]).startsWith("matmulActivated").contains(" 20.0%");
        assertThat(lines[5]).startsWith("layerNorm").contains(" 50.00 ").contains(" 10.0%");   // 50 ms and 1 call per step
        assertThat(lines[6]).startsWith("(outside backend calls)").contains(" 10.0%");
        assertThat(lines[7]).isEqualTo("matrix products (matmul, matmulActivated): 80.0 % of the step;"
                + " everything else: 20.0 %");
    }

    @Test
    void namesEachSumToByItsShapes() throws NoSuchMethodException {
        java.lang.reflect.Method sumTo = dev.mp3.tensor.Backend.class.getMethod("sumTo", dev.mp3.tensor.Tensor.class,
                int[].class);
        dev.mp3.tensor.Tensor g = dev.mp3.tensor.Tensor.of(new float[6 * 4], 6, 4);
        assertThat(OpProfile.key(sumTo, new Object[] {g, new int[] {4}})).isEqualTo("sumTo [6, 4] to [4]");
    }
}

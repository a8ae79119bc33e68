package dev.mp3.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void fieldsAreQuotedOnlyWhenNeeded() {
        String csv = Csv.write(List.of("step", "loss", "note"), List.of(
                List.of(1, 2.5f, "plain"),
                Arrays.asList(2, Double.NaN, "a,b"),
                Arrays.asList(3, null, "say \"hi\"\nthere")));
        assertThat(csv).isEqualTo("step,loss,note\n1,2.5,plain\n2,NaN,\"a,b\"\n3,,\"say \"\"hi\"\"\nthere\"\n");
    }

    @Test
    void rowWidthMustMatchHeader() {
        assertThatThrownBy(() -> Csv.write(List.of("a", "b"), List.of(List.of(1))))
                .hasMessageContaining("row 0 has 1 fields but the header [a, b] has 2");
    }
}

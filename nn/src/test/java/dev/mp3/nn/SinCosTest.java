package dev.mp3.nn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SinCosTest {

    @Test
    void oneDimensionalIsVaswaniInterleaved() {
        // D = 4: angles pos / 10000^(0/4) = pos and pos / 10000^(2/4) = pos / 100.
        float[] pe = SinCos.oneD(3, 4);
        assertThat(pe).hasSize(12);
        assertThat(pe[0]).isEqualTo(0f);
        assertThat(pe[1]).isEqualTo(1f);
        assertThat(pe[4]).isCloseTo(0.84147098f, within(1e-7f));   // sin 1
        assertThat(pe[5]).isCloseTo(0.54030231f, within(1e-7f));   // cos 1
        assertThat(pe[2 * 4 + 2]).isCloseTo(0.01999867f, within(1e-7f));  // sin 0.02
        assertThat(pe[2 * 4 + 3]).isCloseTo(0.99980001f, within(1e-7f));  // cos 0.02
    }

    @Test
    void twoDimensionalIsMaeLayout() {
        // D = 8, quarter 2: omega_0 = 1, omega_1 = 1/100. Columns: sin(x w0), sin(x w1), cos(x w0), cos(x w1),
        // then the same for y. Patch 5 of a 2x3 grid is (y, x) = (1, 2).
        float[] pe = SinCos.twoD(2, 3, 8);
        int row = 5 * 8;
        assertThat(pe[row]).isCloseTo((float) Math.sin(2), within(1e-7f));
        assertThat(pe[row + 1]).isCloseTo((float) Math.sin(0.02), within(1e-7f));
        assertThat(pe[row + 2]).isCloseTo((float) Math.cos(2), within(1e-7f));
        assertThat(pe[row + 3]).isCloseTo((float) Math.cos(0.02), within(1e-7f));
        assertThat(pe[row + 4]).isCloseTo((float) Math.sin(1), within(1e-7f));
        assertThat(pe[row + 5]).isCloseTo((float) Math.sin(0.01), within(1e-7f));
        assertThat(pe[row + 6]).isCloseTo((float) Math.cos(1), within(1e-7f));
        assertThat(pe[row + 7]).isCloseTo((float) Math.cos(0.01), within(1e-7f));
        assertThatThrownBy(() -> SinCos.twoD(2, 2, 6)).hasMessageContaining("divisible by 4");
    }
}

package dev.mp3.tensor.cpu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuModelTest {
    private static final String ZEN4 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nmodel name\t: AMD EPYC\n";
    private static final String ZEN5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC\n";
    private static final String XEON = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n";

    @Test
    void zen5IsFullRateZen4AndOthersAreNot() {
        assertThat(CpuModel.fullRate512(null, ZEN5)).isTrue();
        assertThat(CpuModel.fullRate512(null, ZEN4)).isFalse();
        assertThat(CpuModel.fullRate512(null, XEON)).isFalse();
        assertThat(CpuModel.fullRate512(null, "")).isFalse();
        assertThat(CpuModel.fullRate512(null, "vendor_id : AuthenticAMD\ncpu family : twenty\n")).isFalse();
    }

    @Test
    void thePropertyOverridesTheReading() {
        assertThat(CpuModel.fullRate512("false", ZEN5)).isFalse();
        assertThat(CpuModel.fullRate512("true", ZEN4)).isTrue();
        assertThat(CpuModel.fullRate512(" ", ZEN5)).isTrue();
    }

    @Test
    void fieldsAreReadByNameFromTheFirstProcessor() {
        assertThat(CpuModel.field(ZEN4 + "\n" + ZEN5, "cpu family")).isEqualTo("25");
        assertThat(CpuModel.field(ZEN4, "model")).isEqualTo("17");
        assertThat(CpuModel.field(ZEN4, "flags")).isNull();
    }
}

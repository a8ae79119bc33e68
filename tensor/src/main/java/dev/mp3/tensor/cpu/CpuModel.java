package dev.mp3.tensor.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the GEMM's block sizes and tiles depend on beyond the vector width: whether a core runs
 * two 512-bit multiply-adds a cycle. AMD's Zen 4 runs a 512-bit operation as two 256-bit halves,
 * one multiply-add a cycle; Zen 5 has full-width 512-bit units, two a cycle, so the same tile
 * computes twice as fast while its loads and the C tile's loads and stores take as long as before,
 * and the best tile and K block differ between the two (BENCHMARKS.md, 2026-12-03 late).
 *
 * <p>Read from {@code /proc/cpuinfo}: an AMD processor of family 26 (0x1A, Zen 5) or later. Every
 * other machine, Intel's included, keeps the choices measured on Zen 4 (not measured elsewhere).
 * {@code -Dmp3.fullRate512=true|false} overrides the reading, for comparisons.
 */
final class CpuModel {
    /** Whether this machine's cores run two 512-bit vector multiply-adds a cycle (and the Vector API uses 512 bits). */
    static final boolean FULL_RATE_512 = ElementwiseKernels.S.vectorBitSize() >= 512 && fullRate512(
            System.getProperty("mp3.fullRate512"), cpuinfo());

    private CpuModel() {}

    /** The override if given, else what {@code cpuinfo} (the text of /proc/cpuinfo, "" if unreadable) says. */
    static boolean fullRate512(String override, String cpuinfo) {
        if (override != null && !override.isBlank()) {
            return Boolean.parseBoolean(override.trim());
        }
        String vendor = field(cpuinfo, "vendor_id");
        String family = field(cpuinfo, "cpu family");
        if (!"AuthenticAMD".equals(vendor) || family == null) {
            return false;
        }
        try {
            return Integer.parseInt(family) >= 26;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The value of the first line "name : value" in cpuinfo, or null. */
    static String field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";   // not Linux, or not readable: the Zen 4 choices
        }
    }
}

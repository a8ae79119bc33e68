package dev.mp3.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tile parameters of the tiled SGEMM kernel (gemm.cl): a work-group computes a tm x tn tile of C,
 * stepping through K by tk; each work-item holds wm x wn outputs in registers; global loads are
 * vectors of vw floats. Chosen per device by {@link GemmTuner}; the defaults serve untuned devices.
 */
public record GemmConfig(int tm, int tn, int tk, int wm, int wn, int vw) {

    /** A safe middle for GPUs: 256 work-items, 16 outputs each, 8 KiB of local memory. */
    public static final GemmConfig GPU_DEFAULT = new GemmConfig(64, 64, 16, 4, 4, 4);
    /** For CPU runtimes (PoCL): fewer work-items per group, which it runs as loops. */
    public static final GemmConfig CPU_DEFAULT = new GemmConfig(32, 32, 16, 4, 4, 4);

    /** What the tuner tries. */
    public static final List<GemmConfig> CANDIDATES = List.of(
            new GemmConfig(32, 32, 16, 4, 4, 4),
            new GemmConfig(64, 64, 16, 4, 4, 4),
            new GemmConfig(64, 64, 32, 4, 4, 4),
            new GemmConfig(128, 64, 16, 8, 4, 4),
            new GemmConfig(64, 128, 16, 4, 8, 4),
            new GemmConfig(128, 128, 16, 8, 8, 4),
            new GemmConfig(128, 128, 8, 8, 8, 4));

    public GemmConfig {
        List<String> bad = new ArrayList<>();
        if (tm <= 0 || tn <= 0 || tk <= 0 || wm <= 0 || wn <= 0 || vw <= 0) {
            bad.add("all parameters must be positive");
        } else {
            if (tm % wm != 0 || tn % wn != 0) {
                bad.add("tm must be a multiple of wm and tn of wn");
            }
            if (vw != 1 && vw != 2 && vw != 4 && vw != 8) {
                bad.add("vw must be 1, 2, 4 or 8");
            }
            if (tk % vw != 0 || tm % vw != 0 || tn % vw != 0) {
                bad.add("tm, tn and tk must be multiples of vw (tiles are loaded in vectors either way round)");
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("gemm config " + describe(tm, tn, tk, wm, wn, vw) + ": "
                    + String.join("; ", bad));
        }
    }

    public static GemmConfig defaultFor(DeviceInfo device) {
        return device.gpu() ? GPU_DEFAULT : CPU_DEFAULT;
    }

    public int threads() {
        return (tm / wm) * (tn / wn);
    }

    public long localBytes() {
        return 4L * tk * (tm + tn);
    }

    /** Why the device cannot run this configuration, or null when it can. */
    public String problem(DeviceInfo device) {
        if (threads() > device.maxWorkGroupSize()) {
            return threads() + " work-items per group exceed the device's maximum of " + device.maxWorkGroupSize();
        }
        if (localBytes() > device.localMemBytes()) {
            return localBytes() + " bytes of local memory exceed the device's " + device.localMemBytes();
        }
        return null;
    }

    String defines() {
        return String.format(Locale.ROOT, "-D TM=%d -D TN=%d -D TK=%d -D WM=%d -D WN=%d -D VW=%d", tm, tn, tk, wm, wn, vw);
    }

    @Override
    public String toString() {
        return describe(tm, tn, tk, wm, wn, vw);
    }

    private static String describe(int tm, int tn, int tk, int wm, int wn, int vw) {
        return String.format(Locale.ROOT, "tile %dx%dx%d, %dx%d per work-item, vector %d", tm, tn, tk, wm, wn, vw);
    }
}

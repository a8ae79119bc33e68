package dev.mp3.opencl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Tile parameters of the tiled SGEMM kernel (gemm.cl): a work-group computes a tm x tn tile of C,
 * stepping through K by tk; each work-item holds wm x wn outputs in registers; global loads are
 * vectors of vw floats; db double-buffers the local tiles. Chosen per device by {@link GemmTuner}
 * from {@link #space}; the defaults serve untuned devices.
 */
public record GemmConfig(int tm, int tn, int tk, int wm, int wn, int vw, boolean db) {

    /** The values each parameter may take in the search space. */
    static final int[] TILES = {16, 32, 64, 128};
    static final int[] DEPTHS = {8, 16, 32};
    static final int[] BLOCKS = {1, 2, 4, 8};
    static final int[] VECTORS = {1, 2, 4, 8};
    /** Private floats a work-item may hold (accumulators plus the next slice's share): beyond it
     *  GPUs spill registers to memory. */
    static final int MAX_PRIVATE_FLOATS = 128;
    /** Fewer work-items than a warp leaves a GPU's lanes idle. */
    static final int MIN_GPU_THREADS = 32;
    /** Banks of local memory (NVIDIA and AMD alike), 4 bytes wide; the padding is chosen for them. */
    static final int BANKS = 32;

    /**
     * What GPUs start from, and the tuner's first candidate: 128 work-items, 32 outputs each, 16.5 KiB of
     * double-buffered local memory. The best of 104 candidates on an NVIDIA H200 (a 240 s search,
     * BENCHMARKS.md 2026-12-04 afternoon: 12.6 TFLOP/s on the ViT-S products against 10.3 for the
     * 64x64, 4x4, single-buffered tile that was the default before; 128x128 tiles with 8x8 made 6-9).
     */
    public static final GemmConfig GPU_DEFAULT = new GemmConfig(64, 64, 16, 8, 4, 4, true);
    /** For GPUs whose local memory or work-group limit cannot take {@link #GPU_DEFAULT} (16 KiB of local
     *  memory, say): 256 work-items, 16 outputs each, 8 KiB single-buffered, the default before 2026-12-04. */
    public static final GemmConfig GPU_SMALL = new GemmConfig(64, 64, 16, 4, 4, 4, false);
    /** For CPU runtimes (PoCL): fewer work-items per group, which it runs as loops. */
    public static final GemmConfig CPU_DEFAULT = new GemmConfig(32, 32, 16, 4, 4, 4, false);

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
            throw new IllegalArgumentException("gemm config " + describe(tm, tn, tk, wm, wn, vw, db) + ": "
                    + String.join("; ", bad));
        }
    }

    /** A single-buffered configuration (as every configuration was before double-buffering). */
    public GemmConfig(int tm, int tn, int tk, int wm, int wn, int vw) {
        this(tm, tn, tk, wm, wn, vw, false);
    }

    public static GemmConfig defaultFor(DeviceInfo device) {
        if (!device.gpu()) {
            return CPU_DEFAULT;
        }
        return GPU_DEFAULT.problem(device) == null ? GPU_DEFAULT : GPU_SMALL;
    }

    public int threads() {
        return (tm / wm) * (tn / wn);
    }

    /** Local memory of the kernel with the most padding (both operands staged transposed). */
    public long localBytes() {
        return 4L * (db ? 2 : 1) * tk * (tm + pad(tm) + tn + pad(tn));
    }

    /** Floats in one work-item's share of a tk-deep slice of an r-row tile (whole vectors). */
    int fetchFloats(int r) {
        int runs = tk * r / vw;
        return (runs + threads() - 1) / threads() * vw;
    }

    /** Private floats per work-item: the wm x wn accumulators and the fetched shares of both tiles. */
    public int privateFloats() {
        return wm * wn + fetchFloats(tm) + fetchFloats(tn);
    }

    /**
     * Words added to the row stride of an r-row local tile that is transposed while staged. Work-item
     * v of a warp stores element j of its run at (kk + j) * stride + r with r = v / P, kk = (v mod P) vw,
     * P = tk / vw runs per row: when vw * stride = 32 / P (mod 32 banks) the 32 work-items hit 32
     * different banks. Needs P vw = tk <= 32; deeper slices get one word, which breaks the worst pattern.
     */
    int pad(int r) {
        if (tk > BANKS) {
            return 1;
        }
        int period = BANKS / vw;
        return Math.floorMod(BANKS / tk - r, period);
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

    /** Why the tuner should not try this configuration on the device (it could run, badly), or null. */
    String unpromising(DeviceInfo device) {
        if (privateFloats() > MAX_PRIVATE_FLOATS) {
            return privateFloats() + " private floats per work-item would spill registers (limit " + MAX_PRIVATE_FLOATS + ")";
        }
        if (device.gpu() && threads() < MIN_GPU_THREADS) {
            return threads() + " work-items per group fill less than a warp";
        }
        return null;
    }

    /**
     * Every combination of {@link #TILES} (tm, tn), {@link #DEPTHS}, {@link #BLOCKS} (wm, wn),
     * {@link #VECTORS} and double-buffering that the device can run and is worth timing, the device's
     * default first and the rest most promising first (see {@link #promise}), so a tuner with a time
     * budget tries the likely winners.
     */
    public static List<GemmConfig> space(DeviceInfo device) {
        List<GemmConfig> out = new ArrayList<>();
        for (int tm : TILES) {
            for (int tn : TILES) {
                for (int tk : DEPTHS) {
                    for (int wm : BLOCKS) {
                        for (int wn : BLOCKS) {
                            for (int vw : VECTORS) {
                                for (boolean db : new boolean[] {true, false}) {
                                    if (tm % wm != 0 || tn % wn != 0 || tk % vw != 0 || tm % vw != 0 || tn % vw != 0) {
                                        continue;
                                    }
                                    GemmConfig c = new GemmConfig(tm, tn, tk, wm, wn, vw, db);
                                    if (c.problem(device) == null && c.unpromising(device) == null) {
                                        out.add(c);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        GemmConfig first = defaultFor(device);
        out.remove(first);
        out.sort(Comparator.comparingDouble((GemmConfig c) -> -c.promise(device.gpu())));
        if (first.problem(device) == null) {
            out.addFirst(first);
        }
        return out;
    }

    /**
     * A rough prior on speed, higher first: large tiles (floats computed per float staged), 4x4 to
     * 8x8 square register blocks (FMAs per local read), 128 to 256 work-items on a GPU, 4-float
     * vectors, 16-deep slices, double-buffering. Only the order of the search depends on it.
     */
    double promise(boolean gpu) {
        double s = 2 * log2((double) tm * tn / (tm + tn));
        s += log2(wm * wn) - 0.5 * Math.abs(log2((double) wm / wn));
        s -= gpu ? Math.max(0, Math.abs(log2(threads() / 181.0)) - 0.5) : Math.abs(log2(threads() / 16.0));
        s -= 0.5 * Math.abs(log2(vw / 4.0)) + 0.5 * Math.abs(log2(tk / 16.0));
        return db ? s + 0.25 : s;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    String defines() {
        return String.format(Locale.ROOT, "-D TM=%d -D TN=%d -D TK=%d -D WM=%d -D WN=%d -D VW=%d -D DB=%d -D PAD_M=%d -D PAD_N=%d",
                tm, tn, tk, wm, wn, vw, db ? 1 : 0, pad(tm), pad(tn));
    }

    @Override
    public String toString() {
        return describe(tm, tn, tk, wm, wn, vw, db);
    }

    private static String describe(int tm, int tn, int tk, int wm, int wn, int vw, boolean db) {
        return String.format(Locale.ROOT, "tile %dx%dx%d, %dx%d per work-item, vector %d, %s", tm, tn, tk, wm, wn, vw,
                db ? "double-buffered" : "single-buffered");
    }
}

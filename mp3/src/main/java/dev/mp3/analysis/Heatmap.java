package dev.mp3.analysis;

/**
 * Values to RGB pixels [3, H, W] in [0, 1] for {@link dev.mp3.report.Png#grid}: a sequential map
 * (dark blue, teal, yellow) for attention, and a diverging one (blue, white, red) for correlations.
 */
public final class Heatmap {
    private Heatmap() {}

    /** {@code values} [rows * cols] scaled from [lo, hi] to the sequential map; NaN shows black. */
    public static float[] sequential(double[] values, int rows, int cols, double lo, double hi) {
        float[] out = new float[3 * rows * cols];
        int plane = rows * cols;
        for (int i = 0; i < plane; i++) {
            double t = hi > lo ? (values[i] - lo) / (hi - lo) : 0.5;
            if (Double.isNaN(values[i])) {
                continue;
            }
            t = Math.max(0, Math.min(1, t));
            // dark blue (0.15, 0.1, 0.35) -> teal (0.1, 0.6, 0.6) -> yellow (1, 0.95, 0.2)
            double r, g, b;
            if (t < 0.5) {
                double u = t / 0.5;
                r = 0.15 + u * (0.1 - 0.15);
                g = 0.1 + u * (0.6 - 0.1);
                b = 0.35 + u * (0.6 - 0.35);
            } else {
                double u = (t - 0.5) / 0.5;
                r = 0.1 + u * (1 - 0.1);
                g = 0.6 + u * (0.95 - 0.6);
                b = 0.6 + u * (0.2 - 0.6);
            }
            out[i] = (float) r;
            out[plane + i] = (float) g;
            out[2 * plane + i] = (float) b;
        }
        return out;
    }

    /** {@code values} [rows * cols] in [-limit, limit] to blue (negative), white (0), red (positive). */
    public static float[] diverging(double[] values, int offset, int rows, int cols, double limit) {
        float[] out = new float[3 * rows * cols];
        int plane = rows * cols;
        for (int i = 0; i < plane; i++) {
            double v = values[offset + i];
            if (Double.isNaN(v)) {
                continue;
            }
            double t = Math.max(-1, Math.min(1, v / limit));
            double r = t >= 0 ? 1 : 1 + t;
            double g = 1 - Math.abs(t);
            double b = t <= 0 ? 1 : 1 - t;
            out[i] = (float) r;
            out[plane + i] = (float) g;
            out[2 * plane + i] = (float) b;
        }
        return out;
    }
}

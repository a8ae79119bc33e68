package dev.mp3.nn;

import dev.mp3.tensor.Require;

/** Fixed sinusoidal position tables, computed in double precision and returned as float rows. */
public final class SinCos {
    private SinCos() {}

    /**
     * Vaswani et al. (2017): row pos has sin(pos / 10000^(2i/D)) at column 2i and the cosine of the
     * same angle at column 2i+1. Returns [positions * dim], row-major.
     */
    public static float[] oneD(int positions, int dim) {
        Require.that(dim % 2 == 0, () -> "SinCos.oneD: width " + dim + " must be even");
        float[] out = new float[positions * dim];
        for (int pos = 0; pos < positions; pos++) {
            for (int i = 0; i < dim / 2; i++) {
                double angle = pos / Math.pow(10000.0, 2.0 * i / dim);
                out[pos * dim + 2 * i] = (float) Math.sin(angle);
                out[pos * dim + 2 * i + 1] = (float) Math.cos(angle);
            }
        }
        return out;
    }

    /**
     * MAE's 2D table (get_2d_sincos_pos_embed) for a gridHeight x gridWidth grid in row-major patch
     * order: the first D/2 columns encode the column x, the last D/2 the row y (MAE's meshgrid puts
     * w first). Each half is [sin(c * w_k) for k < D/4, then cos(c * w_k)] with w_k = 10000^(-k/(D/4)).
     * Returns [gridHeight * gridWidth * dim], row-major.
     */
    public static float[] twoD(int gridHeight, int gridWidth, int dim) {
        Require.that(dim % 4 == 0, () -> "SinCos.twoD: width " + dim + " must be divisible by 4");
        int quarter = dim / 4;
        float[] out = new float[gridHeight * gridWidth * dim];
        for (int y = 0; y < gridHeight; y++) {
            for (int x = 0; x < gridWidth; x++) {
                int row = (y * gridWidth + x) * dim;
                for (int k = 0; k < quarter; k++) {
                    double omega = 1.0 / Math.pow(10000.0, (double) k / quarter);
                    out[row + k] = (float) Math.sin(x * omega);
                    out[row + quarter + k] = (float) Math.cos(x * omega);
                    out[row + 2 * quarter + k] = (float) Math.sin(y * omega);
                    out[row + 3 * quarter + k] = (float) Math.cos(y * omega);
                }
            }
        }
        return out;
    }
}

package dev.mp3.analysis;

import dev.mp3.autograd.Grad;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.Png;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.awt.image.BufferedImage;

/**
 * Position correlation maps (paper Appendix D, Figure 10). The last layer's representation of a
 * patch (the encoder output after the final norm, cls token left out) is a D-vector; the Pearson
 * correlation of two such vectors (over their D features) is computed for every pair of positions
 * (p, q), within one image and between image x at p and a random partner image x' at q, and the
 * N x N matrices are averaged over the test set. Drawn as the paper's grid of grids: for each
 * position p, a g x g map of its correlation with every position q, at p's place in a g x g grid.
 *
 * <p>Random pairs: the test set is put in a seeded random order and every image is paired with
 * the next one in that order within its batch (the last with the first); a batch of one image has
 * no partner and adds nothing to the across matrix. A token with constant features has no defined
 * correlation and makes its row NaN.
 */
public final class PositionCorrelation {

    /** @param within, across [N * N], row p, column q */
    public record Result(int grid, int images, int pairs, double[] within, double[] across) {}

    private PositionCorrelation() {}

    public static Result compute(VisionTransformer model, ImageDataset data, long seed, int batchSize, Device device) {
        model.eval();
        int n = model.config.numPatches();
        int[] order = new Rng(seed).permutationArray(1, data.size());
        double[] within = new double[n * n];
        double[] across = new double[n * n];
        int[] counts = new int[2];
        try (var off = Grad.disabled()) {
            Forward.each(data.subset(order), batchSize, "correlation", b -> {
                Tensor z = standardised(model.patchTokens(b.images().to(device), null).value());
                add(within, Tensor.matmul(z, false, z, true));
                counts[0] += b.size();
                if (b.size() > 1) {
                    add(across, Tensor.matmul(z, false, partners(z), true));
                    counts[1] += b.size();
                }
            });
        }
        for (int i = 0; i < n * n; i++) {
            within[i] /= counts[0];
            across[i] = counts[1] == 0 ? Double.NaN : across[i] / counts[1];
        }
        return new Result(model.config.grid(), counts[0], counts[1], within, across);
    }

    /**
     * Tokens [B, N, D] centred and scaled to unit length over D, so the dot product of two rows is
     * their Pearson correlation.
     */
    public static Tensor standardised(Tensor tokens) {
        Require.that(tokens.rank() == 3, "PositionCorrelation: tokens must be [batch, positions, features]");
        Tensor centred = tokens.sub(tokens.mean(2, true));
        return centred.div(centred.square().sum(2, true).sqrt());
    }

    /** The rows of example b + 1 (the last example's partner is the first). */
    static Tensor partners(Tensor z) {
        int b = z.dim(0);
        int[] next = new int[b];
        for (int i = 0; i < b; i++) {
            next[i] = (i + 1) % b;
        }
        Tensor rows = z.contiguous().reshape(b, z.dim(1) * z.dim(2));
        return rows.indexSelect(Tensor.ofInts(next, b).to(z.device())).reshape(z.shape());
    }

    /** Adds the batch's sum of [B, N, N] correlation matrices. */
    private static void add(double[] acc, Tensor corr) {
        float[] c = corr.sum(0, false).toFloatArray();
        for (int i = 0; i < acc.length; i++) {
            acc[i] += c[i];
        }
    }

    /** The grid of grids of one N x N matrix on a fixed [-1, 1] scale (blue negative, white 0, red positive). */
    public static BufferedImage render(double[] matrix, int grid) {
        int n = grid * grid;
        Require.that(matrix.length == n * n, () -> "PositionCorrelation: a " + n + " x " + n + " matrix expected");
        int cell = 3 * n;
        float[] cells = new float[n * cell];
        for (int p = 0; p < n; p++) {
            System.arraycopy(Heatmap.diverging(matrix, p * n, grid, grid, 1.0), 0, cells, p * cell, cell);
        }
        int scale = Math.max(2, 48 / grid);
        return Png.grid(cells, n, 3, grid, grid, grid, scale, null);
    }
}

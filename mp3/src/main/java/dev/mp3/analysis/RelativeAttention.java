package dev.mp3.analysis;

import dev.mp3.autograd.Grad;
import dev.mp3.data.ImageDataset;
import dev.mp3.method.ContextMasking;
import dev.mp3.nn.Context;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.Png;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Average relative 2D attention maps (paper Section 4.2.5 and Appendix E, Figures 8 and 11). For
 * every layer and head, and every relative offset (dy, dx) from a query patch to a key patch, the
 * mean attention probability over all (query, key) pairs at that offset, over all test images: a
 * (2g-1) x (2g-1) map for a g x g patch grid, its centre the patch attending to itself.
 *
 * <p>Choices, stated: the mean is per offset (the attention summed over the pairs at an offset,
 * divided by how many pairs have that offset), so uniform attention gives a flat map rather than
 * the tent shape that summing would give (fewer pairs lie at large offsets). The cls token, where
 * the model has one, is left out of the queries and the keys, and each query's attention over the
 * patch keys is renormalised to sum to 1. At a test eta the keys are the sampled context only
 * (MP3's masked attention, {@link ContextMasking}), so pairs are counted over context keys.
 *
 * <p>Heads are ordered within each layer by the paper's attention entropy
 * H = -E_x sum_i sum_j alpha_ij log alpha_ij / N (Figure 8's caption): the mean over queries of the
 * entropy of their attention, averaged over images; low H is local (peaked) attention, log M the
 * uniform limit.
 */
public final class RelativeAttention {

    /**
     * @param maps    [layer][head][(2g-1) * (2g-1)], row dy + g - 1, column dx + g - 1; NaN where no pair was seen
     * @param entropy [layer][head], H in nats
     */
    public record Result(int grid, float eta, int images, double[][][] maps, double[][] entropy) {
        public int layers() {
            return maps.length;
        }

        public int heads() {
            return maps[0].length;
        }

        public int side() {
            return 2 * grid - 1;
        }

        /** The heads of a layer from the lowest entropy (most local) to the highest. */
        public Integer[] headOrder(int layer) {
            Integer[] order = new Integer[heads()];
            for (int h = 0; h < order.length; h++) {
                order[h] = h;
            }
            Arrays.sort(order, Comparator.comparingDouble(h -> entropy[layer][h]));
            return order;
        }

        /**
         * This model's heads of {@code layer} in the order of {@code parent}'s entropy ranking, each
         * matched to the parent head whose map it resembles most (paper Figure 8: a finetuned model's
         * heads next to those of the pretrained model they came from). Greedy on the Pearson
         * correlation of the maps: the most similar remaining (parent, child) pair first, each head
         * used once. Entry k is the child head matched to the parent's k-th head.
         */
        public Integer[] matchedOrder(Result parent, int layer) {
            if (parent.layers() != layers() || parent.heads() != heads() || parent.side() != side()) {
                throw new IllegalArgumentException("attention maps of " + layers() + " layers x " + heads()
                        + " heads (" + side() + "x" + side() + ") cannot be matched to " + parent.layers() + " x "
                        + parent.heads() + " (" + parent.side() + "x" + parent.side() + ")");
            }
            int n = heads();
            double[][] similarity = new double[n][n];
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    similarity[a][b] = pearson(parent.maps()[layer][a], maps[layer][b]);
                }
            }
            int[] childOf = new int[n];
            Arrays.fill(childOf, -1);
            boolean[] childUsed = new boolean[n];
            for (int pair = 0; pair < n; pair++) {
                int bestA = -1;
                int bestB = -1;
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        if (childOf[a] < 0 && !childUsed[b]
                                && (bestA < 0 || similarity[a][b] > similarity[bestA][bestB])) {
                            bestA = a;
                            bestB = b;
                        }
                    }
                }
                childOf[bestA] = bestB;
                childUsed[bestB] = true;
            }
            Integer[] parentOrder = parent.headOrder(layer);
            Integer[] out = new Integer[n];
            for (int k = 0; k < n; k++) {
                out[k] = childOf[parentOrder[k]];
            }
            return out;
        }
    }

    /** Pearson correlation of two maps over the offsets both have seen (NaN cells left out); 0 for a flat map. */
    static double pearson(double[] x, double[] y) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                sx += x[i];
                sy += y[i];
                n++;
            }
        }
        if (n == 0) {
            return 0;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
                syy += (y[i] - my) * (y[i] - my);
            }
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    private RelativeAttention() {}

    /**
     * The maps over {@code data} at test masking ratio {@code eta} (0: full attention; above 0 needs a
     * model without a cls token, as MP3 pretrains), contexts drawn from {@code seed}.
     */
    public static Result compute(VisionTransformer model, ImageDataset data, float eta, long seed, int batchSize,
                                 Device device) {
        model.eval();
        int g = model.config.grid();
        int n = model.config.numPatches();
        int layers = model.config.depth();
        int heads = model.config.heads();
        boolean cls = model.clsToken != null;
        Require.that(eta == 0f || !cls, () -> "RelativeAttention: test eta " + eta + " needs a model without a cls token"
                + " (a pretraining checkpoint); a classifier attends over all tokens, so use eta 0");
        Accumulator acc = new Accumulator(layers, heads, g);
        Rng rng = new Rng(seed);
        Context[] context = new Context[1];
        for (int l = 0; l < layers; l++) {
            int layer = l;
            model.blocks.get(l).attn.recorder(p -> {
                int[] shape = p.shape();
                int[] keys = context[0] == null ? null : context[0].indices().toIntArray();
                acc.add(layer, p.toFloatArray(), shape[0], shape[2], shape[3], cls ? 1 : 0, keys);
            });
        }
        try (var off = Grad.disabled()) {
            Forward.each(data, batchSize, "attention", b -> {
                context[0] = ContextMasking.sample(rng, b.size(), n, eta, device);
                model.patchTokens(b.images().to(device), context[0]);
                acc.images += b.size();
            });
        } finally {
            for (int l = 0; l < layers; l++) {
                model.blocks.get(l).attn.recorder(null);
            }
        }
        return acc.result(eta);
    }

    /** Sums of attention per offset, pair counts and entropies; package-private for tests. */
    static final class Accumulator {
        final int g;
        final double[][][] sum;
        final long[][][] count;
        final double[][] entropySum;
        int images;

        Accumulator(int layers, int heads, int g) {
            this.g = g;
            int side = 2 * g - 1;
            sum = new double[layers][heads][side * side];
            count = new long[layers][heads][side * side];
            entropySum = new double[layers][heads];
        }

        /**
         * One layer's probabilities [B, heads, T, K] with {@code skip} leading non-patch tokens (the cls
         * token) among queries and keys when {@code keys} is null (full attention); with a context,
         * {@code keys} [B * K] names each key's patch.
         */
        void add(int layer, float[] p, int batch, int tokens, int kTokens, int skip, int[] keys) {
            int heads = sum[layer].length;
            int n = tokens - skip;
            int side = 2 * g - 1;
            for (int b = 0; b < batch; b++) {
                for (int h = 0; h < heads; h++) {
                    double entropy = 0;
                    for (int i = 0; i < n; i++) {
                        int row = ((b * heads + h) * tokens + i + skip) * kTokens;
                        double total = 0;
                        for (int j = keys == null ? skip : 0; j < kTokens; j++) {
                            total += p[row + j];
                        }
                        int qy = i / g;
                        int qx = i % g;
                        for (int j = keys == null ? skip : 0; j < kTokens; j++) {
                            int key = keys == null ? j - skip : keys[b * kTokens + j];
                            double a = total > 0 ? p[row + j] / total : 0;
                            int cell = (key / g - qy + g - 1) * side + (key % g - qx + g - 1);
                            sum[layer][h][cell] += a;
                            count[layer][h][cell]++;
                            if (a > 0) {
                                entropy -= a * Math.log(a);
                            }
                        }
                    }
                    entropySum[layer][h] += entropy / n;
                }
            }
        }

        Result result(float eta) {
            int layers = sum.length;
            int heads = sum[0].length;
            double[][][] maps = new double[layers][heads][];
            double[][] entropy = new double[layers][heads];
            for (int l = 0; l < layers; l++) {
                for (int h = 0; h < heads; h++) {
                    maps[l][h] = new double[sum[l][h].length];
                    for (int c = 0; c < maps[l][h].length; c++) {
                        maps[l][h][c] = count[l][h][c] == 0 ? Double.NaN : sum[l][h][c] / count[l][h][c];
                    }
                    entropy[l][h] = entropySum[l][h] / images;
                }
            }
            return new Result(g, eta, images, maps, entropy);
        }
    }

    /**
     * A layers x heads grid of the maps, each scaled from its own minimum to maximum (the pattern,
     * not the level, is compared across heads; the CSV has the values), heads in entropy order,
     * captioned "L{layer} H{head} {entropy}".
     */
    public static BufferedImage render(Result r) {
        Integer[][] orders = new Integer[r.layers()][];
        for (int l = 0; l < r.layers(); l++) {
            orders[l] = r.headOrder(l);
        }
        return render(r, orders);
    }

    /** The same grid with the heads of each layer in the given order ({@link Result#matchedOrder}, say). */
    public static BufferedImage render(Result r, Integer[][] orders) {
        int side = r.side();
        int scale = Math.max(4, (int) Math.ceil(72.0 / side));
        int cell = 3 * side * side;
        float[] cells = new float[r.layers() * r.heads() * cell];
        List<String> captions = new ArrayList<>();
        for (int l = 0; l < r.layers(); l++) {
            Integer[] order = orders[l];
            for (int k = 0; k < order.length; k++) {
                double[] m = r.maps()[l][order[k]];
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (double v : m) {
                    if (!Double.isNaN(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
                float[] rgb = Heatmap.sequential(m, side, side, lo, hi);
                System.arraycopy(rgb, 0, cells, (l * r.heads() + k) * cell, cell);
                captions.add(String.format(java.util.Locale.ROOT, "L%d H%d %.2f", l + 1, order[k] + 1,
                        r.entropy()[l][order[k]]));
            }
        }
        return Png.grid(cells, r.layers() * r.heads(), 3, side, side, r.heads(), scale, captions);
    }
}

package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AttentionTest {

    /** Random weights and biases everywhere (biases start at zero, which would hide bias bugs). */
    private static Attention attention(int dim, int heads, RelativePosition rel, Rng rng) {
        Attention a = new Attention(dim, heads, rel, 0f, rng);
        a.qkv.weight.load(rng.normal(0, 0.4f, 3 * dim, dim));
        a.qkv.bias.load(rng.normal(0, 0.4f, 3 * dim));
        a.proj.weight.load(rng.normal(0, 0.4f, dim, dim));
        a.proj.bias.load(rng.normal(0, 0.4f, dim));
        if (rel != null) {
            a.relativePositionBiasTable.load(rng.normal(0, 1f, rel.tableRows(), heads));
        }
        return a;
    }

    /**
     * The masked attention of Algorithm 1 written out in double precision: keys and values of example
     * b are projected from the explicitly gathered rows x[b, ctx[b][j]]. bias[h][i][j] may be null.
     */
    private static double[] reference(Attention a, float[] x, int b, int n, int dim, int heads, int[][] ctx,
                                      double[][][] bias) {
        float[] w = a.qkv.weight.value().toFloatArray();
        float[] wb = a.qkv.bias.value().toFloatArray();
        float[] pw = a.proj.weight.value().toFloatArray();
        float[] pb = a.proj.bias.value().toFloatArray();
        int hd = dim / heads;
        double[] out = new double[b * n * dim];
        for (int e = 0; e < b; e++) {
            int m = ctx[e].length;
            double[][] q = new double[n][];
            double[][] k = new double[m][];
            double[][] v = new double[m][];
            for (int i = 0; i < n; i++) {
                q[i] = project(w, wb, 0, x, (e * n + i) * dim, dim);
            }
            for (int j = 0; j < m; j++) {
                int row = (e * n + ctx[e][j]) * dim;
                k[j] = project(w, wb, dim, x, row, dim);
                v[j] = project(w, wb, 2 * dim, x, row, dim);
            }
            for (int i = 0; i < n; i++) {
                double[] o = new double[dim];
                for (int h = 0; h < heads; h++) {
                    double[] s = new double[m];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        for (int t = h * hd; t < (h + 1) * hd; t++) {
                            s[j] += q[i][t] * k[j][t];
                        }
                        s[j] = s[j] / Math.sqrt(hd) + (bias == null ? 0 : bias[h][i][ctx[e][j]]);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < m; j++) {
                        s[j] = Math.exp(s[j] - max);
                        z += s[j];
                    }
                    for (int j = 0; j < m; j++) {
                        for (int t = h * hd; t < (h + 1) * hd; t++) {
                            o[t] += s[j] / z * v[j][t];
                        }
                    }
                }
                for (int c = 0; c < dim; c++) {
                    double y = pb[c];
                    for (int t = 0; t < dim; t++) {
                        y += pw[c * dim + t] * o[t];
                    }
                    out[(e * n + i) * dim + c] = y;
                }
            }
        }
        return out;
    }

    /** Rows [rowStart, rowStart + dim) of the qkv weight applied to x[xOff .. xOff + dim). */
    private static double[] project(float[] w, float[] wb, int rowStart, float[] x, int xOff, int dim) {
        double[] r = new double[dim];
        for (int o = 0; o < dim; o++) {
            double s = wb[rowStart + o];
            for (int i = 0; i < dim; i++) {
                s += (double) w[(rowStart + o) * dim + i] * x[xOff + i];
            }
            r[o] = s;
        }
        return r;
    }

    private static void assertClose(float[] actual, double[] expected, float tol) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo((float) expected[i], within(tol));
        }
    }

    private static int[][] rows(int[] flat, int b, int m) {
        int[][] out = new int[b][m];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * m, out[i], 0, m);
        }
        return out;
    }

    @Test
    void maskedAttentionEqualsGatheredReference() {
        Rng rng = new Rng(11);
        int b = 3, n = 7, m = 3, dim = 12, heads = 3;
        Attention a = attention(dim, heads, null, rng);
        Tensor x = rng.normal(0, 1, b, n, dim);
        int[] perm = rng.permutationArray(b, n);
        int[] ctx = new int[b * m];
        for (int e = 0; e < b; e++) {
            System.arraycopy(perm, e * n, ctx, e * m, m);
        }
        Context context = Context.of(Tensor.ofInts(ctx, b, m), n);
        float[] y = a.forward(Var.constant(x), context).value().toFloatArray();
        assertClose(y, reference(a, x.toFloatArray(), b, n, dim, heads, rows(ctx, b, m), null), 1e-4f);
    }

    @Test
    void fullAttentionEqualsReference() {
        Rng rng = new Rng(12);
        int b = 2, n = 5, dim = 8, heads = 2;
        Attention a = attention(dim, heads, null, rng);
        Tensor x = rng.normal(0, 1, b, n, dim);
        int[][] all = {{0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}};
        float[] y = a.forward(Var.constant(x), null).value().toFloatArray();
        assertClose(y, reference(a, x.toFloatArray(), b, n, dim, heads, all, null), 1e-4f);
    }

    @Test
    void contextOfAllTokensEqualsFullAttention() {
        Rng rng = new Rng(13);
        int b = 3, n = 6, dim = 8, heads = 2;
        Attention a = attention(dim, heads, null, rng);
        Tensor x = rng.normal(0, 1, b, n, dim);
        // Every token, in a different order per example: attention sums over keys, so order is irrelevant.
        Context all = Context.of(rng.permutations(b, n), n);
        float[] full = a.forward(Var.constant(x), null).value().toFloatArray();
        float[] masked = a.forward(Var.constant(x), all).value().toFloatArray();
        for (int i = 0; i < full.length; i++) {
            assertThat(masked[i]).isCloseTo(full[i], within(1e-5f));
        }
    }

    @Test
    void gradCheckFullAndMasked() {
        Rng rng = new Rng(14);
        int b = 2, n = 5, dim = 6, heads = 2;
        Attention a = attention(dim, heads, null, rng);
        Tensor x = rng.normal(0, 1, b, n, dim);
        ModuleGradCheck.check(a, in -> a.forward(in, null), x);
        Context ctx = Context.of(Tensor.ofInts(new int[] {4, 1, 0, 2, 2, 3}, b, 3), n);
        ModuleGradCheck.check(a, in -> a.forward(in, ctx), x);
    }

    /** The inverse maps each flat row to its place in the context, -1 elsewhere; none when an example repeats a token. */
    @Test
    void aContextKnowsWhereEachRowWentUnlessItRepeats() {
        Context ctx = Context.of(Tensor.ofInts(new int[] {3, 0, 1, 4}, 2, 2), 5);
        assertThat(ctx.flatRows().toIntArray()).containsExactly(3, 0, 6, 9);
        assertThat(ctx.inverse().toIntArray()).containsExactly(1, -1, -1, 0, -1, -1, 2, -1, -1, 3);
        assertThat(Context.of(Tensor.ofInts(new int[] {4, 1, 0, 2, 2, 3}, 2, 3), 5).inverse()).isNull();
    }

    @Test
    void blockGradCheckWithContext() {
        Rng rng = new Rng(18);
        Block block = new Block(6, 2, 8, Mlp.Activation.GELU, 0f, 0f, 1e-6f, null, rng);
        block.norm1.weight.load(rng.normal(1, 0.3f, 6));
        block.norm2.bias.load(rng.normal(0, 0.3f, 6));
        block.mlp.fc1.bias.load(rng.normal(0, 0.3f, 8));
        Context ctx = Context.of(Tensor.ofInts(new int[] {3, 0, 1, 4}, 2, 2), 5);
        ModuleGradCheck.check(block, in -> block.forward(in, ctx), rng.normal(0, 1, 2, 5, 6));
    }

    @Test
    void relativePositionIndexMatchesHandComputedTimmTable() {
        // 2x2 grid, tokens (y, x): 0 (0,0), 1 (0,1), 2 (1,0), 3 (1,1); row = (dy + 1) * 3 + (dx + 1).
        // 3*3 + 3 = 12 table rows; 9 = cls->patch, 10 = patch->cls, 11 = cls->cls.
        assertThat(new RelativePosition(2, 2, true).index()).containsExactly(
                11, 9, 9, 9, 9,
                10, 4, 3, 1, 0,
                10, 5, 4, 2, 1,
                10, 7, 6, 4, 3,
                10, 8, 7, 5, 4);
        assertThat(new RelativePosition(2, 2, false).index()).containsExactly(
                4, 3, 1, 0,
                5, 4, 2, 1,
                7, 6, 4, 3,
                8, 7, 5, 4);
        assertThat(new RelativePosition(3, 5, false).tableRows()).isEqualTo(5 * 9 + 3);
    }

    @Test
    void relativeBiasEqualsReferenceAndGradChecks() {
        Rng rng = new Rng(15);
        int gh = 2, gw = 3, heads = 2, dim = 4, b = 2;
        RelativePosition rel = new RelativePosition(gh, gw, true);
        Attention a = attention(dim, heads, rel, rng);
        int n = rel.tokens();
        // An independent bias: offsets from patch coordinates, BEiT's three cls entries at the end.
        float[] table = a.relativePositionBiasTable.value().toFloatArray();
        int rows = rel.tableRows();
        double[][][] bias = new double[heads][n][n];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int r;
                    if (i == 0 && j == 0) {
                        r = rows - 1;
                    } else if (i == 0) {
                        r = rows - 3;
                    } else if (j == 0) {
                        r = rows - 2;
                    } else {
                        int yi = (i - 1) / gw, xi = (i - 1) % gw, yj = (j - 1) / gw, xj = (j - 1) % gw;
                        r = (yi - yj + gh - 1) * (2 * gw - 1) + (xi - xj + gw - 1);
                    }
                    bias[h][i][j] = table[r * heads + h];
                }
            }
        }
        Tensor x = rng.normal(0, 1, b, n, dim);
        int[][] all = new int[b][n];
        for (int e = 0; e < b; e++) {
            for (int j = 0; j < n; j++) {
                all[e][j] = j;
            }
        }
        assertClose(a.forward(Var.constant(x), null).value().toFloatArray(),
                reference(a, x.toFloatArray(), b, n, dim, heads, all, bias), 1e-4f);
        ModuleGradCheck.check(a, in -> a.forward(in, null), x);
    }

    @Test
    void relativeBiasStartsAtZero() {
        Attention a = new Attention(4, 2, new RelativePosition(2, 2, false), 0f, new Rng(16));
        assertThat(a.relativePositionBiasTable.value().toFloatArray()).hasSize(12 * 2).containsOnly(0f);
        assertThat(a.relativePositionBiasTable.weightDecay()).isFalse();
    }

    @Test
    void badContextsAreRejected() {
        Rng rng = new Rng(17);
        Attention a = attention(4, 2, null, rng);
        Var x = Var.constant(rng.normal(0, 1, 2, 5, 4));
        assertThatThrownBy(() -> Context.of(Tensor.ofInts(new int[] {0, 5}, 2, 1), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 5 of example 1 out of range [0, 5)");
        assertThatThrownBy(() -> Context.of(Tensor.ofInts(new int[0], 2, 0), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("M >= 1");
        Context wrongBatch = Context.of(Tensor.ofInts(new int[] {0, 1, 2}, 3, 1), 5);
        assertThatThrownBy(() -> a.forward(x, wrongBatch))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit input [2, 5, 4]");
        Attention rel = attention(4, 2, new RelativePosition(2, 2, false), rng);
        Context ctx = Context.of(Tensor.ofInts(new int[] {0, 1, 2, 3}, 2, 2), 4);
        assertThatThrownBy(() -> rel.forward(Var.constant(rng.normal(0, 1, 2, 4, 4)), ctx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs full attention");
        assertThatThrownBy(() -> rel.forward(x, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is for 4 tokens, input has 5");
    }

    /**
     * The recorder sees softmax(q k^T scale + bias) [B, heads, N, M], rows summing to 1, M the
     * context size with a context; the layer's output is bit-identical with and without it.
     */
    @Test
    void theRecorderSeesTheProbabilitiesAndChangesNothing() {
        Rng rng = new Rng(21);
        Attention a = attention(8, 2, null, rng);
        Tensor x = rng.normal(0, 1, 2, 5, 8);
        Context ctx = Context.of(Tensor.ofInts(new int[] {4, 0, 2, 1, 3, 3}, 2, 3), 5);
        float[] plain = a.forward(Var.constant(x), ctx).value().toFloatArray();
        Tensor[] seen = new Tensor[1];
        a.recorder(p -> seen[0] = p);
        float[] recorded = a.forward(Var.constant(x), ctx).value().toFloatArray();
        a.recorder(null);
        assertThat(recorded).containsExactly(plain);
        assertThat(seen[0].shape()).containsExactly(2, 2, 5, 3);
        float[] p = seen[0].toFloatArray();
        for (int row = 0; row < 2 * 2 * 5; row++) {
            assertThat(p[3 * row] + p[3 * row + 1] + p[3 * row + 2]).isCloseTo(1f, within(1e-5f));
        }
        a.forward(Var.constant(x), null);
        assertThat(seen[0].shape()).as("removed recorder is not called").containsExactly(2, 2, 5, 3);
    }
}

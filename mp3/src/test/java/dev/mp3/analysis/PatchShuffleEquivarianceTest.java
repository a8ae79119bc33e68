package dev.mp3.analysis;

import dev.mp3.autograd.Grad;
import dev.mp3.method.ContextMasking;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.Context;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pretraining model has no position information, so it is equivariant to the order of its
 * patches (the premise of MP3, paper Section 3.2): moving the patches of an image around moves the
 * rows of its position logits the same way, bit for bit on the CPU.
 */
class PatchShuffleEquivarianceTest {
    private static final int SIDE = 8;
    private static final int PATCH = 2;
    private static final int N = 16;

    private static VisionTransformer model() {
        ViTConfig c = new ViTConfig(SIDE, PATCH, 3, 16, 2, 2, 2f, 0, false, PositionEmbedding.NONE, false, 0f, 0f, 1e-6f);
        return new VisionTransformer(PositionPrediction.pretrainingModel(c), new Rng(3));
    }

    /** images [B, C, H, W] whose patch slot i holds the original patch perm[i]. */
    private static Tensor permutePatches(Tensor images, int[] perm) {
        int b = images.dim(0);
        int c = images.dim(1);
        float[] in = images.toFloatArray();
        float[] out = new float[in.length];
        int g = SIDE / PATCH;
        for (int e = 0; e < b; e++) {
            for (int i = 0; i < N; i++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < PATCH; y++) {
                        for (int x = 0; x < PATCH; x++) {
                            int to = ((e * c + ch) * SIDE + (i / g) * PATCH + y) * SIDE + (i % g) * PATCH + x;
                            int from = ((e * c + ch) * SIDE + (perm[i] / g) * PATCH + y) * SIDE + (perm[i] % g) * PATCH + x;
                            out[to] = in[from];
                        }
                    }
                }
            }
        }
        return Tensor.of(out, images.shape());
    }

    private static float[] logits(VisionTransformer m, Tensor images, Context ctx) {
        try (var off = Grad.disabled()) {
            return PositionPrediction.logits(m, images, ctx).value().toFloatArray();
        }
    }

    /** Asserts permuted[b, i, :] == original[b, perm[i], :] exactly. */
    private static void assertRowsPermuted(float[] original, float[] permuted, int[] perm, int batch) {
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    float want = original[(b * N + perm[i]) * N + j];
                    float got = permuted[(b * N + i) * N + j];
                    assertThat(Float.floatToRawIntBits(got)).as("example %d, slot %d, position %d", b, i, j)
                            .isEqualTo(Float.floatToRawIntBits(want));
                }
            }
        }
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    /**
     * Full attention over all N keys: with the keys listed in the original patches' order (a context
     * of all N tokens, moved with the patches) the logits move bit for bit. With the keys in slot
     * order (plain full attention) the softmax adds the same terms in another order, so the rows
     * agree to rounding only (a few ulps), which is all the fused kernel can promise.
     */
    @Test
    void fullAttentionLogitsMoveWithThePatches() {
        VisionTransformer m = model();
        m.eval();
        Tensor images = new Rng(4).normal(0, 1, 2, 3, SIDE, SIDE);
        int[] perm = new Rng(5).permutationArray(1, N);
        assertThat(perm).isNotEqualTo(java.util.stream.IntStream.range(0, N).toArray());
        int[] inv = inverse(perm);
        int[] allKeys = new int[2 * N];
        int[] movedKeys = new int[2 * N];
        for (int k = 0; k < 2 * N; k++) {
            allKeys[k] = k % N;
            movedKeys[k] = inv[k % N];
        }
        Tensor shuffled = permutePatches(images, perm);
        float[] original = logits(m, images, Context.of(Tensor.ofInts(allKeys, 2, N), N));
        assertRowsPermuted(original, logits(m, shuffled, Context.of(Tensor.ofInts(movedKeys, 2, N), N)), perm, 2);

        float[] plain = logits(m, images, null);
        float[] plainShuffled = logits(m, shuffled, null);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    float want = plain[(b * N + perm[i]) * N + j];
                    assertThat(plainShuffled[(b * N + i) * N + j]).isCloseTo(want,
                            org.assertj.core.api.Assertions.within(1e-5f * Math.max(1f, Math.abs(want))));
                }
            }
        }
    }

    @Test
    void contextLogitsMoveWithThePatchesWhenTheContextIndicesMoveToo() {
        VisionTransformer m = model();
        m.eval();
        Tensor images = new Rng(6).normal(0, 1, 2, 3, SIDE, SIDE);
        int[] perm = new Rng(7).permutationArray(1, N);
        int[] inv = inverse(perm);
        Context ctx = ContextMasking.sample(new Rng(8), 2, N, 0.5f, Device.CPU);
        int[] idx = ctx.indices().toIntArray();
        int[] moved = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            moved[k] = inv[idx[k]];   // the patch that was at idx[k] now sits at slot inv[idx[k]]
        }
        Context permutedCtx = Context.of(Tensor.ofInts(moved, 2, ctx.size()), N);
        float[] original = logits(m, images, ctx);
        assertRowsPermuted(original, logits(m, permutePatches(images, perm), permutedCtx), perm, 2);
        // Failing check of the test itself: an unmoved context changes the answer.
        float[] wrongCtx = logits(m, permutePatches(images, perm), ctx);
        boolean differs = false;
        for (int b = 0; b < 2 && !differs; b++) {
            for (int i = 0; i < N * N; i++) {
                int row = i / N;
                differs |= wrongCtx[(b * N + row) * N + i % N] != original[(b * N + perm[row]) * N + i % N];
            }
        }
        assertThat(differs).isTrue();
    }
}

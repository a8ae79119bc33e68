package dev.mp3.nn;

import dev.mp3.autograd.Grad;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpeechTransformerTest {

    /*
     * The paper's model (width 32, feed-forward 64, 8 layers, 40 MFCCs, 12 classes), by hand:
     * per block: qkv 32*96+96 = 3168, proj 32*32+32 = 1056, two norms 4*32 = 128,
     *            fc1 32*64+64 = 2112, fc2 64*32+32 = 2080                 -> 8544; 8 blocks = 68,352
     * frame projection 40*32+32 = 1312, cls frame 32, final norm 64, head 32*12+12 = 396
     * total 68,352 + 1312 + 32 + 64 + 396 = 70,156 ("around 70K parameters").
     * Pretraining swaps the head for the position head over 100 frames: 32*100+100 = 3300 -> 73,060.
     */
    @Test
    void parameterCountMatchesHandComputation() {
        SpeechTransformer model = new SpeechTransformer(SpeechConfig.paper(), new Rng(1));
        System.out.println("SpeechTransformer (paper config) parameters: " + model.parameterCount());
        assertThat(model.parameterCount()).isEqualTo(70_156L);
        SpeechConfig paper = SpeechConfig.paper();
        SpeechConfig frameHead = new SpeechConfig(paper.frames(), paper.features(), paper.dim(), paper.depth(),
                paper.heads(), paper.ffDim(), paper.dropout(), 0, true, paper.layerNormEps());
        assertThat(new SpeechTransformer(frameHead, new Rng(1)).parameterCount()).isEqualTo(73_060L);
    }

    @Test
    void namesAndBuffers() {
        SpeechTransformer model = new SpeechTransformer(SpeechConfig.paper(), new Rng(2));
        List<String> names = new ArrayList<>(model.namedParameters().keySet());
        assertThat(names.subList(0, 5)).containsExactly("cls_token", "frame_embed.weight", "frame_embed.bias",
                "blocks.0.norm1.weight", "blocks.0.norm1.bias");
        assertThat(names.subList(names.size() - 4, names.size()))
                .containsExactly("norm.weight", "norm.bias", "head.weight", "head.bias");
        assertThat(names).contains("blocks.7.mlp.fc2.bias").doesNotContain("blocks.8.norm1.weight", "pos_embed");
        // The fixed sinusoid is saved with the model but not trained: row 1, column 0 is sin(1).
        Tensor pe = model.stateDict().get("pos_embed");
        assertThat(pe.shape()).containsExactly(1, 100, 32);
        assertThat(pe.toFloatArray()[32]).isCloseTo((float) Math.sin(1), within(1e-6f));
    }

    /** Frames [1, T, F] reordered: out[t] = in[order[t]]. */
    private static Tensor permuteFrames(Tensor frames, int[] order) {
        return frames.reshape(order.length, -1).indexSelect(Tensor.ofInts(order, order.length)).reshape(frames.shape());
    }

    private static float maxDiffPermuted(SpeechTransformer model, Tensor frames, Tensor mask, int[] order) {
        float[] a = model.frameTokens(frames, mask).value().toFloatArray();
        float[] b = model.frameTokens(permuteFrames(frames, order), mask).value().toFloatArray();
        int t = order.length;
        int d = a.length / t;
        float max = 0;
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < d; c++) {
                max = Math.max(max, Math.abs(b[i * d + c] - a[order[i] * d + c]));
            }
        }
        return max;
    }

    @Test
    @SuppressWarnings("try")   // the no-grad scope is used only for its effect
    void positionEmbeddingGoesOnlyToMaskedInFrames() {
        int t = 10;
        SpeechConfig cfg = new SpeechConfig(t, 6, 8, 2, 2, 16, 0.1f, 0, true, 1e-5f);
        SpeechTransformer model = new SpeechTransformer(cfg, new Rng(3));
        model.eval();
        Rng rng = new Rng(4);
        Tensor frames = rng.normal(0, 1, 1, t, 6);
        try (var off = Grad.disabled()) {
            // No mask: every frame gets its position; an all-ones mask is the same.
            assertThat(model.frameTokens(frames, Tensor.full(1f, 1, t)).value().toFloatArray())
                    .containsExactly(model.frameTokens(frames, null).value().toFloatArray());

            // Position only on frames 0 and 4: reordering the other frames just reorders the outputs...
            float[] m = new float[t];
            m[0] = 1f;
            m[4] = 1f;
            Tensor mask = Tensor.of(m, 1, t);
            int[] keepsMasked = {0, 9, 2, 7, 4, 1, 8, 3, 6, 5};
            assertThat(maxDiffPermuted(model, frames, mask, keepsMasked)).isLessThan(1e-4f);
            // ...while moving a frame that carries position changes what the model sees.
            int[] movesMasked = {4, 9, 2, 7, 0, 1, 8, 3, 6, 5};
            assertThat(maxDiffPermuted(model, frames, mask, movesMasked)).isGreaterThan(1e-3f);
            // With no position anywhere the model is permutation-equivariant over frames.
            assertThat(maxDiffPermuted(model, frames, Tensor.zeros(1, t), movesMasked)).isLessThan(1e-4f);
        }
        assertThatThrownBy(() -> model.frameTokens(frames, Tensor.zeros(1, t + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position mask");
        assertThatThrownBy(() -> model.frameTokens(Tensor.zeros(1, t, 5), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be [batch, 10, 6]");
    }

    @Test
    void classifiesFromTheClsFrame() {
        SpeechTransformer model = new SpeechTransformer(SpeechConfig.paper().withFrames(20), new Rng(5));
        assertThat(model.classify(new Rng(6).normal(0, 1, 3, 20, 40), null).shape()).containsExactly(3, 12);
    }
}

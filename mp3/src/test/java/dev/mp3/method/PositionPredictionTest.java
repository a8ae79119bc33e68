package dev.mp3.method;

import dev.mp3.autograd.Var;
import dev.mp3.nn.Adam;
import dev.mp3.nn.Context;
import dev.mp3.nn.Module;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MP3's pretraining model and loss: names, shapes, targets, the encoder hand-over to finetuning, and a fit. */
class PositionPredictionTest {

    /** 16x16 RGB images, 4x4 patches: 16 patches; 2 blocks of width 16. */
    private static ViTConfig small2() {
        return new ViTConfig(16, 4, 3, 16, 2, 2, 4f, 5, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
    }

    @Test
    void thePretrainingModelHasNoClsTokenNoPositionEmbeddingAndThePositionHead() {
        ViTConfig pre = PositionPrediction.pretrainingModel(small2());
        assertThat(pre.clsToken()).isFalse();
        assertThat(pre.posEmbed()).isEqualTo(PositionEmbedding.NONE);
        assertThat(pre.numClasses()).isZero();
        assertThat(pre.positionHead()).isTrue();
        assertThat(pre.withClasses(5).withClsToken(true).withPosEmbed(PositionEmbedding.LEARNED)
                .withPositionHead(false)).isEqualTo(small2());
        List<String> names = new ArrayList<>(new VisionTransformer(pre, new Rng(1)).stateDict().keySet());
        assertThat(names.getFirst()).isEqualTo("patch_embed.proj.weight");
        assertThat(names.subList(names.size() - 2, names.size()))
                .containsExactly("position_head.weight", "position_head.bias");
    }

    @Test
    void logitsScoreEveryPositionForEveryPatchWithOrWithoutAContext() {
        VisionTransformer pre = new VisionTransformer(PositionPrediction.pretrainingModel(small2()), new Rng(7));
        Tensor images = new Rng(8).normal(0, 1, 2, 3, 16, 16);
        Context ctx = ContextMasking.sample(new Rng(9), 2, 16, 0.75f, Device.CPU);
        assertThat(PositionPrediction.logits(pre, images, ctx).shape()).containsExactly(2, 16, 16);
        assertThat(PositionPrediction.logits(pre, images, null).shape()).containsExactly(2, 16, 16);
        VisionTransformer cls = new VisionTransformer(small2(), new Rng(10));
        assertThatThrownBy(() -> PositionPrediction.logits(cls, images, null)).hasMessageContaining("position head");
        SpeechTransformer keywords = new SpeechTransformer(SpeechConfig.paper().withFrames(20), new Rng(5));
        assertThatThrownBy(() -> PositionPrediction.logits(keywords, Tensor.zeros(1, 20, 40), null))
                .hasMessageContaining("position head");
    }

    @Test
    void targetsAreEachTokensOwnIndex() {
        assertThat(PositionPrediction.targets(2, 3, Device.CPU).toIntArray()).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(PositionPrediction.targets(2, 3, Device.CPU).shape()).containsExactly(2, 3);
    }

    @Test
    void finetuningLoadsThePretrainedEncoderAndDropsTheHeads() {
        VisionTransformer pre = new VisionTransformer(PositionPrediction.pretrainingModel(small2()), new Rng(11));
        VisionTransformer fine = new VisionTransformer(small2().forFinetuning(PositionEmbedding.LEARNED, 5),
                new Rng(12));
        Module.LoadResult r = fine.loadStateDict(PositionPrediction.encoderOnly(pre.stateDict()), false);
        assertThat(r.missing()).containsExactly("cls_token", "pos_embed", "head.weight", "head.bias");
        assertThat(r.unexpected()).isEmpty();
        assertThat(fine.namedParameters().get("blocks.1.mlp.fc2.weight").value().toFloatArray())
                .containsExactly(pre.namedParameters().get("blocks.1.mlp.fc2.weight").value().toFloatArray());
        assertThatThrownBy(() -> fine.loadStateDict(pre.stateDict(), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing [cls_token");
    }

    /** Integration: MP3 pretraining fits the positions of 8 tiny images (a 2-block ViT, eta = 0.5). */
    @Test
    void pretrainingFitsThePositionsOfEightTinyImages() {
        Rng rng = new Rng(17);
        ViTConfig cfg = new ViTConfig(8, 2, 1, 32, 2, 2, 2f, 8, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
        Tensor images = rng.normal(0, 1, 8, 1, 8, 8);
        VisionTransformer pre = new VisionTransformer(PositionPrediction.pretrainingModel(cfg), rng);
        Adam opt = new Adam(pre.namedParameters(), Adam.Config.adamW(0.01f));
        Tensor targets = PositionPrediction.targets(8, 16, Device.CPU);
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++) {
            // eta = 0.5: 8 of the 16 patches are context; every patch predicts its position.
            Tensor perm = rng.permutations(8, 16);
            Context ctx = Context.of(perm.slice(1, 0, 8).contiguous(), 16);
            Var loss = PositionPrediction.loss(PositionPrediction.logits(pre, images, ctx), targets, 0f);
            last = loss.item();
            first = step == 0 ? last : first;
            loss.backward();
            opt.step(3e-3f);
            opt.zeroGrad();
        }
        System.out.printf("MP3 overfit: position loss %.3f -> %.4f%n", first, last);
        assertThat(first).isGreaterThan(2.3f);   // about log 16 = 2.77
        assertThat(last).isLessThan(0.3f);
    }
}

package dev.mp3.nn;

import dev.mp3.autograd.Grad;
import dev.mp3.autograd.Var;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VisionTransformerTest {

    /** 16x16 RGB images, 4x4 patches: 16 patches; 2 blocks of width 16. */
    private static ViTConfig small2() {
        return new ViTConfig(16, 4, 3, 16, 2, 2, 4f, 5, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
    }

    /** The encoder with only a head on every patch (as MP3 pretrains it): no cls token, classifier or position embedding. */
    private static ViTConfig patchHeadOnly(ViTConfig c) {
        return c.withClasses(0).withClsToken(false).withPosEmbed(PositionEmbedding.NONE).withPositionHead(true);
    }

    private static List<String> blockNames(int i) {
        String p = "blocks." + i + ".";
        return List.of(p + "norm1.weight", p + "norm1.bias", p + "attn.qkv.weight", p + "attn.qkv.bias",
                p + "attn.proj.weight", p + "attn.proj.bias", p + "norm2.weight", p + "norm2.bias",
                p + "mlp.fc1.weight", p + "mlp.fc1.bias", p + "mlp.fc2.weight", p + "mlp.fc2.bias");
    }

    @Test
    void parameterNamesFollowTimmOrder() {
        VisionTransformer vit = new VisionTransformer(small2(), new Rng(1));
        // timm's VisionTransformer.named_parameters() for the same model, written out by hand.
        List<String> expected = new ArrayList<>(List.of("cls_token", "pos_embed",
                "patch_embed.proj.weight", "patch_embed.proj.bias"));
        expected.addAll(blockNames(0));
        expected.addAll(blockNames(1));
        expected.addAll(List.of("norm.weight", "norm.bias", "head.weight", "head.bias"));
        assertThat(vit.namedParameters().keySet()).containsExactlyElementsOf(expected);
        assertThat(vit.stateDict().keySet()).containsExactlyElementsOf(expected);

        Map<String, Parameter> p = vit.namedParameters();
        assertThat(p.get("cls_token").shape()).containsExactly(1, 1, 16);
        assertThat(p.get("pos_embed").shape()).containsExactly(1, 17, 16);
        assertThat(p.get("patch_embed.proj.weight").shape()).containsExactly(16, 3, 4, 4);
        assertThat(p.get("blocks.1.attn.qkv.weight").shape()).containsExactly(48, 16);
        assertThat(p.get("blocks.1.mlp.fc1.weight").shape()).containsExactly(64, 16);
        assertThat(p.get("head.weight").shape()).containsExactly(5, 16);
    }

    @Test
    void pretrainingRelativeAndSinCosNames() {
        VisionTransformer pre = new VisionTransformer(patchHeadOnly(small2()), new Rng(2));
        List<String> expected = new ArrayList<>(List.of("patch_embed.proj.weight", "patch_embed.proj.bias"));
        expected.addAll(blockNames(0));
        expected.addAll(blockNames(1));
        expected.addAll(List.of("norm.weight", "norm.bias", "position_head.weight", "position_head.bias"));
        assertThat(pre.namedParameters().keySet()).containsExactlyElementsOf(expected);
        assertThat(pre.namedParameters().get("position_head.weight").shape()).containsExactly(16, 16);

        VisionTransformer rel = new VisionTransformer(small2().withPosEmbed(PositionEmbedding.RELATIVE), new Rng(3));
        List<String> relNames = new ArrayList<>(rel.namedParameters().keySet());
        assertThat(relNames).doesNotContain("pos_embed");
        // BEiT's order: the attention's own table before its qkv and proj children.
        int table = relNames.indexOf("blocks.1.attn.relative_position_bias_table");
        assertThat(relNames.get(table - 1)).isEqualTo("blocks.1.norm1.bias");
        assertThat(relNames.get(table + 1)).isEqualTo("blocks.1.attn.qkv.weight");
        assertThat(rel.namedParameters().get("blocks.0.attn.relative_position_bias_table").shape())
                .containsExactly(7 * 7 + 3, 2);

        VisionTransformer sincos = new VisionTransformer(small2().withPosEmbed(PositionEmbedding.SINCOS_2D), new Rng(4));
        assertThat(sincos.namedParameters()).doesNotContainKey("pos_embed");
        assertThat(sincos.stateDict()).containsKey("pos_embed");
        float[] pe = sincos.stateDict().get("pos_embed").toFloatArray();
        // The cls row is zero; patch 5 sits at (y, x) = (1, 1): column 0 is sin(1 * 10000^0) = sin 1.
        assertThat(pe[0]).isZero();
        assertThat(pe[(1 + 5) * 16]).isCloseTo((float) Math.sin(1), within(1e-6f));
    }

    /*
     * timm's published counts at 224/16 (3 channels, 1000 classes, mlp ratio 4), by hand:
     * per block: qkv D*3D+3D, proj D*D+D, two norms 4D, fc1 D*4D+4D, fc2 4D*D+D = 12D^2 + 13D;
     * outside the blocks: patch conv D*3*16*16+D = 769D, cls D, pos 197D, final norm 2D,
     * head 1000D+1000. Total = 12(12D^2 + 13D) + 969D + 1000D + 1000 = 144D^2 + 2125D + 1000.
     *   D=192: 144*36864 + 2125*192 + 1000 = 5,308,416 + 408,000 + 1000 = 5,717,416
     *   D=384: 144*147456 + 2125*384 + 1000 = 21,233,664 + 816,000 + 1000 = 22,050,664
     *   D=768: 144*589824 + 2125*768 + 1000 = 84,934,656 + 1,632,000 + 1000 = 86,567,656
     */
    @Test
    void parameterCountsMatchTimm() {
        assertThat(new VisionTransformer(ViTConfig.tiny(), new Rng(5)).parameterCount()).isEqualTo(5_717_416L);
        assertThat(new VisionTransformer(ViTConfig.small(), new Rng(5)).parameterCount()).isEqualTo(22_050_664L);
        assertThat(new VisionTransformer(ViTConfig.base(), new Rng(5)).parameterCount()).isEqualTo(86_567_656L);
    }

    @Test
    void initialisationFollowsTimm() {
        VisionTransformer vit = new VisionTransformer(ViTConfig.small().withImage(32, 4, 3).withClasses(10), new Rng(6));
        Map<String, Parameter> p = vit.namedParameters();
        float[] qkv = p.get("blocks.3.attn.qkv.weight").value().toFloatArray();
        double sum = 0, sq = 0;
        for (float v : qkv) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / qkv.length;
        double std = Math.sqrt(sq / qkv.length - mean * mean);
        assertThat(std).isCloseTo(0.02, within(0.0005));
        assertThat(mean).isCloseTo(0.0, within(0.0005));
        assertThat(p.get("blocks.3.attn.qkv.bias").value().toFloatArray()).containsOnly(0f);
        assertThat(p.get("blocks.3.norm2.weight").value().toFloatArray()).containsOnly(1f);
        assertThat(p.get("norm.bias").value().toFloatArray()).containsOnly(0f);
        // The patch projection keeps PyTorch's conv init: U(-1/sqrt(48), 1/sqrt(48)).
        float bound = (float) (1 / Math.sqrt(48));
        for (float v : p.get("patch_embed.proj.weight").value().toFloatArray()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
        }
        // Weight decay: matrices only; never biases, norms, cls token, position embedding.
        p.forEach((name, param) -> assertThat(param.weightDecay()).as(name)
                .isEqualTo(name.endsWith(".weight") && !name.contains("norm")));
    }

    @Test
    void contextAndShapesOfPatchTokens() {
        VisionTransformer pre = new VisionTransformer(patchHeadOnly(small2()), new Rng(7));
        Tensor images = new Rng(8).normal(0, 1, 2, 3, 16, 16);
        Context ctx = Context.of(new Rng(9).permutations(2, 16).reshape(2, 16).slice(1, 0, 4).contiguous(), 16);
        assertThat(pre.patchTokens(images, ctx).shape()).containsExactly(2, 16, 16);
        assertThat(pre.positionHead.forward(pre.patchTokens(images, null)).shape()).containsExactly(2, 16, 16);
        VisionTransformer cls = new VisionTransformer(small2(), new Rng(10));
        assertThat(cls.patchTokens(images, null).shape()).containsExactly(2, 16, 16);   // the cls token left out
        assertThatThrownBy(() -> cls.encode(Var.constant(images), ctx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a cls token");
        assertThatThrownBy(() -> cls.classify(Tensor.zeros(2, 3, 8, 8))).hasMessageContaining("must be [batch, 3, 16, 16]");
    }

    @Test
    void finetuningLoadsThePretrainedEncoder() {
        VisionTransformer pre = new VisionTransformer(patchHeadOnly(small2()), new Rng(11));
        VisionTransformer fine = new VisionTransformer(small2().forFinetuning(PositionEmbedding.LEARNED, 5), new Rng(12));
        Module.LoadResult r = fine.loadStateDict(pre.stateDict(), false);
        assertThat(r.missing()).containsExactly("cls_token", "pos_embed", "head.weight", "head.bias");
        assertThat(r.unexpected()).containsExactly("position_head.weight", "position_head.bias");
        assertThat(fine.namedParameters().get("blocks.1.mlp.fc2.weight").value().toFloatArray())
                .containsExactly(pre.namedParameters().get("blocks.1.mlp.fc2.weight").value().toFloatArray());
        assertThatThrownBy(() -> fine.loadStateDict(pre.stateDict(), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing [cls_token");
    }

    @Test
    void loadRejectsShapeMismatchNamingTheTensor() {
        VisionTransformer a = new VisionTransformer(small2(), new Rng(13));
        VisionTransformer b = new VisionTransformer(small2().withClasses(7), new Rng(14));
        float before = a.namedParameters().get("norm.weight").value().toFloatArray()[0];
        b.namedParameters().get("norm.weight").value().fillInPlace(5f);
        assertThatThrownBy(() -> a.loadStateDict(b.stateDict(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'head.weight' has shape [7, 16] in the state dict, but the model expects [5, 16]");
        // Nothing was loaded: the check runs before any copy.
        assertThat(a.namedParameters().get("norm.weight").value().toFloatArray()[0]).isEqualTo(before);
    }

    @Test
    void dropoutActsInTrainingOnlyAndIsSeeded() {
        ViTConfig cfg = small2().withRegularisation(0.3f, 0.2f);
        VisionTransformer vit = new VisionTransformer(cfg, new Rng(15));
        Tensor images = new Rng(16).normal(0, 1, 2, 3, 16, 16);
        vit.train(new Rng(100));
        float[] t1 = vit.classify(images).value().toFloatArray();
        float[] t2 = vit.classify(images).value().toFloatArray();
        vit.train(new Rng(100));
        float[] t1again = vit.classify(images).value().toFloatArray();
        assertThat(t1).isNotEqualTo(t2);
        assertThat(t1again).containsExactly(t1);
        vit.eval();
        assertThat(vit.isTraining()).isFalse();
        float[] e1 = vit.classify(images).value().toFloatArray();
        float[] e2 = vit.classify(images).value().toFloatArray();
        assertThat(e1).containsExactly(e2);
    }

    /** Integration: a 2-block ViT fits 8 random images to 8 labels (MP3's twin is in mp3's PositionPredictionTest). */
    @Test
    @SuppressWarnings("try")   // the no-grad scope is used only for its effect
    void overfitsEightTinyImages() {
        Rng rng = new Rng(17);
        ViTConfig cfg = new ViTConfig(8, 2, 1, 32, 2, 2, 2f, 8, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
        Tensor images = rng.normal(0, 1, 8, 1, 8, 8);
        Tensor labels = Tensor.ofInts(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 8);

        VisionTransformer vit = new VisionTransformer(cfg, rng);
        Adam opt = new Adam(vit.namedParameters(), Adam.Config.adamW(0.01f).withClipping(1f));
        float first = 0, last = 0;
        for (int step = 0; step < 80; step++) {
            Var loss = Losses.crossEntropy(vit.classify(images), labels, 0f);
            last = loss.item();
            first = step == 0 ? last : first;
            loss.backward();
            opt.step(3e-3f);
            opt.zeroGrad();
        }
        assertThat(first).isGreaterThan(1.5f);   // about log 8 = 2.08 at initialisation
        assertThat(last).isLessThan(0.05f);
        try (var off = Grad.disabled()) {
            vit.eval();
            assertThat(vit.classify(images).value().argmax(1).toIntArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        }

        System.out.printf("ViT overfit: classification %.3f -> %.4f%n", first, last);
    }
}

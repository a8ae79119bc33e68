package dev.mp3.analysis;

import dev.mp3.data.ImageDataset;
import dev.mp3.data.Normalization;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.Block;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Relative attention maps and entropies (paper Section 4.2.5, Appendix E) on cases known by construction. */
class RelativeAttentionTest {
    private static final int DIM = 8;

    /** 8x8 grey images, 2x2 patches: a 4x4 grid of 16 patches; 2 blocks, 2 heads. */
    private static ViTConfig config() {
        return new ViTConfig(8, 2, 1, DIM, 2, 2, 2f, 3, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
    }

    /** Zero query and key projections: every score is 0, so attention is uniform over the keys. */
    private static VisionTransformer uniform(VisionTransformer m) {
        for (Block b : m.blocks) {
            b.attn.qkv.weight.value().slice(0, 0, 2 * DIM).fillInPlace(0f);
            b.attn.qkv.bias.value().slice(0, 0, 2 * DIM).fillInPlace(0f);
        }
        return m;
    }

    private static ImageDataset data(int images) {
        float[] u = new Rng(5).uniform(images * 64).toFloatArray();
        byte[] px = new byte[u.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (u[i] * 255);
        }
        return new ImageDataset("t", px, new int[images], 1, 8, 8, List.of("a", "b", "c"), Normalization.unitRange(1));
    }

    private static void assertFlat(RelativeAttention.Result r, double value, double entropy) {
        for (int l = 0; l < r.layers(); l++) {
            for (int h = 0; h < r.heads(); h++) {
                assertThat(r.entropy()[l][h]).isCloseTo(entropy, within(1e-5));
                int centre = (r.grid() - 1) * r.side() + r.grid() - 1;
                assertThat(r.maps()[l][h][centre]).isCloseTo(value, within(1e-6));
                for (double v : r.maps()[l][h]) {
                    if (!Double.isNaN(v)) {
                        assertThat(v).isCloseTo(value, within(1e-6));
                    }
                }
            }
        }
    }

    @Test
    void uniformAttentionOfAPretrainingModelIsFlatWithEntropyLogN() {
        VisionTransformer m = uniform(new VisionTransformer(PositionPrediction.pretrainingModel(config()), new Rng(1)));
        RelativeAttention.Result r = RelativeAttention.compute(m, data(6), 0f, 0, 4, Device.CPU);
        assertThat(r.side()).isEqualTo(7);
        assertThat(r.images()).isEqualTo(6);
        assertThat(r.maps()[1][1]).doesNotContain(Double.NaN);   // full attention sees every offset
        assertFlat(r, 1.0 / 16, Math.log(16));
    }

    @Test
    void atATestEtaTheKeysAreTheContextOnly() {
        VisionTransformer m = uniform(new VisionTransformer(PositionPrediction.pretrainingModel(config()), new Rng(1)));
        RelativeAttention.Result r = RelativeAttention.compute(m, data(6), 0.5f, 3, 4, Device.CPU);
        assertFlat(r, 1.0 / 8, Math.log(8));
    }

    @Test
    void theClsTokenIsLeftOutAndTheRestRenormalised() {
        VisionTransformer m = uniform(new VisionTransformer(config(), new Rng(2)));
        RelativeAttention.Result r = RelativeAttention.compute(m, data(3), 0f, 0, 4, Device.CPU);
        assertFlat(r, 1.0 / 16, Math.log(16));
        assertThatThrownBy(() -> RelativeAttention.compute(m, data(3), 0.5f, 0, 4, Device.CPU))
                .hasMessageContaining("cls token");
    }

    /**
     * A 2x2 grid, one head, patch i attending only to patch (i + 1) mod 4: offsets (0, +1) from
     * patches 0 and 2, (+1, -1) from patch 1, (-1, -1) from patch 3 get mean attention 1; the
     * self-offset (0, 0) gets 0; entropy 0.
     */
    @Test
    void offsetsAreKeyMinusQueryOnTheGrid() {
        RelativeAttention.Accumulator acc = new RelativeAttention.Accumulator(1, 1, 2);
        float[] p = new float[16];
        for (int i = 0; i < 4; i++) {
            p[i * 4 + (i + 1) % 4] = 1f;
        }
        acc.add(0, p, 1, 4, 4, 0, null);
        acc.images = 1;
        RelativeAttention.Result r = acc.result(0f);
        double[] map = r.maps()[0][0];
        // 3x3 map, row dy + 1, column dx + 1.
        assertThat(map[1 * 3 + 2]).isEqualTo(1.0);   // (0, +1)
        assertThat(map[2 * 3 + 0]).isEqualTo(1.0);   // (+1, -1)
        assertThat(map[0 * 3 + 0]).isEqualTo(1.0);   // (-1, -1)
        assertThat(map[1 * 3 + 1]).isEqualTo(0.0);   // (0, 0)
        assertThat(map[0 * 3 + 2]).isEqualTo(0.0);   // (-1, +1): from patch 2 to 1, unattended
        assertThat(r.entropy()[0][0]).isEqualTo(0.0);
    }

    @Test
    void headsAreOrderedByEntropyAndTheGridHasOneCellPerHead() {
        VisionTransformer m = new VisionTransformer(PositionPrediction.pretrainingModel(config()), new Rng(1));
        RelativeAttention.Result r = RelativeAttention.compute(m, data(4), 0f, 0, 4, Device.CPU);
        for (int l = 0; l < r.layers(); l++) {
            Integer[] order = r.headOrder(l);
            assertThat(r.entropy()[l][order[0]]).isLessThanOrEqualTo(r.entropy()[l][order[1]]);
        }
        int scale = Math.max(4, (int) Math.ceil(72.0 / 7));
        assertThat(RelativeAttention.render(r).getWidth()).isEqualTo(2 + 2 * (7 * scale + 2));
        // The recorders are removed afterwards: training pays nothing.
        assertThat(m.blocks.get(0).attn).extracting("recorder").isNull();
    }

    /** Heads permuted (and slightly changed) are matched back to the parent heads they came from. */
    @Test
    void aFinetunedModelsHeadsAreMatchedToThoseOfItsParent() {
        int side = 3;
        double[][][] parentMaps = new double[1][3][];
        parentMaps[0][0] = new double[] {1, 0, 0, 0, 0, 0, 0, 0, 0};   // looks up-left
        parentMaps[0][1] = new double[] {0, 0, 0, 0, 1, 0, 0, 0, 0};   // looks at itself
        parentMaps[0][2] = new double[] {0, 0, 0, 0, 0, 0, 0, 0, 1};   // looks down-right
        double[][] parentEntropy = {{0.5, 0.1, 0.9}};                    // parent order by entropy: 1, 0, 2
        RelativeAttention.Result parent = new RelativeAttention.Result(2, 0f, 10, parentMaps, parentEntropy);
        double[][][] childMaps = new double[1][3][];
        childMaps[0][0] = new double[] {0, 0, 0, 0, 0.1, 0, 0, 0, 0.9}; // parent head 2, a little changed
        childMaps[0][1] = new double[] {0.8, 0.2, 0, 0, 0, 0, 0, 0, 0};  // parent head 0
        childMaps[0][2] = new double[] {0, 0, 0, 0.1, 0.9, 0, 0, 0, 0};  // parent head 1
        RelativeAttention.Result child = new RelativeAttention.Result(2, 0f, 10, childMaps, new double[][] {{1, 2, 3}});
        assertThat(child.side()).isEqualTo(side);
        // In the parent's entropy order (heads 1, 0, 2) the matched child heads are 2, 1, 0.
        assertThat(child.matchedOrder(parent, 0)).containsExactly(2, 1, 0);
        assertThat(RelativeAttention.pearson(parentMaps[0][0], parentMaps[0][0])).isEqualTo(1.0, within(1e-12));
        assertThat(RelativeAttention.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1})).isEqualTo(-1.0,
                within(1e-12));
    }
}

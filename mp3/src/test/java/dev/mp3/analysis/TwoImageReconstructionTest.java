package dev.mp3.analysis;

import dev.mp3.data.ImageDataset;
import dev.mp3.data.Normalization;
import dev.mp3.method.PositionPrediction;
import dev.mp3.method.Reconstruction;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two-image reconstructions (paper Appendix F, Figures 14 and 15) on a 4x4 image of four 2x2 patches. */
class TwoImageReconstructionTest {
    /** Image a: pixel (y, x) = (10 y + x) / 100; image b: the same plus 0.5. */
    private static float[] image(float plus) {
        float[] v = new float[16];
        for (int k = 0; k < 16; k++) {
            v[k] = (10 * (k / 4) + k % 4) / 100f + plus;
        }
        return v;
    }

    @Test
    void theShuffleSplitsTheTwoImagesPatchesIntoTwoSets() {
        int[][] sets = TwoImageReconstruction.shuffle(4, new Rng(1));
        int[] all = IntStream.concat(Arrays.stream(sets[0]), Arrays.stream(sets[1])).sorted().toArray();
        assertThat(all).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(sets[0]).hasSize(4);
    }

    /**
     * Set sources (b0, a1, a2, b3): slot 0 holds b's top-left patch, slot 1 a's top-right ... Placed
     * at predicted positions (0, 0, 2, 2), position 0 is the mean of b0 and a1, position 2 of a2 and
     * b3, positions 1 and 3 unclaimed (grey 0.5).
     */
    @Test
    void composeThenReassembleByHand() {
        float[] a = image(0f);
        float[] b = image(0.5f);
        float[] set = TwoImageReconstruction.compose(a, b, new int[] {4, 1, 2, 7}, 1, 4, 4, 2);
        // Slot 0 (rows 0-1, cols 0-1) = b's patch 0: b(0,0) = 0.5; slot 1 (cols 2-3) = a's patch 1: a(0,2) = 0.02.
        assertThat(set[0]).isEqualTo(0.5f);
        assertThat(set[2]).isEqualTo(0.02f);
        // Slot 2 (rows 2-3, cols 0-1) = a's patch 2: a(2,0) = 0.2; slot 3 = b's patch 3: b(3,3) = 0.83.
        assertThat(set[8]).isEqualTo(0.2f);
        assertThat(set[15]).isEqualTo(0.33f + 0.5f);
        float[] recon = new float[16];
        Reconstruction.reassemble(set, new int[] {0, 0, 2, 2}, 1, 4, 4, 2, recon, 0);
        // Position 0, pixel (0, 0): (b(0,0) + a(0,2)) / 2 = (0.5 + 0.02) / 2.
        assertThat(recon[0]).isCloseTo(0.26f, org.assertj.core.api.Assertions.within(1e-6f));
        // Position 1 unclaimed: grey.
        assertThat(recon[2]).isEqualTo(0.5f);
        // Position 2, pixel (3, 1): (a(3,1) + b(3,3)) / 2 = (0.31 + 0.83) / 2.
        assertThat(recon[13]).isCloseTo(0.57f, org.assertj.core.api.Assertions.within(1e-6f));
    }

    @Test
    void renderShowsOneRowPerEtaOfSixCells() {
        ViTConfig c = new ViTConfig(8, 2, 1, 8, 1, 2, 2f, 0, false, PositionEmbedding.NONE, false, 0f, 0f, 1e-6f);
        VisionTransformer m = new VisionTransformer(PositionPrediction.pretrainingModel(c), new Rng(1));
        byte[] px = new byte[3 * 64];
        new java.util.Random(1).nextBytes(px);
        ImageDataset data = new ImageDataset("t", px, new int[3], 1, 8, 8, List.of("a"), Normalization.unitRange(1));
        BufferedImage img = TwoImageReconstruction.render(m, data, 0, 2, new float[] {0f, 0.5f}, 0, Device.CPU);
        int scale = 112 / 8;
        assertThat(img.getWidth()).isEqualTo(2 + 6 * (8 * scale + 2));
        VisionTransformer cls = new VisionTransformer(c.withClasses(2).withClsToken(true), new Rng(1));
        assertThatThrownBy(() -> TwoImageReconstruction.render(cls, data, 0, 1, new float[] {0f}, 0, Device.CPU))
                .hasMessageContaining("position head");
    }
}

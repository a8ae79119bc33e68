package dev.mp3.analysis;

import dev.mp3.data.ImageDataset;
import dev.mp3.data.Normalization;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Position correlation (paper Appendix D) where the answer is known by construction. */
class PositionCorrelationTest {

    @Test
    void pearsonCorrelationOfRows() {
        // Position 0: (1, 2, 3); position 1: (3, 2, 1), perfectly anti-correlated; position 2: (2, 4, 6).
        Tensor z = PositionCorrelation.standardised(Tensor.of(new float[] {1, 2, 3, 3, 2, 1, 2, 4, 6}, 1, 3, 3));
        float[] c = Tensor.matmul(z, false, z, true).toFloatArray();
        assertThat(c[1]).isCloseTo(-1f, within(1e-6f));
        assertThat(c[2]).isCloseTo(1f, within(1e-6f));
        assertThat(c[4]).isCloseTo(1f, within(1e-6f));
    }

    /**
     * A pretraining model has no position information, so an image whose patches are all equal gives
     * identical tokens at every position: correlation 1 between every pair within the image.
     */
    @Test
    void identicalRepresentationsCorrelatePerfectly() {
        ViTConfig c = new ViTConfig(8, 2, 1, 16, 2, 2, 2f, 0, false, PositionEmbedding.NONE, false, 0f, 0f, 1e-6f);
        VisionTransformer m = new VisionTransformer(PositionPrediction.pretrainingModel(c), new Rng(1));
        int images = 5;
        byte[] px = new byte[images * 64];
        for (int i = 0; i < images; i++) {
            for (int k = 0; k < 64; k++) {
                // A 2x2 pattern repeated in every patch, different per image.
                int y = (k / 8) % 2;
                int x = k % 2;
                px[i * 64 + k] = (byte) (30 * i + 50 * y + 90 * x);
            }
        }
        ImageDataset data = new ImageDataset("t", px, new int[images], 1, 8, 8, List.of("a"), Normalization.unitRange(1));
        PositionCorrelation.Result r = PositionCorrelation.compute(m, data, 0, 2, Device.CPU);
        assertThat(r.images()).isEqualTo(images);
        assertThat(r.pairs()).isEqualTo(4);   // batches of 2, 2, 1: the lone image has no partner
        for (double v : r.within()) {
            assertThat(v).isCloseTo(1.0, within(1e-5));
        }
        // Across images the tokens differ, and so does every pair's correlation from 1 (the test can fail).
        double maxAcross = -2;
        for (double v : r.across()) {
            maxAcross = Math.max(maxAcross, v);
        }
        assertThat(maxAcross).isLessThan(0.9999);
        assertThat(PositionCorrelation.render(r.within(), r.grid()).getWidth()).isEqualTo(2 + 4 * (4 * 12 + 2));
    }

    @Test
    void partnersAreTheNextExample() {
        Tensor z = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 1, 2);
        assertThat(PositionCorrelation.partners(z).toFloatArray()).containsExactly(3, 4, 5, 6, 1, 2);
    }
}

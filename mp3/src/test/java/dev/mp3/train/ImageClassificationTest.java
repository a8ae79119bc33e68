package dev.mp3.train;

import dev.mp3.data.Batch;
import dev.mp3.data.ImageDataset;
import dev.mp3.data.Mixup;
import dev.mp3.data.Normalization;
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

/**
 * The classification loss of a Mixup/CutMix batch against timm's definition computed in double
 * precision: the mean over the batch of -sum_j t_j log softmax(logits)_j with the soft targets
 * t = lam smooth(y) + (1 - lam) smooth(y flipped) that {@link Mixup#targets} builds.
 */
class ImageClassificationTest {

    @Test
    void aMixedBatchsLossIsTheSoftTargetCrossEntropy() {
        int classes = 3;
        ViTConfig config = new ViTConfig(8, 4, 1, 16, 1, 2, 2f, classes, true, PositionEmbedding.LEARNED, false, 0f,
                0f, 1e-6f);
        VisionTransformer model = new VisionTransformer(config, new Rng(3));
        ImageDataset data = new ImageDataset("d", new byte[4 * 64], new int[] {0, 1, 2, 0}, 1, 8, 8,
                List.of("a", "b", "c"), Normalization.unitRange(1));
        float smoothing = 0.1f;
        ImageClassification task = new ImageClassification(model, data,
                ImageRecipe.classify(1).withBatchSize(4).withLabelSmoothing(smoothing), Device.CPU);

        Tensor images = new Rng(5).normal(0f, 1f, 4, 1, 8, 8);
        int[] labels = {2, 0, 1, 1};
        int[] partners = {1, 1, 0, 2};   // the flipped batch's labels
        float lam = 0.3f;
        Batch batch = new Batch(0, 0, new int[] {0, 1, 2, 3}, images, Tensor.ofInts(labels, 4),
                new Batch.Mix(lam, Tensor.ofInts(partners, 4)));
        double loss = task.loss(batch, new Rng(1)).item();

        float[] logits = model.classify(images).value().toFloatArray();
        float[] targets = Mixup.targets(labels, classes, new Mixup.Mix(false, lam, 0, 0, 0, 0), smoothing);
        double expected = 0;
        for (int b = 0; b < 4; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[b * classes + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[b * classes + j] - max);
            }
            for (int j = 0; j < classes; j++) {
                double logP = logits[b * classes + j] - max - Math.log(sum);
                expected -= targets[b * classes + j] * logP;
            }
        }
        expected /= 4;
        assertThat(loss).isCloseTo(expected, within(1e-5));
        // And it is not the unmixed loss.
        double unmixed = task.loss(new Batch(0, 0, new int[] {0, 1, 2, 3}, images, Tensor.ofInts(labels, 4)),
                new Rng(1)).item();
        assertThat(Math.abs(unmixed - loss)).isGreaterThan(1e-3);
    }
}

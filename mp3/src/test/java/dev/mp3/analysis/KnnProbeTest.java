package dev.mp3.analysis;

import dev.mp3.data.ImageDataset;
import dev.mp3.data.Normalization;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The layerwise k-NN probe (paper Appendix C): the vote by hand, separable features, and the layer count. */
class KnnProbeTest {

    @Test
    void separableFeaturesAreClassifiedPerfectly() {
        int classes = 4;
        int dim = 8;
        Rng rng = new Rng(1);
        float[] train = new float[40 * dim];
        int[] trainLabels = new int[40];
        float[] test = new float[12 * dim];
        int[] testLabels = new int[12];
        float[] noiseTrain = rng.uniform(-0.2f, 0.2f, train.length).toFloatArray();
        float[] noiseTest = rng.uniform(-0.2f, 0.2f, test.length).toFloatArray();
        for (int i = 0; i < 40; i++) {
            trainLabels[i] = i % classes;
            for (int d = 0; d < dim; d++) {
                train[i * dim + d] = (d == trainLabels[i] ? 1f : 0f) + noiseTrain[i * dim + d];
            }
        }
        for (int i = 0; i < 12; i++) {
            testLabels[i] = (i * 7) % classes;
            for (int d = 0; d < dim; d++) {
                test[i * dim + d] = (d == testLabels[i] ? 3f : 0f) + noiseTest[i * dim + d];   // scale: cosine ignores it
            }
        }
        int[] predicted = KnnProbe.classify(train, trainLabels, test, dim, classes, 20, 0.07f);
        assertThat(KnnProbe.accuracy(predicted, testLabels)).isEqualTo(1.0);
    }

    /**
     * Four training points in 2D, test point (1, 0), k = 3: the neighbours are (1, 0) of class 0
     * (similarity 1), (1, 1) of class 1 (0.7071) and (0, 1) of class 1 (0). At T = 0.07 class 0 gets
     * exp(14.29) = 1.6e6 against exp(10.10) + 1 = 2.4e4: class 0, though the majority says 1. At
     * T = 10 class 0 gets exp(0.1) = 1.105 against exp(0.0707) + 1 = 2.073: class 1.
     */
    @Test
    void theVoteIsWeightedByExpSimilarityOverTemperature() {
        float[] train = {1, 0, 0, 1, 1, 1, -1, 0};
        int[] labels = {0, 1, 1, 0};
        float[] test = {1, 0};
        assertThat(KnnProbe.classify(train, labels, test, 2, 2, 3, 0.07f)).containsExactly(0);
        assertThat(KnnProbe.classify(train, labels, test, 2, 2, 3, 10f)).containsExactly(1);
        // k = 1: the nearest alone.
        assertThat(KnnProbe.classify(train, labels, new float[] {0, 2}, 2, 2, 1, 0.07f)).containsExactly(1);
    }

    @Test
    void featuresComeFromTheEmbeddingAndEveryBlockAndOnlyTheirAveragePoolIsKept() {
        ViTConfig c = new ViTConfig(8, 4, 1, 8, 3, 2, 2f, 2, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
        VisionTransformer classifier = new VisionTransformer(c, new Rng(2));
        ImageDataset data = new ImageDataset("t", bytes(5 * 64), new int[] {0, 1, 0, 1, 0}, 1, 8, 8, List.of("a", "b"), Normalization.unitRange(1));
        float[][] f = KnnProbe.pooledFeatures(classifier, data, 2, Device.CPU, "t");
        assertThat(f).hasNumberOfRows(4);
        assertThat(f[0]).hasSize(5 * 8);
        VisionTransformer pre = new VisionTransformer(PositionPrediction.pretrainingModel(c), new Rng(4));
        double[] acc = KnnProbe.layerAccuracies(pre, data, data, 1, 0.07f, 4, Device.CPU);
        // Each image is its own nearest neighbour (similarity 1) when the test set is the training set.
        assertThat(acc).containsExactly(1.0, 1.0, 1.0, 1.0);
    }

    private static byte[] bytes(int n) {
        float[] u = new Rng(9).uniform(n).toFloatArray();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (u[i] * 255);
        }
        return b;
    }
}

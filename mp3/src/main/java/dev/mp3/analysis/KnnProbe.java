package dev.mp3.analysis;

import dev.mp3.autograd.Grad;
import dev.mp3.autograd.Var;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Tensor;

import java.util.List;

/**
 * The layerwise k-NN probe (paper Appendix C, Figure 9): a frozen encoder's average-pooled patch
 * tokens, taken after the patch embedding (layer 0: the input of the first block, position
 * embedding and cls token included where the model has them) and after every block (before the
 * final norm), classify each test image by its k = 20 nearest training images under cosine
 * similarity, with DINO's weighted vote (Caron et al. 2021): neighbour j adds exp(sim_j / T),
 * T = 0.07, to its class, and the class with the largest total wins (the lower index on a tie).
 * Only the encoder is used, so any ViT checkpoint works; labels come from the dataset. The pool
 * is over the patch tokens only (the cls token left out), as the paper pools the MP3 encoder,
 * which has none.
 */
public final class KnnProbe {
    public static final int K = 20;
    public static final float TEMPERATURE = 0.07f;
    /** Test rows per similarity product (bounds the [rows, train] matrix). */
    private static final int CHUNK = 256;

    private KnnProbe() {}

    /** Top-1 k-NN accuracy of every layer: depth + 1 values, layer 0 = the patch embedding. */
    public static double[] layerAccuracies(VisionTransformer model, ImageDataset train, ImageDataset test, int k,
                                           float temperature, int batchSize, Device device) {
        Require.that(train.numClasses() == test.numClasses(), () -> "KnnProbe: train has " + train.numClasses()
                + " classes, test " + test.numClasses());
        float[][] trainFeatures = pooledFeatures(model, train, batchSize, device, "knn train");
        float[][] testFeatures = pooledFeatures(model, test, batchSize, device, "knn test");
        int dim = model.config.dim();
        double[] acc = new double[trainFeatures.length];
        for (int l = 0; l < acc.length; l++) {
            int[] predicted = classify(trainFeatures[l], train.labels(), testFeatures[l], dim, train.numClasses(), k,
                    temperature);
            acc[l] = accuracy(predicted, test.labels());
        }
        return acc;
    }

    /**
     * The average-pooled patch tokens of every image at every layer: [depth + 1][images * D], in
     * eval mode and without gradients.
     */
    public static float[][] pooledFeatures(VisionTransformer model, ImageDataset data, int batchSize, Device device,
                                           String label) {
        model.eval();
        int layers = model.config.depth() + 1;
        int dim = model.config.dim();
        int cls = model.clsToken != null ? 1 : 0;
        float[][] out = new float[layers][data.size() * dim];
        int[] row = {0};
        try (var off = Grad.disabled()) {
            Forward.each(data, batchSize, label, b -> {
                List<Var> outputs = model.layerOutputs(b.images().to(device), null);
                for (int l = 0; l < layers; l++) {
                    Var x = outputs.get(l);
                    float[] pooled = x.slice(1, cls, x.dim(1)).mean(1, false).value().toFloatArray();
                    System.arraycopy(pooled, 0, out[l], row[0] * dim, pooled.length);
                }
                row[0] += b.size();
            });
        }
        return out;
    }

    /**
     * k-NN classification with cosine similarity and the temperature-weighted vote.
     *
     * @param train  [trainRows * dim] features (need not be normalised)
     * @param test   [testRows * dim]
     * @return the predicted class of every test row
     */
    public static int[] classify(float[] train, int[] trainLabels, float[] test, int dim, int classes, int k,
                                 float temperature) {
        int n = trainLabels.length;
        Require.that(train.length == n * dim && test.length % dim == 0, () -> "KnnProbe: features do not match " + n
                + " training labels of width " + dim);
        Require.that(k >= 1 && temperature > 0, () -> "KnnProbe: k " + k + " must be >= 1 and the temperature positive");
        int kk = Math.min(k, n);
        int rows = test.length / dim;
        Tensor trainT = Tensor.of(normalised(train, dim), n, dim);
        float[] testN = normalised(test, dim);
        int[] predicted = new int[rows];
        int[] topIndex = new int[kk];
        float[] topSim = new float[kk];
        double[] votes = new double[classes];
        for (int start = 0; start < rows; start += CHUNK) {
            int count = Math.min(CHUNK, rows - start);
            float[] chunk = new float[count * dim];
            System.arraycopy(testN, start * dim, chunk, 0, chunk.length);
            float[] sim = Tensor.matmul(Tensor.of(chunk, count, dim), false, trainT, true).toFloatArray();
            for (int r = 0; r < count; r++) {
                int found = topK(sim, r * n, n, kk, topIndex, topSim);
                java.util.Arrays.fill(votes, 0);
                for (int j = 0; j < found; j++) {
                    votes[trainLabels[topIndex[j]]] += Math.exp(topSim[j] / temperature);
                }
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (votes[c] > votes[best]) {
                        best = c;
                    }
                }
                predicted[start + r] = best;
            }
        }
        return predicted;
    }

    /** The fraction of predictions equal to their label. */
    public static double accuracy(int[] predicted, int[] labels) {
        Require.that(predicted.length == labels.length, () -> "KnnProbe: " + predicted.length + " predictions for "
                + labels.length + " labels");
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return labels.length == 0 ? Double.NaN : (double) right / labels.length;
    }

    /** Rows scaled to unit length (a zero row stays zero), so a dot product is the cosine similarity. */
    static float[] normalised(float[] x, int dim) {
        float[] out = new float[x.length];
        for (int r = 0; r < x.length / dim; r++) {
            double ss = 0;
            for (int d = 0; d < dim; d++) {
                ss += (double) x[r * dim + d] * x[r * dim + d];
            }
            double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
            for (int d = 0; d < dim; d++) {
                out[r * dim + d] = (float) (x[r * dim + d] * inv);
            }
        }
        return out;
    }

    /**
     * The k largest of sim[offset .. offset + n) by insertion into a sorted list (highest first; on
     * equal similarity the earlier training image first); returns how many were filled.
     */
    private static int topK(float[] sim, int offset, int n, int k, int[] index, float[] value) {
        int filled = 0;
        for (int j = 0; j < n; j++) {
            float s = sim[offset + j];
            if (filled == k && !(s > value[k - 1])) {
                continue;
            }
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && value[pos - 1] < s) {
                value[pos] = value[pos - 1];
                index[pos] = index[pos - 1];
                pos--;
            }
            value[pos] = s;
            index[pos] = j;
        }
        return filled;
    }
}

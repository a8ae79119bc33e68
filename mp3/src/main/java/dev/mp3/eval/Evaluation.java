package dev.mp3.eval;

import dev.mp3.autograd.Grad;
import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Context;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.ContextMasking;

import java.util.ArrayList;
import java.util.List;

/** Test-set metrics: classification accuracy and MP3's position-prediction accuracy (paper Figure 3). */
public final class Evaluation {
    private Evaluation() {}

    /** Top-1 accuracy of the classifier on a dataset, in eval mode without gradients. */
    public static double accuracy(VisionTransformer model, ImageDataset data, int batchSize, Device device) {
        model.eval();
        long correct = 0;
        try (var off = Grad.disabled()) {
            for (Batch b : Batches.evaluation(data, batchSize).epoch(0)) {
                int[] predicted = model.classify(b.images().to(device)).value().argmax(-1).toIntArray();
                int[] labels = b.labels().toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
            }
        }
        return (double) correct / data.size();
    }

    /**
     * Position accuracy at one test masking ratio: the share of patches whose predicted position
     * (argmax of the position head) is their own, over all patches and over non-blank ones only
     * (a patch is blank when all its pixels equal 0, as Fashion-MNIST's black border patches are:
     * identical patches cannot be told apart, so their position is ambiguous).
     */
    public record PositionAccuracy(float eta, double all, double nonBlank, long patches, long nonBlankPatches) {}

    public static List<PositionAccuracy> positionAccuracy(VisionTransformer model, ImageDataset data, float[] etas,
                                                          int batchSize, long seed, Device device) {
        model.eval();
        int n = model.config.numPatches();
        int p = model.config.patchSize();
        List<PositionAccuracy> out = new ArrayList<>();
        try (var off = Grad.disabled()) {
            for (float eta : etas) {
                Rng rng = new Rng(seed);
                long correct = 0;
                long correctNonBlank = 0;
                long nonBlank = 0;
                long total = 0;
                for (Batch b : Batches.evaluation(data, batchSize).epoch(0)) {
                    Context ctx = ContextMasking.sample(rng, b.size(), n, eta, device);
                    Tensor logits = model.predictPositions(b.images().to(device), ctx).value();
                    int[] predicted = logits.argmax(-1).toIntArray();
                    for (int i = 0; i < b.size(); i++) {
                        boolean[] blank = blankPatches(data, b.indices()[i], p);
                        for (int j = 0; j < n; j++) {
                            boolean hit = predicted[i * n + j] == j;
                            correct += hit ? 1 : 0;
                            if (!blank[j]) {
                                nonBlank++;
                                correctNonBlank += hit ? 1 : 0;
                            }
                        }
                        total += n;
                    }
                }
                out.add(new PositionAccuracy(eta, (double) correct / total,
                        nonBlank == 0 ? Double.NaN : (double) correctNonBlank / nonBlank, total, nonBlank));
            }
        }
        return out;
    }

    /** For each patch of image i (row-major grid order), whether all its pixels in all channels are 0. */
    public static boolean[] blankPatches(ImageDataset data, int i, int p) {
        byte[] px = data.imageBytes(i);
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int gw = w / p;
        boolean[] blank = new boolean[(h / p) * gw];
        java.util.Arrays.fill(blank, true);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (px[(ch * h + y) * w + x] != 0) {
                        blank[(y / p) * gw + x / p] = false;
                    }
                }
            }
        }
        return blank;
    }
}

package dev.mp3.method;

import dev.mp3.autograd.Grad;
import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.eval.Evaluation;
import dev.mp3.nn.Context;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.ProgressBar;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well a pretrained model puts tokens back in place, on held-out data in eval mode (paper
 * Figure 3 for images; Section 4.3's 4% top-1 and 11% top-5 for speech). Masks and contexts come
 * from generators seeded here, so an evaluation gives the same number every time on the same weights.
 */
public final class PositionAccuracy {
    private PositionAccuracy() {}

    /**
     * Image position accuracy at one test masking ratio: the share of patches whose predicted
     * position (argmax of the position head) is their own, over all patches and over non-blank ones
     * (a patch is blank when all its pixels are 0, as Fashion-MNIST's black border patches are:
     * identical patches cannot be told apart, so their position is ambiguous).
     */
    public record Images(float eta, double all, double nonBlank, long patches, long nonBlankPatches) {}

    /**
     * Speech position accuracy over every frame of every clip ({@code top1}, {@code top5}), and
     * over the frames that were given no position embedding, the harder and more telling number: a
     * frame that carries its sinusoid can be read off directly.
     */
    public record Speech(double top1, double top5, double top1WithoutPosition, double top5WithoutPosition,
                         long frames, long framesWithoutPosition) {}

    /** Image position accuracy at each test eta; every eta samples its contexts from {@code Rng(seed)}. */
    public static List<Images> images(VisionTransformer model, ImageDataset data, float[] etas, int batchSize,
                                      long seed, Device device) {
        model.eval();
        int n = model.config.numPatches();
        int p = model.config.patchSize();
        List<Images> out = new ArrayList<>();
        Batches batches = Batches.evaluation(data, batchSize);
        ProgressBar bar = ProgressBar.console("positions", (long) etas.length * batches.stepsPerEpoch(), batchSize,
                "images");
        int done = 0;
        try (var off = Grad.disabled()) {
            for (float eta : etas) {
                Rng rng = new Rng(seed);
                long correct = 0;
                long correctNonBlank = 0;
                long nonBlank = 0;
                long total = 0;
                for (Batch b : batches.epoch(0)) {
                    int[] predicted;
                    try (MemoryScope batchMemory = MemoryScope.open()) {
                        Context ctx = ContextMasking.sample(rng, b.size(), n, eta, device);
                        predicted = PositionPrediction.logits(model, b.images().to(device), ctx).value()
                                .argmax(-1).toIntArray();
                    }
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
                    bar.update(++done, Double.NaN);
                }
                out.add(new Images(eta, (double) correct / total,
                        nonBlank == 0 ? Double.NaN : (double) correctNonBlank / nonBlank, total, nonBlank));
            }
        }
        bar.finish(done, Double.NaN);
        return out;
    }

    /** Speech position accuracy with {@code positionFraction} of each clip's frames given their position. */
    public static Speech speech(SpeechTransformer model, SpeechSplit split, float positionFraction, int batchSize,
                                long seed, Device device) {
        Evaluation.requireEvaluationSplit(split);
        model.eval();
        int t = model.config.frames();
        long top1 = 0;
        long top5 = 0;
        long plainTop1 = 0;
        long plainTop5 = 0;
        long frames = 0;
        long plain = 0;
        List<int[]> batches = split.epoch(batchSize, null);
        ProgressBar bar = ProgressBar.console("positions", batches.size(), batchSize, "clips");
        int done = 0;
        try (var off = Grad.disabled()) {
            for (int[] indices : batches) {
                SpeechBatch b = split.batch(indices, null);
                Tensor mask = PositionMask.forClips(seed, indices, t, positionFraction);
                float[] logits;
                try (MemoryScope batchMemory = MemoryScope.open()) {
                    logits = PositionPrediction.logits(model, b.features().to(device), mask).value().toFloatArray();
                }
                float[] given = mask == null ? null : mask.toFloatArray();
                for (int row = 0; row < indices.length * t; row++) {
                    int target = row % t;
                    boolean hit1 = Evaluation.inTopK(logits, row * t, t, target, 1);
                    boolean hit5 = Evaluation.inTopK(logits, row * t, t, target, 5);
                    top1 += hit1 ? 1 : 0;
                    top5 += hit5 ? 1 : 0;
                    frames++;
                    if (given != null && given[row] == 0f) {
                        plainTop1 += hit1 ? 1 : 0;
                        plainTop5 += hit5 ? 1 : 0;
                        plain++;
                    }
                }
                bar.update(++done, Double.NaN);
            }
        }
        bar.finish(done, Double.NaN);
        return new Speech((double) top1 / frames, (double) top5 / frames,
                plain == 0 ? Double.NaN : (double) plainTop1 / plain, plain == 0 ? Double.NaN : (double) plainTop5 / plain,
                frames, plain);
    }

    /** For each patch of image i (row-major grid order), whether all its pixels in all channels are 0. */
    public static boolean[] blankPatches(ImageDataset data, int i, int p) {
        byte[] px = data.imageBytes(i);
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int gw = w / p;
        boolean[] blank = new boolean[(h / p) * gw];
        Arrays.fill(blank, true);
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

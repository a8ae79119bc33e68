package dev.mp3.analysis;

import dev.mp3.autograd.Grad;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.method.ContextMasking;
import dev.mp3.method.PositionPrediction;
import dev.mp3.method.Reconstruction;
import dev.mp3.nn.Context;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.Png;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two-image reconstructions (paper Appendix F, Figures 14 and 15): the 2N patches of two test
 * images are shuffled together and split into two sets of N; each set is laid out on the patch
 * grid in its shuffled order (the model sees no positions, so the layout is only for drawing) and
 * given to the position head. For every test eta, with a fresh random context per set, one row
 * shows the two originals, then for each set its unordered input with the context patches
 * outlined in green and its reconstruction: every patch placed at its predicted position, patches
 * landing on one position averaged, positions nobody claimed grey ({@link Reconstruction#reassemble}).
 */
public final class TwoImageReconstruction {

    private TwoImageReconstruction() {}

    /**
     * The shuffled split: sets[s][k] is the source of slot k of set s, a value v below n meaning
     * patch v of the first image and v - n patch v - n of the second.
     */
    public static int[][] shuffle(int n, Rng rng) {
        int[] perm = rng.permutationArray(1, 2 * n);
        return new int[][] {Arrays.copyOfRange(perm, 0, n), Arrays.copyOfRange(perm, n, 2 * n)};
    }

    /** The image [C, H, W] whose patch slot k holds source patch sources[k] of a (below n) or b. */
    public static float[] compose(float[] a, float[] b, int[] sources, int c, int h, int w, int p) {
        int gw = w / p;
        int n = (h / p) * gw;
        float[] out = new float[c * h * w];
        for (int k = 0; k < sources.length; k++) {
            int src = sources[k] % n;
            float[] image = sources[k] < n ? a : b;
            int sy = (src / gw) * p;
            int sx = (src % gw) * p;
            int dy = (k / gw) * p;
            int dx = (k % gw) * p;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < p; y++) {
                    for (int x = 0; x < p; x++) {
                        out[(ch * h + dy + y) * w + dx + x] = image[(ch * h + sy + y) * w + sx + x];
                    }
                }
            }
        }
        return out;
    }

    /** One row per eta: image a, image b, then per set the input (context outlined) and the reconstruction. */
    public static BufferedImage render(VisionTransformer model, ImageDataset data, int first, int second, float[] etas,
                                       long seed, Device device) {
        Require.that(model.positionHead != null, "TwoImageReconstruction: the model has no position head (needs a"
                + " pretraining checkpoint)");
        model.eval();
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int p = model.config.patchSize();
        int n = model.config.numPatches();
        int plane = h * w;
        Rng rng = new Rng(seed);
        float[] a = data.unitImage(first);
        float[] b = data.unitImage(second);
        int[][] sets = shuffle(n, rng);
        float[][] inputs = {compose(a, b, sets[0], c, h, w, p), compose(a, b, sets[1], c, h, w, p)};
        Tensor batch = modelInput(data, inputs);
        int columns = 6;
        float[] cells = new float[etas.length * columns * 3 * plane];
        List<String> captions = new ArrayList<>();
        try (var off = Grad.disabled()) {
            for (int r = 0; r < etas.length; r++) {
                int cell = r * columns;
                Reconstruction.rgb(a, c, plane, cells, cell++);
                captions.add("image " + first);
                Reconstruction.rgb(b, c, plane, cells, cell++);
                captions.add("image " + second);
                int[] predicted;
                int m;
                int[] context;
                try (MemoryScope rowMemory = MemoryScope.open()) {   // a device's buffers go back after each row
                    Context ctx = ContextMasking.sample(rng, 2, n, etas[r], device);
                    predicted = PositionPrediction.logits(model, batch.to(device), ctx).value().argmax(-1).toIntArray();
                    m = ctx == null ? n : ctx.size();
                    context = ctx == null ? null : ctx.indices().toIntArray();
                }
                for (int s = 0; s < 2; s++) {
                    Reconstruction.rgb(inputs[s], c, plane, cells, cell);
                    for (int k = 0; k < m; k++) {
                        Reconstruction.outline(cells, cell, context == null ? k : context[s * m + k], h, w, p);
                    }
                    cell++;
                    captions.add(String.format(java.util.Locale.ROOT, "set %d eta %.2f", s + 1, etas[r]));
                    float[] recon = new float[c * plane];
                    Reconstruction.reassemble(inputs[s], Arrays.copyOfRange(predicted, s * n, (s + 1) * n), c, h, w, p,
                            recon, 0);
                    Reconstruction.rgb(recon, c, plane, cells, cell++);
                    captions.add("recon " + (s + 1));
                }
            }
        }
        return Png.grid(cells, etas.length * columns, 3, h, w, columns, Math.max(2, 112 / Math.max(h, w)), captions);
    }

    /** The two composed images as a normalised model batch, as the dataset normalises its own. */
    private static Tensor modelInput(ImageDataset data, float[][] images) {
        int size = images[0].length;
        byte[] pixels = new byte[images.length * size];
        for (int i = 0; i < images.length; i++) {
            for (int k = 0; k < size; k++) {
                // The patches came from bytes / 255, so rounding gives the bytes back exactly.
                pixels[i * size + k] = (byte) Math.round(images[i][k] * 255f);
            }
        }
        ImageDataset mixed = new ImageDataset("two images", pixels, new int[images.length], data.channels(),
                data.height(), data.width(), data.classNames(), data.normalization());
        return Batches.evaluation(mixed, images.length).batch(0, 0).images();
    }
}

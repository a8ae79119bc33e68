package dev.mp3.method;

import dev.mp3.autograd.Grad;
import dev.mp3.data.ImageDataset;
import dev.mp3.nn.Context;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.Png;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Images reassembled from predicted positions (paper Figure 2): the model sees a set of patches
 * without positions, each patch is drawn where the position head places it, and patches that land
 * on the same position are averaged; positions nobody claimed stay grey. Beside each
 * reconstruction are the input as the model sees it, an unordered set (the patches in a random
 * order, the context patches, its keys and values, outlined in green), and the context patches at
 * their true places.
 */
public final class Reconstruction {
    private static final float EMPTY = 0.5f;
    private static final float[] GREEN = {0.1f, 0.85f, 0.2f};

    private Reconstruction() {}

    /**
     * A grid with one row per image: the input, then for every test eta the shuffled input with the
     * context outlined, the context patches in place, and the reconstruction. RGB (grey images repeated).
     */
    public static BufferedImage render(VisionTransformer model, ImageDataset data, int[] images, float[] etas,
                                       long seed, Device device) {
        model.eval();
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int p = model.config.patchSize();
        int n = model.config.numPatches();
        int size = c * h * w;
        int columns = 1 + 3 * etas.length;
        float[] cells = new float[images.length * columns * 3 * h * w];
        float[] one = new float[size];
        List<String> captions = new ArrayList<>();
        Rng rng = new Rng(seed);
        try (var off = Grad.disabled()) {
            for (int r = 0; r < images.length; r++) {
                float[] input = data.unitImage(images[r]);
                Tensor batch = imageBatch(data, images[r]).to(device);
                int cell = r * columns;
                rgb(input, c, h * w, cells, cell);
                captions.add("input");
                for (float eta : etas) {
                    int[] predicted;
                    int[] context;
                    try (MemoryScope etaMemory = MemoryScope.open()) {   // a device's buffers go back after each eta
                        Context ctx = ContextMasking.sample(rng, 1, n, eta, device);
                        predicted = PositionPrediction.logits(model, batch, ctx).value().argmax(-1).toIntArray();
                        context = ctx == null ? allTokens(n) : ctx.indices().toIntArray();
                    }
                    int[] order = rng.permutationArray(1, n);
                    shuffled(input, order, c, h, w, p, one);
                    rgb(one, c, h * w, cells, ++cell);
                    boolean[] inContext = new boolean[n];
                    for (int j : context) {
                        inContext[j] = true;
                    }
                    for (int slot = 0; slot < n; slot++) {
                        if (inContext[order[slot]]) {
                            outline(cells, cell, slot, h, w, p);
                        }
                    }
                    captions.add("shuffled " + fmt(eta));
                    contextView(input, context, c, h, w, p, one, 0);
                    rgb(one, c, h * w, cells, ++cell);
                    captions.add("ctx " + fmt(eta));
                    reassemble(input, predicted, c, h, w, p, one, 0);
                    rgb(one, c, h * w, cells, ++cell);
                    captions.add("recon " + fmt(eta));
                }
            }
        }
        return Png.grid(cells, images.length * columns, 3, h, w, columns, 3, captions);
    }

    /** The patches of {@code image} in the order {@code order}: slot s shows patch order[s] (what the model gets, unordered). */
    static void shuffled(float[] image, int[] order, int c, int h, int w, int p, float[] out) {
        int gw = w / p;
        for (int slot = 0; slot < order.length; slot++) {
            copyPatch(image, order[slot], slot, c, h, w, p, gw, out, 0, 1f, false);
        }
    }

    /** A [C, H, W] unit image as RGB into cell {@code cell} of {@code cells} (grey repeated into three channels). */
    public static void rgb(float[] image, int c, int plane, float[] cells, int cell) {
        for (int ch = 0; ch < 3; ch++) {
            System.arraycopy(image, (c == 1 ? 0 : ch) * plane, cells, (cell * 3 + ch) * plane, plane);
        }
    }

    /** A one-pixel green frame around patch slot k of RGB cell {@code cell}: a context patch. */
    public static void outline(float[] cells, int cell, int k, int h, int w, int p) {
        int plane = h * w;
        int y0 = (k / (w / p)) * p;
        int x0 = (k % (w / p)) * p;
        for (int y = y0; y < y0 + p; y++) {
            for (int x = x0; x < x0 + p; x++) {
                if (y == y0 || y == y0 + p - 1 || x == x0 || x == x0 + p - 1) {
                    for (int ch = 0; ch < 3; ch++) {
                        cells[(cell * 3 + ch) * plane + y * w + x] = GREEN[ch];
                    }
                }
            }
        }
    }

    private static Tensor imageBatch(ImageDataset data, int i) {
        return dev.mp3.data.Batches.evaluation(data.subset(new int[] {i}), 1).batch(0, 0).images();
    }

    private static int[] allTokens(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    private static String fmt(float eta) {
        return String.format("%.2f", eta);
    }

    /** Only the context patches, at their true positions; the rest grey. */
    static void contextView(float[] image, int[] context, int c, int h, int w, int p, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + c * h * w, EMPTY);
        int gw = w / p;
        for (int j : context) {
            copyPatch(image, j, j, c, h, w, p, gw, out, offset, 1f, false);
        }
    }

    /** Patch j drawn at position predicted[j]; collisions averaged; unclaimed positions grey. */
    public static void reassemble(float[] image, int[] predicted, int c, int h, int w, int p, float[] out, int offset) {
        int gw = w / p;
        int n = predicted.length;
        int[] hits = new int[n];
        for (int pos : predicted) {
            hits[pos]++;
        }
        java.util.Arrays.fill(out, offset, offset + c * h * w, 0f);
        for (int j = 0; j < n; j++) {
            copyPatch(image, j, predicted[j], c, h, w, p, gw, out, offset, 1f / hits[predicted[j]], true);
        }
        for (int pos = 0; pos < n; pos++) {
            if (hits[pos] == 0) {
                copyPatch(null, pos, pos, c, h, w, p, gw, out, offset, 0f, false);
            }
        }
    }

    /** Adds (or sets) weight * patch src of image into patch slot dst of out; a null image paints grey. */
    private static void copyPatch(float[] image, int src, int dst, int c, int h, int w, int p, int gw, float[] out,
                                  int offset, float weight, boolean accumulate) {
        int sy = (src / gw) * p;
        int sx = (src % gw) * p;
        int dy = (dst / gw) * p;
        int dx = (dst % gw) * p;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < p; y++) {
                for (int x = 0; x < p; x++) {
                    int o = offset + (ch * h + dy + y) * w + dx + x;
                    float v = image == null ? EMPTY : image[(ch * h + sy + y) * w + sx + x];
                    out[o] = accumulate ? out[o] + weight * v : v;
                }
            }
        }
    }
}

package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;

/**
 * Splits images [B, C, H, W] into non-overlapping p x p patches and projects each to D. This is
 * timm's stride-p convolution {@code proj} with weight [D, C, p, p], computed as patchify + matmul:
 * flattening a patch in (C, p, p) order lines it up with the flattened weight rows.
 */
public final class PatchEmbed extends Module {

    /** The convolution's tensors, a child named {@code proj} as in timm. */
    public static final class Projection extends Module {
        public final Parameter weight;
        public final Parameter bias;

        Projection(int channels, int patch, int dim, Rng rng) {
            // PyTorch's default Conv2d init (timm leaves the patch projection to it): U(-1/sqrt(fan_in), +).
            float bound = (float) (1.0 / Math.sqrt(channels * patch * patch));
            this.weight = parameter("weight", Init.uniform(rng, bound, dim, channels, patch, patch), true);
            this.bias = parameter("bias", Init.uniform(rng, bound, dim), false);
        }
    }

    public final Projection proj;
    private final int patch;
    private final int channels;
    private final int dim;

    public PatchEmbed(int channels, int patch, int dim, Rng rng) {
        this.patch = patch;
        this.channels = channels;
        this.dim = dim;
        this.proj = child("proj", new Projection(channels, patch, dim, rng));
    }

    /** images [B, C, H, W] to tokens [B, (H/p)(W/p), D], patches in row-major grid order. */
    public Var forward(Var images) {
        Require.that(images.rank() == 4 && images.dim(1) == channels, () -> "PatchEmbed: images " + Shape.str(images.shape())
                + " must be [batch, " + channels + ", height, width]");
        Var weight = proj.weight.var().reshape(dim, channels * patch * patch);
        return patchify(images, patch).linear(weight, proj.bias.var());
    }

    /** images [B, C, H, W] to patches [B, (H/p)(W/p), C*p*p], each flattened in (C, p, p) order. */
    public static Var patchify(Var images, int p) {
        Require.that(images.rank() == 4, () -> "patchify: images " + Shape.str(images.shape()) + " must be [batch, C, H, W]");
        int b = images.dim(0);
        int c = images.dim(1);
        int h = images.dim(2);
        int w = images.dim(3);
        Require.that(h % p == 0 && w % p == 0, () -> "patchify: image size " + h + "x" + w
                + " is not divisible by the patch size " + p);
        return images.reshape(b, c, h / p, p, w / p, p)
                .permute(0, 2, 4, 1, 3, 5)
                .reshape(b, (h / p) * (w / p), c * p * p);
    }
}

package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A Vision Transformer (Dosovitskiy et al. 2021) with timm's parameter names. Two generic options
 * serve MP3's pretraining ({@code dev.mp3.method} in the mp3 module has the method itself): the
 * encoder takes an optional {@link Context}, the tokens that alone provide keys and values in
 * every attention layer, and the model may carry a linear head on every patch token
 * ({@code position_head}, D to N outputs) besides the classifier on the cls token.
 *
 * <pre>
 * images [B, C, H, W] -> patch_embed -> [B, N, D]
 *   (+ cls_token in front) (+ pos_embed) -> dropout
 *   -> blocks (each: x + attn(norm1 x), x + mlp(norm2 x))      context: keys/values from M tokens
 *   -> norm -> head on the cls token (classification)  |  position_head on every patch (MP3)
 * </pre>
 */
public final class VisionTransformer extends Module {
    public final ViTConfig config;
    /** [1, 1, D]; null without a cls token. */
    public final Parameter clsToken;
    /** [1, tokens, D], learned or a fixed buffer; null for relative or no position embedding. */
    public final Parameter posEmbed;
    public final PatchEmbed patchEmbed;
    public final ModuleList<Block> blocks;
    public final LayerNorm norm;
    /** The classifier; null when numClasses is 0. */
    public final Linear head;
    /** A linear head on every patch token, D -> N (MP3 classifies each patch's position with it); null unless configured. */
    public final Linear positionHead;
    private final Dropout posDrop;

    /** Builds the model on the CPU with timm's initialisation drawn from {@code rng}. */
    public VisionTransformer(ViTConfig config, Rng rng) {
        this.config = config;
        int dim = config.dim();
        int grid = config.grid();
        this.clsToken = config.clsToken() ? parameter("cls_token", Init.normal(rng, 1e-6f, 1, 1, dim), false) : null;
        this.posEmbed = switch (config.posEmbed()) {
            case LEARNED -> parameter("pos_embed", Init.truncNormal(rng, 0.02f, 1, config.tokens(), dim), false);
            case SINCOS_1D -> buffer("pos_embed", fixedTable(SinCos.oneD(config.numPatches(), dim)));
            case SINCOS_2D -> buffer("pos_embed", fixedTable(SinCos.twoD(grid, grid, dim)));
            case RELATIVE, NONE -> null;
        };
        this.patchEmbed = child("patch_embed", new PatchEmbed(config.channels(), config.patchSize(), dim, rng));
        this.posDrop = child("pos_drop", new Dropout(config.dropout()));
        RelativePosition relative = config.posEmbed() == PositionEmbedding.RELATIVE
                ? new RelativePosition(grid, grid, config.clsToken()) : null;
        this.blocks = child("blocks", new ModuleList<>());
        for (int i = 0; i < config.depth(); i++) {
            float dropPath = config.depth() == 1 ? 0f : config.dropPath() * i / (config.depth() - 1);
            blocks.add(new Block(dim, config.heads(), config.mlpHidden(), Mlp.Activation.GELU, config.dropout(),
                    dropPath, config.layerNormEps(), relative, rng));
        }
        this.norm = child("norm", new LayerNorm(dim, config.layerNormEps()));
        this.head = config.numClasses() > 0 ? child("head", new Linear(dim, config.numClasses(), true, rng)) : null;
        this.positionHead = config.positionHead()
                ? child("position_head", new Linear(dim, config.numPatches(), true, rng)) : null;
        train(rng.fork());
    }

    /** A patch table [N, D] as [1, tokens, D], with a zero row for the cls token (as MAE). */
    private Tensor fixedTable(float[] patches) {
        int dim = config.dim();
        int cls = config.clsToken() ? 1 : 0;
        float[] table = new float[(cls + config.numPatches()) * dim];
        System.arraycopy(patches, 0, table, cls * dim, patches.length);
        return Tensor.of(table, 1, cls + config.numPatches(), dim);
    }

    /**
     * The encoder: images [B, C, H, W] to normalised tokens [B, tokens, D] (cls token first when
     * present). {@code context} (null for full attention) selects the key/value tokens of every block;
     * a context needs a model without a cls token (MP3 pretrains without one), so one with it is rejected.
     */
    public Var encode(Var images, Context context) {
        Var x = embed(images, context);
        for (Block block : blocks) {
            x = block.forward(x, context);
        }
        return norm.forward(x);
    }

    /**
     * The token sequence [B, tokens, D] entering the first block (patch embedding, cls token and
     * position embedding) and leaving every block, before the final norm: depth + 1 entries, for
     * layerwise analyses such as a KNN probe. Same arguments as {@link #encode}.
     */
    public List<Var> layerOutputs(Tensor images, Context context) {
        List<Var> out = new ArrayList<>();
        Var x = embed(Var.constant(images), context);
        out.add(x);
        for (Block block : blocks) {
            x = block.forward(x, context);
            out.add(x);
        }
        return out;
    }

    /** Patch embedding, cls token and position embedding, then dropout: the input of the first block. */
    private Var embed(Var images, Context context) {
        Require.that(images.rank() == 4 && images.dim(2) == config.imageSize() && images.dim(3) == config.imageSize(),
                () -> "VisionTransformer: images " + Shape.str(images.shape()) + " must be [batch, " + config.channels()
                        + ", " + config.imageSize() + ", " + config.imageSize() + "]");
        Var x = patchEmbed.forward(images);
        int b = x.dim(0);
        if (clsToken != null) {
            if (context != null) {
                throw new IllegalArgumentException("VisionTransformer: a context subset needs a model without a cls token"
                        + " (MP3 pretraining); finetuning with a cls token uses full attention");
            }
            x = Var.concat(List.of(clsToken.var().expand(b, 1, config.dim()), x), 1);
        }
        if (posEmbed != null) {
            x = x.add(posEmbed.var());
        }
        return posDrop.forward(x);
    }

    /** Class logits [B, numClasses] from the cls token (or the mean token without one). */
    public Var classify(Tensor images) {
        Require.that(head != null, "VisionTransformer: classify needs a classifier head (numClasses > 0)");
        Var x = encode(Var.constant(images), null);
        Var pooled = clsToken != null ? x.select(1, 0) : x.mean(1, false);
        return head.forward(pooled);
    }

    /** The encoder's output for the N patch tokens [B, N, D] (the cls token, if any, left out); context may be null. */
    public Var patchTokens(Tensor images, Context context) {
        Var x = encode(Var.constant(images), context);
        return clsToken != null ? x.slice(1, 1, x.dim(1)) : x;
    }
}

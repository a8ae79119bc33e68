package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.List;

/**
 * The speech model of the paper's Section 4.3: each 40-coefficient frame is a 1D patch, projected
 * linearly to the model width; a fixed sinusoidal position embedding is added; a learnable cls frame
 * goes in front; 8 Transformer blocks follow. For MP3 on speech the position embedding is added only
 * to a given subset of frames per example ("a random 5% of the frames"), the rest stay
 * position-free, and the position head classifies every frame's index.
 *
 * <pre>
 * frames [B, T, 40] -> frame_embed -> [B, T, D] (+ pos_embed on the masked-in frames)
 *   -> cls_token in front -> dropout -> blocks -> norm
 *   -> head on the cls frame (keywords)  |  position_head on every frame (MP3)
 * </pre>
 *
 * <p>Choices the paper leaves open: blocks are pre-norm with a final norm (the same block as the
 * ViT), ReLU feed-forward as in the vanilla Transformer, and the cls frame gets no position.
 */
public final class SpeechTransformer extends Module {
    public final SpeechConfig config;
    /** [1, 1, D]. */
    public final Parameter clsToken;
    /** The fixed sinusoid [1, T, D], a buffer. */
    public final Parameter posEmbed;
    public final Linear frameEmbed;
    public final ModuleList<Block> blocks;
    public final LayerNorm norm;
    /** The keyword classifier; null when numClasses is 0. */
    public final Linear head;
    /** A linear head on every frame token, D -> T (MP3 classifies each frame's index with it); null unless configured. */
    public final Linear positionHead;
    private final Dropout inputDrop;

    public SpeechTransformer(SpeechConfig config, Rng rng) {
        this.config = config;
        int dim = config.dim();
        this.clsToken = parameter("cls_token", Init.normal(rng, 1e-6f, 1, 1, dim), false);
        this.posEmbed = buffer("pos_embed", Tensor.of(SinCos.oneD(config.frames(), dim), 1, config.frames(), dim));
        this.frameEmbed = child("frame_embed", new Linear(config.features(), dim, true, rng));
        this.inputDrop = child("pos_drop", new Dropout(config.dropout()));
        this.blocks = child("blocks", new ModuleList<>());
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(new Block(dim, config.heads(), config.ffDim(), Mlp.Activation.RELU, config.dropout(), 0f,
                    config.layerNormEps(), null, rng));
        }
        this.norm = child("norm", new LayerNorm(dim, config.layerNormEps()));
        this.head = config.numClasses() > 0 ? child("head", new Linear(dim, config.numClasses(), true, rng)) : null;
        this.positionHead = config.positionHead()
                ? child("position_head", new Linear(dim, config.frames(), true, rng)) : null;
        train(rng.fork());
    }

    /**
     * The encoder: frames [B, T, F] to normalised tokens [B, 1 + T, D], the cls frame first.
     * {@code positionMask} (F32 [B, T], 1 where a frame gets its position embedding, 0 where not)
     * selects the frames that carry position; null gives every frame its position.
     */
    public Var encode(Var frames, Tensor positionMask) {
        int t = config.frames();
        Require.that(frames.rank() == 3 && frames.dim(1) == t && frames.dim(2) == config.features(),
                () -> "SpeechTransformer: frames " + Shape.str(frames.shape()) + " must be [batch, " + t + ", "
                        + config.features() + "]");
        int b = frames.dim(0);
        Var x = frameEmbed.forward(frames);
        Tensor pe = posEmbed.value();
        if (positionMask != null) {
            positionMask.requireType(DType.F32, "SpeechTransformer position mask");
            positionMask.requireShape("SpeechTransformer position mask", b, t);
            pe = pe.mul(positionMask.to(pe.device()).unsqueeze(2));
        }
        x = x.add(Var.constant(pe));
        x = Var.concat(List.of(clsToken.var().expand(b, 1, config.dim()), x), 1);
        x = inputDrop.forward(x);
        for (Block block : blocks) {
            x = block.forward(x, null);
        }
        return norm.forward(x);
    }

    /** Keyword logits [B, numClasses] from the cls frame. */
    public Var classify(Tensor frames, Tensor positionMask) {
        Require.that(head != null, "SpeechTransformer: classify needs a classifier head (numClasses > 0)");
        return head.forward(encode(Var.constant(frames), positionMask).select(1, 0));
    }

    /** The encoder's output for the T frames [B, T, D], the cls frame left out. */
    public Var frameTokens(Tensor frames, Tensor positionMask) {
        Var x = encode(Var.constant(frames), positionMask);
        return x.slice(1, 1, x.dim(1));
    }
}

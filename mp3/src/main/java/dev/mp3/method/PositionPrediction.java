package dev.mp3.method;

import dev.mp3.autograd.Var;
import dev.mp3.nn.Context;
import dev.mp3.nn.Losses;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MP3's pretraining model and objective (paper Section 3.2 and Algorithm 1's {@code mp3_loss}).
 * The encoder gets no position information; a linear head after the last layer, D to N, scores
 * every position for every token; the target of token i is i, and the loss is the mean cross
 * entropy over all tokens of all examples. Section 3.3's finetuning then drops the head.
 */
public final class PositionPrediction {
    private PositionPrediction() {}

    /** The pretraining ViT: no cls token, no position embedding, the position head and no classifier. */
    public static ViTConfig pretrainingModel(ViTConfig encoder) {
        return encoder.withClasses(0).withClsToken(false).withPosEmbed(PositionEmbedding.NONE).withPositionHead(true);
    }

    /**
     * The pretraining speech Transformer: the position head over frames and no classifier. (Its
     * sinusoidal position embedding stays; {@link PositionMask} gives it to a few frames only.)
     */
    public static SpeechConfig pretrainingModel(SpeechConfig encoder) {
        return new SpeechConfig(encoder.frames(), encoder.features(), encoder.dim(), encoder.depth(), encoder.heads(),
                encoder.ffDim(), encoder.dropout(), 0, true, encoder.layerNormEps());
    }

    /** Position logits [B, N, N]: for every patch a score for every position; {@code context} null for full attention. */
    public static Var logits(VisionTransformer model, Tensor images, Context context) {
        requireHead(model.positionHead != null, "VisionTransformer");
        return model.positionHead.forward(model.patchTokens(images, context));
    }

    /** Position logits [B, T, T]: for every frame a score for every frame index. */
    public static Var logits(SpeechTransformer model, Tensor frames, Tensor positionMask) {
        requireHead(model.positionHead != null, "SpeechTransformer");
        return model.positionHead.forward(model.frameTokens(frames, positionMask));
    }

    /** The targets: every token's own index, I32 [batch, n] on {@code device}. */
    public static Tensor targets(int batch, int n, Device device) {
        int[] t = new int[batch * n];
        for (int i = 0; i < t.length; i++) {
            t[i] = i % n;
        }
        return Tensor.ofInts(t, batch, n).to(device);
    }

    /** The mean cross entropy of position logits [B, N, N] against {@link #targets}. */
    public static Var loss(Var logits, Tensor targets, float labelSmoothing) {
        return Losses.crossEntropy(logits, targets, labelSmoothing);
    }

    /** A pretrained state without its heads: finetuning adds a fresh classifier and no position head. */
    public static Map<String, Tensor> encoderOnly(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.keySet().removeIf(k -> k.startsWith("head.") || k.startsWith("position_head."));
        return out;
    }

    private static void requireHead(boolean present, String model) {
        if (!present) {
            throw new IllegalArgumentException(model + ": position prediction needs the position head (a model made"
                    + " with PositionPrediction.pretrainingModel)");
        }
    }
}

package dev.mp3.train;

import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.TcResNetConfig;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * Checks that a checkpoint's model config agrees with the tensors it holds, before anyone builds a
 * model from the config: every size the config sets (width, depth, patch, hidden widths, classes,
 * positions) shows in the shape of some tensor, so a damaged or edited config cannot make the
 * reader allocate a model far larger than the file.
 */
final class ModelShapes {
    private ModelShapes() {}

    static void check(Record model, Map<String, Tensor> state, String source) {
        switch (model) {
            case ViTConfig c -> {
                int last = c.depth() - 1;
                expect(state, source, "patch_embed.proj.weight", c.dim(), c.channels(), c.patchSize(), c.patchSize());
                expect(state, source, "blocks." + last + ".mlp.fc1.weight", c.mlpHidden(), c.dim());
                absent(state, source, "blocks." + c.depth() + ".norm1.weight", c.depth() + " blocks");
                if (c.posEmbed() != PositionEmbedding.NONE && c.posEmbed() != PositionEmbedding.RELATIVE) {
                    expect(state, source, "pos_embed", 1, c.tokens(), c.dim());
                }
                if (c.posEmbed() == PositionEmbedding.RELATIVE) {
                    int side = 2 * c.grid() - 1;
                    expect(state, source, "blocks.0.attn.relative_position_bias_table", side * side + 3, c.heads());
                }
                if (c.numClasses() > 0) {
                    expect(state, source, "head.weight", c.numClasses(), c.dim());
                }
                if (c.positionHead()) {
                    expect(state, source, "position_head.weight", c.numPatches(), c.dim());
                }
            }
            case SpeechConfig c -> {
                expect(state, source, "frame_embed.weight", c.dim(), c.features());
                expect(state, source, "pos_embed", 1, c.frames(), c.dim());
                expect(state, source, "blocks." + (c.depth() - 1) + ".mlp.fc1.weight", c.ffDim(), c.dim());
                absent(state, source, "blocks." + c.depth() + ".norm1.weight", c.depth() + " blocks");
                if (c.numClasses() > 0) {
                    expect(state, source, "head.weight", c.numClasses(), c.dim());
                }
                if (c.positionHead()) {
                    expect(state, source, "position_head.weight", c.frames(), c.dim());
                }
            }
            case TcResNetConfig c -> {
                int first = Math.round(16 * c.width());
                int last = Math.round(48 * c.width());
                expect(state, source, "conv.weight", first, c.features(), 3);
                expect(state, source, "blocks.2.conv2.weight", last, last, 9);
                absent(state, source, "blocks.3.conv1.weight", "three residual blocks");
                expect(state, source, "fc.weight", c.numClasses(), last);
            }
            default -> throw new IllegalArgumentException(source + ": no shape rules for a " + model.getClass());
        }
    }

    private static void expect(Map<String, Tensor> state, String source, String name, int... shape) {
        Tensor t = state.get(name);
        if (t == null) {
            throw new IllegalArgumentException(source + ": its model config needs tensor '" + name + "' "
                    + Shape.str(shape) + ", which the file lacks (the metadata and the tensors disagree)");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(source + ": its model config gives tensor '" + name + "' the shape "
                    + Shape.str(shape) + ", but the file holds " + Shape.str(t.shape())
                    + " (the metadata and the tensors disagree)");
        }
    }

    private static void absent(Map<String, Tensor> state, String source, String name, String what) {
        if (state.containsKey(name)) {
            throw new IllegalArgumentException(source + ": its model config says " + what + ", but the file holds '"
                    + name + "' (the metadata and the tensors disagree)");
        }
    }
}

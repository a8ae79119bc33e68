package dev.mp3.nn;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

/**
 * The tokens that provide keys and values in attention: for each example, the indices of M of its
 * N tokens; queries still come from all N. MP3 pretraining samples one at random per example
 * ({@code dev.mp3.method.ContextMasking} in the mp3 module). The same context serves every block, so
 * the flat row numbers b*N + index into a [B*N, D] view are computed once here.
 *
 * @param indices  I32 [B, M], values in [0, tokens)
 * @param flatRows I32 [B, M], b * tokens + indices[b, m], on the same device
 * @param tokens   N, the number of tokens the indices refer to
 * @param inverse  I32 [B * N]: for each flat row, its position b * M + m in flatRows, or -1 for a
 *                 row outside the context; null when an example repeats an index. With it the
 *                 backward of the key/value gather is one gather ({@code Var.indexSelect(idx, inverse)})
 */
public record Context(Tensor indices, Tensor flatRows, int tokens, Tensor inverse) {

    /** Validates the indices (on the host) and builds the flat rows on their device. */
    public static Context of(Tensor indices, int tokens) {
        indices.requireType(DType.I32, "Context indices");
        Require.that(indices.rank() == 2 && indices.dim(1) >= 1, () -> "Context: indices must be [batch, M] with M >= 1, got "
                + Shape.str(indices.shape()));
        int b = indices.dim(0);
        int m = indices.dim(1);
        Require.that(m <= tokens, () -> "Context: " + m + " context tokens out of only " + tokens);
        int[] idx = indices.toIntArray();
        int[] flat = new int[idx.length];
        int[] inverse = new int[b * tokens];
        java.util.Arrays.fill(inverse, -1);
        boolean distinct = true;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= tokens) {
                throw new IllegalArgumentException("Context: index " + idx[i] + " of example " + (i / m)
                        + " out of range [0, " + tokens + ")");
            }
            flat[i] = (i / m) * tokens + idx[i];
            distinct &= inverse[flat[i]] == -1;
            inverse[flat[i]] = i;
        }
        return new Context(indices, Tensor.ofInts(flat, b, m).to(indices.device()), tokens,
                distinct ? Tensor.ofInts(inverse, b * tokens).to(indices.device()) : null);
    }

    /** This context's tensors on {@code device}. */
    public Context to(dev.mp3.tensor.Device device) {
        return new Context(indices.to(device), flatRows.to(device), tokens, inverse == null ? null : inverse.to(device));
    }

    public int batch() {
        return indices.dim(0);
    }

    /** M, the number of context tokens per example. */
    public int size() {
        return indices.dim(1);
    }
}

package dev.mp3.method;

import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

/**
 * Which frames of each example get the sinusoidal position embedding (paper Section 4.3: "provide
 * positional information for a randomly chosen 5% of the patches for every sample"). Each example
 * draws its own frames: the first k entries of a random permutation of 0..T-1, k =
 * round(fraction * T), so at 5% exactly 5 of the 98 MFCC frames carry their position and the other
 * 93 carry none.
 *
 * <p>The mask is F32 [B, T] with 1 where a frame gets its position, as
 * {@link dev.mp3.nn.SpeechTransformer#encode} takes it. A fraction of 1 means every frame (the
 * ordinary model) and returns null, which the model reads the same way without a multiply.
 */
public final class PositionMask {
    private PositionMask() {}

    /** k, the number of frames out of {@code frames} that get their position. */
    public static int count(int frames, float fraction) {
        Require.that(fraction >= 0f && fraction <= 1f, () -> "position fraction " + fraction + " must lie in [0, 1]");
        return Math.round(fraction * frames);
    }

    /**
     * A mask for a batch: null when every frame gets its position (no random draw then), all zeros
     * when none does (no draw either), else k ones per row at positions drawn from {@code rng}.
     */
    public static Tensor sample(Rng rng, int batch, int frames, float fraction) {
        int k = count(frames, fraction);
        if (k == frames) {
            return null;
        }
        float[] mask = new float[batch * frames];
        if (k > 0) {
            int[] perms = rng.permutationArray(batch, frames);
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < k; i++) {
                    mask[b * frames + perms[b * frames + i]] = 1f;
                }
            }
        }
        return Tensor.of(mask, batch, frames);
    }

    /**
     * The masks of the clips at {@code indices} for evaluation: clip i's from stream (seed, i), so a
     * clip gets the same frames whichever batch it falls in; null when every frame has its position.
     */
    public static Tensor forClips(long seed, int[] indices, int frames, float fraction) {
        if (count(frames, fraction) == frames) {
            return null;
        }
        float[] out = new float[indices.length * frames];
        for (int b = 0; b < indices.length; b++) {
            float[] row = sample(new Rng(seed, indices[b]), 1, frames, fraction).toFloatArray();
            System.arraycopy(row, 0, out, b * frames, frames);
        }
        return Tensor.of(out, indices.length, frames);
    }
}

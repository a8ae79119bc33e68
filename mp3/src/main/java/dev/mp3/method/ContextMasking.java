package dev.mp3.method;

import dev.mp3.nn.Context;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

/**
 * MP3's context sampling (paper, Section 3.2 and Algorithm 1's mask_sample): for each example a
 * random permutation of its N token positions; the first M = N - floor(eta * N) of them are the
 * context, whose tokens alone provide keys and values in every attention layer of that forward
 * pass. eta = 0 keeps every token, which is ordinary full attention.
 */
public final class ContextMasking {
    private ContextMasking() {}

    /** M, the number of context tokens out of n at masking ratio eta. */
    public static int contextSize(int n, float eta) {
        Require.that(eta >= 0f && eta < 1f, () -> "masking ratio eta " + eta + " must lie in [0, 1)");
        return n - (int) Math.floor(eta * n);
    }

    /**
     * A context for a batch, or null when eta keeps every token (full attention needs no gather,
     * and attention does not depend on the order of its keys).
     */
    public static Context sample(Rng rng, int batch, int n, float eta, Device device) {
        return sample(rng, batch, n, eta, device, 0, batch);
    }

    /**
     * Rows {@code [from, to)} of the context {@link #sample(Rng, int, int, float, Device)} draws
     * for a batch of {@code batch} (a data-parallel shard's): the stream advances as for the whole
     * batch.
     */
    public static Context sample(Rng rng, int batch, int n, float eta, Device device, int from, int to) {
        Require.that(0 <= from && from < to && to <= batch, () -> "context rows [" + from + ", " + to + ") of a batch of "
                + batch);
        int m = contextSize(n, eta);
        if (m == n) {
            return null;
        }
        int[] perms = rng.permutationArray(batch, n);
        int rows = to - from;
        int[] context = new int[rows * m];
        for (int b = 0; b < rows; b++) {
            System.arraycopy(perms, (from + b) * n, context, b * m, m);
        }
        // Validated and flattened on the host, then sent to the device once.
        Context host = Context.of(Tensor.ofInts(context, rows, m), n);
        return device.isCpu() ? host : host.to(device);
    }
}

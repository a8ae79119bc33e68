package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;

/**
 * 1-D convolution over [B, in, L] (PyTorch's nn.Conv1d, zero padding): weight [out, in / groups,
 * kernel] and an optional bias [out], both drawn as PyTorch draws them, uniform in
 * +-1/sqrt(in / groups * kernel).
 */
public final class Conv1d extends Module {
    public final Parameter weight;
    /** Null for a layer without bias. */
    public final Parameter bias;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;

    public Conv1d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias, Rng rng) {
        Require.that(groups >= 1 && in % groups == 0 && out % groups == 0, () -> "Conv1d: groups " + groups
                + " must divide the " + in + " input and " + out + " output channels");
        Require.that(kernel >= 1, () -> "Conv1d: kernel size " + kernel + " must be >= 1");
        float bound = (float) (1 / Math.sqrt((double) in / groups * kernel));
        this.weight = parameter("weight", Init.uniform(rng, bound, out, in / groups, kernel), true);
        this.bias = bias ? parameter("bias", Init.uniform(rng, bound, out), false) : null;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    /** Without dilation or groups. */
    public Conv1d(int in, int out, int kernel, int stride, int padding, boolean bias, Rng rng) {
        this(in, out, kernel, stride, padding, 1, 1, bias, rng);
    }

    /** x [B, in, L] to [B, out, outLength]; see {@link Var#conv1d}. */
    public Var forward(Var x) {
        return x.conv1d(weight.var(), bias == null ? null : bias.var(), stride, padding, dilation, groups);
    }
}

package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

/**
 * Batch norm over [B, C, L] or [B, C] per channel (PyTorch's nn.BatchNorm1d): a learned scale
 * ("weight", ones) and shift ("bias", zeros), and the buffers running_mean (zeros) and running_var
 * (ones). In training mode it normalises with the batch's mean and biased variance and moves the
 * running statistics by {@code momentum} towards the batch's mean and unbiased variance
 * (running = (1 - momentum) running + momentum batch); in eval mode it normalises with the running
 * statistics. PyTorch's num_batches_tracked is not kept (it only matters for momentum=None).
 */
public final class BatchNorm1d extends Module {
    public final Parameter weight;
    public final Parameter bias;
    public final Parameter runningMean;
    public final Parameter runningVar;
    private final float eps;
    private final float momentum;

    public BatchNorm1d(int channels, float eps, float momentum) {
        this.weight = parameter("weight", Init.ones(channels), false);
        this.bias = parameter("bias", Init.zeros(channels), false);
        this.runningMean = buffer("running_mean", Init.zeros(channels));
        this.runningVar = buffer("running_var", Init.ones(channels));
        this.eps = eps;
        this.momentum = momentum;
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm1d(int channels) {
        this(channels, 1e-5f, 0.1f);
    }

    public int channels() {
        return weight.shape()[0];
    }

    /** x [B, C, L] or [B, C], normalised per channel; in training mode the running statistics move. */
    public Var forward(Var x) {
        int c = channels();
        Require.that((x.rank() == 2 || x.rank() == 3) && x.dim(1) == c, () -> "BatchNorm1d: input must be [B, " + c
                + ", L] or [B, " + c + "], got " + Shape.str(x.shape()));
        Var x3 = x.rank() == 2 ? x.unsqueeze(2) : x;
        Var y;
        if (isTraining()) {
            int n = x3.dim(0) * x3.dim(2);
            Require.that(n > 1, () -> "BatchNorm1d: training needs more than one value per channel, got input "
                    + Shape.str(x.shape()));
            Var.BatchNorm r = x3.batchNorm(weight.var(), bias.var(), eps);
            updateRunningStatistics(r.mean(), r.rstd(), n);
            y = r.y();
        } else {
            Tensor scale = runningVar.value().add(eps).rsqrt();
            Var s = weight.var().mul(Var.constant(scale)).reshape(c, 1);
            y = x3.sub(Var.constant(runningMean.value().reshape(c, 1))).mul(s).add(bias.var().reshape(c, 1));
        }
        return x.rank() == 2 ? y.squeeze(2) : y;
    }

    /** The biased variance is 1 / rstd^2 - eps (clamped at 0 against rounding); n / (n - 1) unbiases it. */
    private void updateRunningStatistics(Tensor mean, Tensor rstd, int n) {
        Tensor biased = Tensor.full(1f, channels()).to(rstd.device()).div(rstd.square()).add(-eps).relu();
        Tensor rm = runningMean.value();
        Tensor rv = runningVar.value();
        rm.scaleInPlace(1f - momentum);
        rm.axpyInPlace(momentum, mean);
        rv.scaleInPlace(1f - momentum);
        rv.axpyInPlace(momentum * n / (n - 1f), biased);
    }
}

package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Tensor;

/**
 * Zeroes each element with probability p during training and scales the rest by 1/(1-p), so the
 * expected value is unchanged and evaluation is the identity (inverted dropout).
 */
public final class Dropout extends Module {
    private final float p;

    public Dropout(float p) {
        Require.that(p >= 0f && p < 1f, "Dropout: probability " + p + " not in [0, 1)");
        this.p = p;
    }

    /** Whether forward changes anything: training with p > 0. */
    public boolean active() {
        return isTraining() && p > 0f;
    }

    public Var forward(Var x) {
        if (!active()) {
            return x;
        }
        return x.mul(Var.constant(keepMask(noise().uniform(x.value().device(), x.shape()), p)));
    }

    /**
     * 1/(1-p) where u >= p, else 0, computed on u's device: clamping u (in [0, 1)) to [p, 1] leaves it
     * unchanged exactly when u >= p, so equality with u is the keep test without a comparison op.
     */
    static Tensor keepMask(Tensor u, float p) {
        return u.clamp(p, 1f).eq(u).mul(1f / (1f - p));
    }
}

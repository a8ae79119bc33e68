package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Require;

/**
 * Zeroes each element with probability p during training and scales the rest by 1/(1-p), so the
 * expected value is unchanged and evaluation is the identity (inverted dropout).
 */
public final class Dropout extends Module {
    private final float p;

    public Dropout(float p) {
        Require.that(p >= 0f && p < 1f, () -> "Dropout: probability " + p + " not in [0, 1)");
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
        return x.mul(Var.constant(noise().dropoutMask(x.value().device(), p, x.shape())));
    }
}

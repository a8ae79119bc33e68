package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Require;

import java.util.Arrays;

/**
 * Stochastic depth: during training, drops a residual branch for a whole example with probability
 * p and scales kept branches by 1/(1-p) (timm's DropPath). The identity in evaluation.
 */
public final class DropPath extends Module {
    private final float p;

    public DropPath(float p) {
        Require.that(p >= 0f && p < 1f, () -> "DropPath: probability " + p + " not in [0, 1)");
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
        int[] perExample = new int[x.rank()];
        Arrays.fill(perExample, 1);
        perExample[0] = x.dim(0);
        return x.mul(Var.constant(noise().dropoutMask(x.value().device(), p, perExample)));
    }
}

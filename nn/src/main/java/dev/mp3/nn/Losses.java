package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Tensor;

/** Training losses. */
public final class Losses {
    private Losses() {}

    /**
     * Mean cross entropy of logits [..., C] against I32 targets [...] with label smoothing s: each
     * row's loss is -(1-s) log p[target] - (s/C) sum_j log p[j], averaged over all rows.
     */
    public static Var crossEntropy(Var logits, Tensor targets, float smoothing) {
        return logits.crossEntropy(targets, smoothing).mean();
    }
}

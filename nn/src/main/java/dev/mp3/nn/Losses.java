package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Device;
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

    /** MP3's targets (Algorithm 1, mp3_loss): every patch's own index, I32 [batch, n] on a device. */
    public static Tensor positionTargets(int batch, int n, Device device) {
        int[] t = new int[batch * n];
        for (int i = 0; i < t.length; i++) {
            t[i] = i % n;
        }
        return Tensor.ofInts(t, batch, n).to(device);
    }
}

package dev.mp3.nn;

import dev.mp3.tensor.Tensor;

import java.util.Map;

/**
 * What the training loop needs from an optimiser ({@link Adam}, {@link Sgd}): queue one update of
 * every parameter that has a gradient, clear the gradients, and export and restore its state so a
 * resumed run continues exactly. The {@link GradientHook} runs on the gradients first (a
 * data-parallel all-reduce).
 */
public interface Optimizer {

    /**
     * Updates the parameters with learning rate {@code lr}. With a {@code guard} (usually the loss,
     * one element) the update applies only when the guard is finite; the returned {@link Update}
     * brings it back to the host.
     */
    Update queue(float lr, Tensor guard);

    void zeroGrad();

    void setGradientHook(GradientHook hook);

    /** Updates taken so far. */
    long steps();

    /** The live state, under PyTorch's names, for a checkpoint. */
    Map<String, Tensor> stateDict();

    /** Restores {@link #stateDict}; an entry that names no parameter or has the wrong shape is refused. */
    void loadStateDict(Map<String, Tensor> state);

    /** A queued update: its gradient norm and guard stay on the device until {@link #read}. */
    final class Update {
        private final Tensor status;
        private final boolean clipping;
        private float[] values;

        /** {@code status} holds [gradient norm (NaN when not computed), guard (NaN without one)]. */
        Update(Tensor status, boolean clipping) {
            this.status = status;
            this.clipping = clipping;
        }

        /** Reads [gradient norm, guard] in one read-back (once; later calls return the same). */
        public float[] read() {
            if (values == null) {
                values = status.toFloatArray();
            }
            return values.clone();
        }

        /** The guard's value (the loss the trainer passed); NaN without one. Reads if not yet read. */
        public double guard() {
            return read()[1];
        }

        /**
         * The gradient norm before clipping (NaN without clipping); reads if not yet read. Throws,
         * as clipping always has, when clipping was on and the norm is not finite (the update was not
         * applied).
         */
        public double checkedNorm() {
            double norm = read()[0];
            if (clipping && (Double.isNaN(norm) || Double.isInfinite(norm))) {
                throw new IllegalArgumentException("clipNorm: gradient norm is " + norm
                        + "; the loss diverged or a gradient overflowed");
            }
            return norm;
        }
    }
}

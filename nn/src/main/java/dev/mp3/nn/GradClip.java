package dev.mp3.nn;

import dev.mp3.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Gradient-norm clipping over a set of parameters, as PyTorch's clip_grad_norm_. */
public final class GradClip {
    private GradClip() {}

    /** The L2 norm of all gradients together (parameters without a gradient count as zero). */
    public static double totalNorm(Collection<Parameter> params) {
        List<Tensor> squares = new ArrayList<>();
        for (Parameter p : params) {
            if (p.grad() != null) {
                squares.add(p.grad().square().sum().reshape(1));
            }
        }
        if (squares.isEmpty()) {
            return 0.0;
        }
        // One read from the device for all parameters.
        double sum = 0;
        for (float s : Tensor.concat(squares, 0).toFloatArray()) {
            sum += s;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by maxNorm / (norm + 1e-6) when the total norm exceeds maxNorm.
     * Returns the norm before clipping.
     */
    public static double clipNorm(Collection<Parameter> params, double maxNorm) {
        double norm = totalNorm(params);
        if (Double.isNaN(norm) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("clipNorm: gradient norm is " + norm + "; the loss diverged or a gradient overflowed");
        }
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1.0) {
            for (Parameter p : params) {
                if (p.grad() != null) {
                    p.grad().scaleInPlace((float) coef);
                }
            }
        }
        return norm;
    }
}

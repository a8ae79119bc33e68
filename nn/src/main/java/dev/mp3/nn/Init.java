package dev.mp3.nn;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

/**
 * Initialisers, matching timm's VisionTransformer ("timm" mode): weights of linear layers from a
 * normal with std 0.02 truncated to [-2, 2] (timm's trunc_normal_ takes absolute bounds), biases
 * zero, LayerNorm weight one and bias zero. All are drawn on the CPU; a model moves afterwards.
 */
final class Init {
    private Init() {}

    static Tensor truncNormal(Rng rng, float std, int... shape) {
        return rng.truncatedNormal(0f, std, -2f, 2f, shape);
    }

    static Tensor normal(Rng rng, float std, int... shape) {
        return rng.normal(0f, std, shape);
    }

    /** Uniform in [-bound, bound): PyTorch's default for convolutions, bound = 1/sqrt(fan_in). */
    static Tensor uniform(Rng rng, float bound, int... shape) {
        return rng.uniform(-bound, bound, shape);
    }

    static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    static Tensor ones(int... shape) {
        return Tensor.full(1f, shape);
    }
}

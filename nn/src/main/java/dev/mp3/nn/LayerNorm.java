package dev.mp3.nn;

import dev.mp3.autograd.Var;

/** Layer norm over the last axis with a learned scale ("weight", ones) and shift ("bias", zeros). */
public final class LayerNorm extends Module {
    public final Parameter weight;
    public final Parameter bias;
    private final float eps;

    public LayerNorm(int dim, float eps) {
        this.weight = parameter("weight", Init.ones(dim), false);
        this.bias = parameter("bias", Init.zeros(dim), false);
        this.eps = eps;
    }

    public Var forward(Var x) {
        return x.layerNorm(weight.var(), bias.var(), eps);
    }
}

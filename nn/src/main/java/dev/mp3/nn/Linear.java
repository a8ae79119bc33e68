package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.UnaryOp;

/** y = x W^T + b over the last axis; W is [out, in] as in PyTorch. */
public final class Linear extends Module {
    public final Parameter weight;
    /** Null for a layer without bias. */
    public final Parameter bias;

    public Linear(int in, int out, boolean bias, Rng rng) {
        this.weight = parameter("weight", Init.truncNormal(rng, 0.02f, out, in), true);
        this.bias = bias ? parameter("bias", Init.zeros(out), false) : null;
    }

    public int in() {
        return weight.shape()[1];
    }

    public int out() {
        return weight.shape()[0];
    }

    public Var forward(Var x) {
        return x.linear(weight.var(), bias == null ? null : bias.var());
    }

    /** activation(forward(x)), the activation applied in the product's epilogue (one pass, same bits). */
    public Var forward(Var x, UnaryOp activation) {
        return x.linear(weight.var(), bias == null ? null : bias.var(), activation);
    }

    /** residual + forward(x), the residual added in the product's epilogue (one pass, same bits). */
    public Var forward(Var x, Var residual) {
        return x.linear(weight.var(), bias == null ? null : bias.var(), residual);
    }
}

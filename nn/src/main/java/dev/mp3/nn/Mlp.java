package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.UnaryOp;

/** The Transformer feed-forward: fc1, activation, dropout, fc2, dropout (timm's Mlp). */
public final class Mlp extends Module {

    public enum Activation { GELU, RELU }

    public final Linear fc1;
    public final Linear fc2;
    private final Activation activation;
    private final Dropout drop1;
    private final Dropout drop2;

    public Mlp(int dim, int hidden, Activation activation, float dropout, Rng rng) {
        this.fc1 = child("fc1", new Linear(dim, hidden, true, rng));
        this.drop1 = child("drop1", new Dropout(dropout));
        this.fc2 = child("fc2", new Linear(hidden, dim, true, rng));
        this.drop2 = child("drop2", new Dropout(dropout));
        this.activation = activation;
    }

    public Var forward(Var x) {
        return drop2.forward(fc2.forward(hidden(x)));
    }

    /**
     * residual + forward(x). Without dropout after fc2 (evaluation, or p = 0) the residual goes
     * into fc2's epilogue; the result is the same bits either way.
     */
    public Var forward(Var x, Var residual) {
        return drop2.active() ? residual.add(forward(x)) : fc2.forward(hidden(x), residual);
    }

    private Var hidden(Var x) {
        return drop1.forward(fc1.forward(x, activation == Activation.GELU ? UnaryOp.GELU : UnaryOp.RELU));
    }
}

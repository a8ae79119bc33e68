package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

/**
 * One named tensor of a {@link Module}: a trainable parameter (a gradient-collecting leaf
 * {@link Var}) or a buffer (a constant saved with the model, such as a fixed sin-cos table).
 *
 * <p>The Var is replaced, not mutated, when the model moves to another device, so layers read it
 * through {@link #var()} at every forward pass rather than keeping their own reference.
 */
public final class Parameter {
    private final boolean trainable;
    private final boolean weightDecay;
    private Var var;

    private Parameter(Tensor value, boolean trainable, boolean weightDecay) {
        this.trainable = trainable;
        this.weightDecay = weightDecay;
        this.var = trainable ? Var.param(value) : Var.constant(value);
    }

    /** A trainable parameter; {@code weightDecay} false for biases, norms, tokens and position tables. */
    static Parameter trainable(Tensor value, boolean weightDecay) {
        return new Parameter(value, true, weightDecay);
    }

    /** A constant that is saved and loaded with the model but never trained. */
    static Parameter buffer(Tensor value) {
        return new Parameter(value, false, false);
    }

    /** The node that forward passes build on. */
    public Var var() {
        return var;
    }

    public Tensor value() {
        return var.value();
    }

    /** The accumulated gradient, or null when none reached this parameter. */
    public Tensor grad() {
        return var.grad();
    }

    public void setGrad(Tensor g) {
        Require.that(g == null || g.sameShape(value()), () -> "setGrad: gradient " + (g == null ? "" : Shape.str(g.shape()))
                + " does not match parameter " + Shape.str(value().shape()));
        var.setGrad(g);
    }

    public void zeroGrad() {
        var.zeroGrad();
    }

    public boolean trainable() {
        return trainable;
    }

    /** Whether AdamW's decoupled weight decay applies (timm: not to biases, norms, tokens, positions). */
    public boolean weightDecay() {
        return weightDecay;
    }

    public int[] shape() {
        return value().shape();
    }

    public int numel() {
        return value().numel();
    }

    /** Overwrites the values in place (the storage, and so any optimizer reference, stays the same). */
    public void load(Tensor values) {
        value().copyFrom(values.to(value().device()));
    }

    /** Rebuilds the node on another device; the gradient is dropped. The value outlives any open {@link MemoryScope}. */
    void moveTo(Device device) {
        Tensor moved = MemoryScope.keep(value().to(device));
        var = trainable ? Var.param(moved) : Var.constant(moved);
    }

    /**
     * Makes forward passes use another node for this parameter. Gradient checks bind the Vars they
     * perturb; everything else goes through {@link #load} or {@link #moveTo}.
     */
    void bind(Var replacement) {
        Require.that(replacement.value().sameShape(value()), () -> "bind: " + Shape.str(replacement.shape())
                + " does not match parameter " + Shape.str(value().shape()));
        var = replacement;
    }
}

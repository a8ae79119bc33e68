package dev.mp3.autograd;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.UnaryOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A node of the computation graph: a tensor value, and (when it requires a gradient) the parents it
 * was computed from and the function that turns its gradient into theirs. Each op below is written
 * as its forward computation followed by its backward rule, side by side.
 *
 * <p>{@link #backward()} walks the graph in reverse topological order once; gradients accumulate
 * into leaves (parameters), while interior gradients and the tensors captured by backward rules are
 * released as soon as they have been used. A graph can therefore be backpropagated once; a second
 * backward() through any of its interior nodes throws.
 */
public final class Var {

    /** Turns this node's output gradient into contributions to its parents' gradients. */
    @FunctionalInterface
    interface Backward {
        void apply(Tensor gradOut);

        /**
         * As {@link #apply(Tensor)}, told whether gradOut is this node's alone (see
         * {@link #accumulate(Tensor, boolean)}); only the rules of views, which hand a view of it
         * to their one parent, make use of that.
         */
        default void apply(Tensor gradOut, boolean owned) {
            apply(gradOut);
        }
    }

    /** The rule of a view op: gives its one parent a view of the gradient, and ownership with it. */
    @FunctionalInterface
    interface ViewBackward {
        void apply(Tensor gradOut, boolean owned);
    }

    private static Backward view(ViewBackward rule) {
        return new Backward() {
            @Override
            public void apply(Tensor gradOut) {
                rule.apply(gradOut, false);
            }

            @Override
            public void apply(Tensor gradOut, boolean owned) {
                rule.apply(gradOut, owned);
            }
        };
    }

    private final Tensor value;
    private final boolean requiresGrad;
    private final String op;
    private Var[] parents;
    private Backward backward;
    private Tensor grad;
    /**
     * Whether grad's storage belongs to this node alone, so that a further contribution may be
     * added into it in place. Always true of a leaf's (private) gradient.
     */
    private boolean gradOwned;
    /** Set when backward() has run this node's rule and dropped it: the graph through it is gone. */
    private boolean released;

    private Var(Tensor value, boolean requiresGrad, String op, Var[] parents, Backward backward) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.op = op;
        this.parents = parents;
        this.backward = backward;
    }

    // ---------------------------------------------------------------- leaves

    /** A leaf that collects a gradient: a parameter or an input we differentiate by. */
    public static Var param(Tensor value) {
        return new Var(value, true, "param", null, null);
    }

    /** A leaf without gradient: data, targets, masks. */
    public static Var constant(Tensor value) {
        return new Var(value, false, "const", null, null);
    }

    /** A new node; records the graph only when recording is on and some parent needs a gradient. */
    static Var node(String op, Tensor value, Backward backward, Var... parents) {
        if (!Grad.enabled()) {
            return new Var(value, false, op, null, null);
        }
        for (Var p : parents) {
            if (p.requiresGrad) {
                return new Var(value, true, op, parents, backward);
            }
        }
        return new Var(value, false, op, null, null);
    }

    // ---------------------------------------------------------------- accessors

    public Tensor value() {
        return value;
    }

    /** The accumulated gradient, or null if none reached this node. */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return backward == null && !released;
    }

    public void zeroGrad() {
        grad = null;
    }

    /** Sets a leaf's gradient (used by optimizers after all-reduce, clipping or loading state). */
    public void setGrad(Tensor g) {
        grad = g;
        gradOwned = isLeaf();
    }

    public int[] shape() {
        return value.shape();
    }

    public int dim(int axis) {
        return value.dim(axis);
    }

    public int rank() {
        return value.rank();
    }

    /** The value of a one-element Var. */
    public float item() {
        return value.item();
    }

    /** The value without its graph: a constant with the same tensor. */
    public Var detach() {
        return constant(value);
    }

    /**
     * The bytes of the tensor storages this Var's graph holds, each storage once: node values,
     * gradients present, and the tensors backward rules captured. Called on a loss before
     * backward(), it is the memory the forward pass keeps for the backward pass (plus the
     * parameters it used). Walks the graph; costs nothing unless called. See {@link MemoryMeter}.
     */
    public long graphBytes() {
        return new MemoryMeter().addGraph(this).bytes();
    }

    /** For {@link MemoryMeter}: the parents this node still holds (null for leaves and released nodes). */
    Var[] meterParents() {
        return parents;
    }

    /** For {@link MemoryMeter}: the backward rule this node still holds, whose captured tensors it keeps alive. */
    Object meterRule() {
        return backward;
    }

    @Override
    public String toString() {
        return "Var(" + op + ", " + value + (requiresGrad ? ", grad" : "") + ")";
    }

    // ---------------------------------------------------------------- backward

    /** Backpropagates from a one-element output (a loss). */
    public void backward() {
        Require.that(value.numel() == 1, () -> "backward: output " + Shape.str(value.shape())
                + " is not a scalar; pass a gradient with backward(Tensor)");
        backward(Tensor.full(1f, value.shape()).to(value.device()));
    }

    /**
     * Backpropagates from a one-element output and calls {@code gradientReady} with each leaf (a
     * parameter) the moment its gradient is complete, while the rest of the backward pass is still
     * to run: data-parallel training starts summing a layer's gradients across processes there.
     * In reverse topological order every node that uses a leaf comes before the leaf, so when the
     * walk reaches the leaf nothing more will be added to its gradient.
     */
    public void backward(Consumer<Var> gradientReady) {
        Require.that(value.numel() == 1, () -> "backward: output " + Shape.str(value.shape())
                + " is not a scalar; pass a gradient with backward(Tensor)");
        backward(Tensor.full(1f, value.shape()).to(value.device()), gradientReady);
    }

    /** Backpropagates a given output gradient. */
    public void backward(Tensor seed) {
        backward(seed, null);
    }

    private void backward(Tensor seed, Consumer<Var> gradientReady) {
        Require.that(seed.sameShape(value), () -> "backward: gradient " + Shape.str(seed.shape())
                + " does not match output " + Shape.str(value.shape()));
        if (!requiresGrad) {
            throw new IllegalStateException("backward: " + this + " does not depend on any parameter");
        }
        requireNotReleased(this);
        List<Var> order = topologicalOrder();
        accumulate(seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Var v = order.get(i);
            if (v.backward == null) {
                if (gradientReady != null && v.isLeaf()) {
                    gradientReady.accept(v);
                }
                continue;
            }
            if (v.grad != null) {
                v.backward.apply(v.grad, v.gradOwned);
            }
            // Release what this node captured: its gradient and the tensors its rule held.
            v.released = true;
            v.backward = null;
            v.parents = null;
            v.grad = null;
        }
    }

    /**
     * A second backward through the same nodes would find their rules gone and silently pass no
     * gradient on; fail instead (sum the losses, or run the forward pass again).
     */
    private static void requireNotReleased(Var v) {
        if (v.released) {
            throw new IllegalStateException("backward: " + v + " belongs to a graph already released by an earlier "
                    + "backward(); run the forward pass again (or add the losses and call backward once)");
        }
    }

    /** Reverse-postorder of the graph below this node, iteratively (graphs can be deep). */
    private List<Var> topologicalOrder() {
        List<Var> order = new ArrayList<>();
        Map<Var, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Var> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        stack.push(this);
        next.push(0);
        seen.put(this, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Var v = stack.peek();
            int i = next.pop();
            if (v.parents != null && i < v.parents.length) {
                next.push(i + 1);
                Var p = v.parents[i];
                if (p.requiresGrad && seen.put(p, Boolean.TRUE) == null) {
                    requireNotReleased(p);
                    stack.push(p);
                    next.push(0);
                }
            } else {
                order.add(stack.pop());
            }
        }
        return order;
    }

    /** Adds a gradient contribution that others may hold too (it is never written). */
    void accumulate(Tensor g) {
        accumulate(g, false);
    }

    /**
     * Adds a gradient contribution. {@code owned}: g is a tensor no other node or caller holds (a
     * fresh result of the rule, or a view of one), handed over, so it may become this node's
     * gradient without a copy and take a later contribution in place. The sum of two contributions
     * is grad + g whichever way it is formed (in place into either, or a new tensor): float addition
     * is commutative, so the bits are the same. Leaves own a private, dense gradient, so
     * optimizers' in-place updates never alias.
     */
    void accumulate(Tensor g, boolean owned) {
        if (!requiresGrad) {
            return;
        }
        if (!Arrays.equals(g.shape(), value.shape())) {
            throw new IllegalStateException("gradient " + Shape.str(g.shape()) + " for " + this + " has the wrong shape");
        }
        boolean leaf = isLeaf();
        if (grad == null) {
            boolean keep = owned && (!leaf || g.isDense());
            grad = keep || !leaf ? g : g.copy();
            gradOwned = keep || leaf;
        } else if (gradOwned && grad.isDense()) {
            grad.axpyInPlace(1f, g);
        } else if (owned && g.isDense()) {
            g.axpyInPlace(1f, grad);
            grad = g;
            gradOwned = true;
        } else {
            grad = grad.add(g);
            gradOwned = true;
        }
    }

    /** g summed down to this node's shape (the backward of broadcasting); handed over when that made a new tensor. */
    private void accumulateSummed(Tensor g) {
        Tensor s = g.sumTo(shape());
        accumulate(s, s.storage() != g.storage());
    }

    // ---------------------------------------------------------------- elementwise arithmetic (broadcasting)

    public Var add(Var b) {
        Var a = this;
        return node("add", a.value.add(b.value), g -> {
            a.accumulateSummed(g);
            b.accumulateSummed(g);
        }, a, b);
    }

    public Var sub(Var b) {
        Var a = this;
        return node("sub", a.value.sub(b.value), g -> {
            a.accumulateSummed(g);
            if (b.requiresGrad) {
                b.accumulate(g.sumTo(b.shape()).neg(), true);
            }
        }, a, b);
    }

    public Var mul(Var b) {
        Var a = this;
        return node("mul", a.value.mul(b.value), g -> {
            if (a.requiresGrad) {
                a.accumulate(g.mul(b.value).sumTo(a.shape()), true);
            }
            if (b.requiresGrad) {
                b.accumulate(g.mul(a.value).sumTo(b.shape()), true);
            }
        }, a, b);
    }

    public Var div(Var b) {
        Var a = this;
        Tensor out = a.value.div(b.value);
        return node("div", out, g -> {
            Tensor ga = g.div(b.value);
            if (b.requiresGrad) {
                b.accumulate(ga.mul(out).neg().sumTo(b.shape()), true);
            }
            if (a.requiresGrad) {
                a.accumulate(ga.sumTo(a.shape()), true);   // last use of ga: hand it over
            }
        }, a, b);
    }

    /** scale * x + shift. */
    public Var affine(float scale, float shift) {
        Var x = this;
        if (scale == 1f) {
            return node("affine", x.value.affine(scale, shift), view(x::accumulate), x);
        }
        return node("affine", x.value.affine(scale, shift), g -> x.accumulate(g.mul(scale), true), x);
    }

    public Var mul(float s) {
        return affine(s, 0f);
    }

    public Var add(float s) {
        return affine(1f, s);
    }

    public Var neg() {
        return affine(-1f, 0f);
    }

    // ---------------------------------------------------------------- unary functions

    public Var unary(UnaryOp fn) {
        Var x = this;
        return node(fn.name().toLowerCase(), x.value.unary(fn),
                g -> x.accumulate(x.value.unaryBackward(fn, g), true), x);
    }

    public Var exp() { return unary(UnaryOp.EXP); }
    public Var log() { return unary(UnaryOp.LOG); }
    public Var sqrt() { return unary(UnaryOp.SQRT); }
    public Var rsqrt() { return unary(UnaryOp.RSQRT); }
    public Var tanh() { return unary(UnaryOp.TANH); }
    public Var relu() { return unary(UnaryOp.RELU); }
    public Var gelu() { return unary(UnaryOp.GELU); }
    public Var geluTanh() { return unary(UnaryOp.GELU_TANH); }
    public Var sigmoid() { return unary(UnaryOp.SIGMOID); }
    public Var square() { return unary(UnaryOp.SQUARE); }
    public Var abs() { return unary(UnaryOp.ABS); }

    public Var clamp(float lo, float hi) {
        Var x = this;
        return node("clamp", x.value.clamp(lo, hi), g -> x.accumulate(x.value.clampBackward(g, lo, hi), true), x);
    }

    /** value where mask != 0 (mask is data, not differentiated). */
    public Var maskedFill(Tensor mask, float fill) {
        Var x = this;
        return node("maskedFill", x.value.maskedFill(mask, fill), g -> x.accumulate(g.maskedFill(mask, 0f), true), x);
    }

    // ---------------------------------------------------------------- reductions

    public Var sum(int axis, boolean keepDim) {
        Var x = this;
        int a = Shape.axis("sum", axis, rank());
        return node("sum", x.value.sum(a, keepDim), g -> x.accumulate(expandBack(g, a, keepDim, x.shape())), x);
    }

    public Var mean(int axis, boolean keepDim) {
        Var x = this;
        int a = Shape.axis("mean", axis, rank());
        float inv = 1f / x.dim(a);
        return node("mean", x.value.mean(a, keepDim), g -> x.accumulate(expandBack(g.mul(inv), a, keepDim, x.shape())), x);
    }

    /** Maximum along an axis; the gradient goes to the first maximal element. */
    public Var max(int axis, boolean keepDim) {
        Var x = this;
        int a = Shape.axis("max", axis, rank());
        return node("max", x.value.max(a, keepDim), g -> {
            Tensor moved = x.value.transpose(a, -1).contiguous();
            Tensor idx = moved.argmax(-1).unsqueeze(-1);
            Tensor gl = (keepDim ? g : g.unsqueeze(a)).transpose(a, -1).contiguous();
            x.accumulate(gl.scatterAlong(idx, x.dim(a)).transpose(a, -1).contiguous(), true);
        }, x);
    }

    public Var sum() {
        return reshape(-1).sum(0, false);
    }

    public Var mean() {
        return reshape(-1).mean(0, false);
    }

    private static Tensor expandBack(Tensor g, int axis, boolean keepDim, int[] shape) {
        return (keepDim ? g : g.unsqueeze(axis)).expand(shape);
    }

    // ---------------------------------------------------------------- shape

    public Var reshape(int... shape) {
        Var x = this;
        int[] original = x.shape();
        return node("reshape", x.value.reshape(shape), view((g, owned) -> x.accumulate(g.reshape(original), owned)), x);
    }

    public Var permute(int... order) {
        Var x = this;
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[Shape.axis("permute", order[i], order.length)] = i;
        }
        return node("permute", x.value.permute(order), view((g, owned) -> x.accumulate(g.permute(inverse), owned)), x);
    }

    public Var transpose(int a, int b) {
        Var x = this;
        return node("transpose", x.value.transpose(a, b), view((g, owned) -> x.accumulate(g.transpose(a, b), owned)), x);
    }

    public Var slice(int axis, int start, int end) {
        Var x = this;
        return node("slice", x.value.slice(axis, start, end),
                g -> x.accumulateWindow(grad -> grad.slice(axis, start, end), g), x);
    }

    public Var select(int axis, int index) {
        Var x = this;
        return node("select", x.value.select(axis, index), g -> x.accumulateWindow(grad -> grad.select(axis, index), g), x);
    }

    /**
     * The backward of a view that picks part of this node (a slice, a select): g goes into that
     * window of the gradient. A node that already holds its own dense gradient (the qkv weight after
     * its first slice's, the qkv projection after its first head's) takes it in place; otherwise
     * the gradient becomes zeros with g in the window. An inner node's zeros are recycled with the
     * step's outputs: fresh ones (the qkv projection's gradient, [B, N, 3D] per block) were 115 MB
     * of the about 135 MB a ViT-S step still allocated once warm, zeroed by the calling thread and
     * left to the collector (BENCHMARKS.md, 2026-12-02 night, Zen 4).
     */
    private void accumulateWindow(UnaryOperator<Tensor> window, Tensor g) {
        if (!requiresGrad) {
            return;
        }
        if (grad != null && gradOwned && grad.isDense()) {
            window.apply(grad).axpyInPlace(1f, g);
            return;
        }
        Tensor full = isLeaf() ? value.zerosLike() : value.zerosLikeInScope();
        window.apply(full).copyFrom(g);
        accumulate(full, true);
    }

    public Var unsqueeze(int axis) {
        Var x = this;
        int[] original = x.shape();
        return node("unsqueeze", x.value.unsqueeze(axis), view((g, owned) -> x.accumulate(g.reshape(original), owned)), x);
    }

    public Var squeeze(int axis) {
        Var x = this;
        int[] original = x.shape();
        return node("squeeze", x.value.squeeze(axis), view((g, owned) -> x.accumulate(g.reshape(original), owned)), x);
    }

    public Var expand(int... shape) {
        Var x = this;
        return node("expand", x.value.expand(shape), g -> x.accumulateSummed(g), x);
    }

    /** A contiguous copy (identity for the gradient). */
    public Var contiguous() {
        Var x = this;
        return node("contiguous", x.value.contiguous(), view(x::accumulate), x);
    }

    public static Var concat(List<Var> parts, int axis) {
        List<Tensor> values = new ArrayList<>(parts.size());
        for (Var p : parts) {
            values.add(p.value);
        }
        Tensor out = Tensor.concat(values, axis);
        int a = Shape.axis("concat", axis, out.rank());
        return node("concat", out, g -> {
            int at = 0;
            for (Var p : parts) {
                int len = p.dim(a);
                if (p.requiresGrad) {
                    Tensor part = g.slice(a, at, at + len).contiguous();
                    p.accumulate(part, part.storage() != g.storage());
                }
                at += len;
            }
        }, parts.toArray(new Var[0]));
    }

    public List<Var> split(int axis, int... sizes) {
        int a = Shape.axis("split", axis, rank());
        int total = Arrays.stream(sizes).sum();
        Require.that(total == dim(a), () -> "split: sizes " + Arrays.toString(sizes) + " do not add up to " + dim(a)
                + " along axis " + a + " of " + Shape.str(shape()));
        List<Var> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(slice(a, at, at + s));
            at += s;
        }
        return Collections.unmodifiableList(out);
    }

    // ---------------------------------------------------------------- matmul

    public Var matmul(Var b) {
        return matmul(this, false, b, false);
    }

    /**
     * op(a) @ op(b). For C = op(A) op(B): dop(A) = dC op(B)^T and dop(B) = op(A)^T dC; when an operand
     * is stored transposed, its gradient is the transpose of that, which is again one matmul with
     * flags rather than a copy. Broadcast batch axes are summed away.
     */
    public static Var matmul(Var a, boolean transA, Var b, boolean transB) {
        Tensor out = Tensor.matmul(a.value, transA, b.value, transB);
        return node("matmul", out, g -> {
            if (a.requiresGrad) {
                Tensor ga = transA ? Tensor.matmul(b.value, transB, g, true) : Tensor.matmul(g, false, b.value, !transB);
                a.accumulate(sumBatch(ga, a.shape()), true);
            }
            if (b.requiresGrad) {
                Tensor gb = transB ? Tensor.matmul(g, true, a.value, transA) : Tensor.matmul(a.value, !transA, g, false);
                b.accumulate(sumBatch(gb, b.shape()), true);
            }
        }, a, b);
    }

    private static Tensor sumBatch(Tensor g, int[] shape) {
        return Arrays.equals(g.shape(), shape) ? g : g.sumTo(shape);
    }

    /** x @ W^T + b over the last axis, with W [out, in] (PyTorch's layout) and b [out] or null. */
    public Var linear(Var weight, Var bias) {
        return linear(weight, bias, (Var) null);
    }

    /**
     * residual + (x @ W^T + b): a linear layer closing a residual branch (a Transformer block's
     * attention projection and second MLP layer), residual of the output's shape or null. One GEMM
     * with the bias and the residual in its epilogue, the same bits as the product followed by two
     * adds.
     */
    public Var linear(Var weight, Var bias, Var residual) {
        int[] outShape = linearShape(weight, bias);
        int out = weight.dim(0);
        if (residual != null) {
            Require.that(Arrays.equals(residual.shape(), outShape), () -> "linear: residual " + Shape.str(residual.shape())
                    + " does not match the output " + Shape.str(outShape));
        }
        Tensor x2 = value.reshape(-1, dim(-1));   // every leading axis as rows of one product
        Tensor y = Tensor.matmul(x2, false, weight.value, true, bias == null ? null : bias.value,
                residual == null ? null : residual.value.reshape(-1, out)).reshape(outShape);
        // The add's rule first (the residual gets g), then the linear layer's, as the separate nodes ran.
        return node("linear", y, g -> {
            if (residual != null) {
                residual.accumulate(g);
            }
            linearBackward(g.reshape(-1, out), x2, weight, bias);
        }, linearInputs(weight, bias, residual));
    }

    /**
     * activation(x @ W^T + b): a linear layer and its activation (an MLP's first layer and GELU)
     * in one GEMM with the activation in its epilogue, which also writes the pre-activation the
     * backward needs; the same bits as linear followed by {@link #unary}. The backward is the
     * activation's rule and then the linear layer's.
     */
    public Var linear(Var weight, Var bias, UnaryOp activation) {
        int[] outShape = linearShape(weight, bias);
        int out = weight.dim(0);
        Tensor x2 = value.reshape(-1, dim(-1));
        var r = Tensor.matmulActivated(x2, false, weight.value, true, bias == null ? null : bias.value, activation);
        Tensor pre = r.pre().reshape(outShape);
        return node("linear_" + activation.name().toLowerCase(), r.out().reshape(outShape),
                g -> linearBackward(pre.unaryBackward(activation, g).reshape(-1, out), x2, weight, bias),
                linearInputs(weight, bias, null));
    }

    /**
     * {@code indexSelect(idx[, inverse]).linear(weight, bias)} on this [rows, in] Var without keeping
     * the picked rows: they are gathered into a temporary for the product and gathered again in
     * backward for the weight's gradient, so the graph holds nothing of size [picked, in] (MP3's
     * keys and values over the context's rows; this Var, the layer-normed tokens, is kept anyway
     * for the queries). idx is I32 of any shape; the output is idx's shape + [out]. With
     * {@code inverse} (see {@link #indexSelect(Tensor, Tensor)}) the indices are distinct and the
     * rows' gradient is one gather, else a scatter-add. The same bits as the two nodes it replaces.
     */
    public Var linearOfRows(Tensor idx, Tensor inverse, Var weight, Var bias) {
        Var x = this;
        Require.that(rank() == 2, () -> "linearOfRows: input must be [rows, in], got " + Shape.str(shape()));
        requireInverse("linearOfRows", inverse);
        linearShape(weight, bias);
        int in = dim(1);
        int out = weight.dim(0);
        int[] outShape = Arrays.copyOf(idx.shape(), idx.rank() + 1);
        outShape[idx.rank()] = out;
        Tensor y = Tensor.matmul(value.indexSelect(idx).reshape(-1, in), false, weight.value, true,
                bias == null ? null : bias.value, null).reshape(outShape);
        return node("linearOfRows", y, g -> {
            Tensor g2 = g.reshape(-1, out);
            // As linearBackward: dx (here back through the gather), then dW and db.
            if (x.requiresGrad) {
                Tensor dPicked = Tensor.matmul(g2, false, weight.value, false);
                x.accumulate(inverse != null ? dPicked.indexSelectOrZero(inverse)
                        : dPicked.indexAdd(idx.reshape(-1), dim(0)), true);
            }
            weightAndBiasGrads(g2, weight.requiresGrad ? x.value.indexSelect(idx).reshape(-1, in) : null, weight, bias);
        }, linearInputs(weight, bias, null));
    }

    /** Checks a linear layer's operands against this input; the output's shape. */
    private int[] linearShape(Var weight, Var bias) {
        Require.that(rank() >= 1, () -> "linear: input must have rank >= 1, got " + Shape.str(shape()));
        int in = dim(-1);
        Require.that(weight.rank() == 2 && weight.dim(1) == in, () -> "linear: weight " + Shape.str(weight.shape())
                + " does not match input " + Shape.str(shape()) + "; expected [out, " + in + "]");
        if (bias != null) {
            Require.that(bias.rank() == 1 && bias.dim(0) == weight.dim(0), () -> "linear: bias " + Shape.str(bias.shape())
                    + " does not match weight " + Shape.str(weight.shape()));
        }
        int[] outShape = shape();
        outShape[outShape.length - 1] = weight.dim(0);
        return outShape;
    }

    private Var[] linearInputs(Var weight, Var bias, Var residual) {
        List<Var> inputs = new ArrayList<>(List.of(this, weight));
        if (bias != null) {
            inputs.add(bias);
        }
        if (residual != null) {
            inputs.add(residual);
        }
        return inputs.toArray(new Var[0]);
    }

    /** A linear layer's backward from its output gradient g2 [rows, out]: db = g summed over rows, dx = g W, dW = g^T x. */
    private void linearBackward(Tensor g2, Tensor x2, Var weight, Var bias) {
        accumulateProduct(g2, false, weight.value, false);
        weightAndBiasGrads(g2, x2, weight, bias);
    }

    /**
     * dW += g2^T x2 and db += g2's column sums (g2 = dY [rows, out], x2 = X [rows, in]); with both,
     * in one product that also returns the sums ({@link Tensor#matmulWithSums}): the CPU backend
     * then reads dY from memory once for the two.
     */
    private static void weightAndBiasGrads(Tensor g2, Tensor x2, Var weight, Var bias) {
        boolean biasGrad = bias != null && bias.requiresGrad;
        if (weight.requiresGrad && biasGrad) {
            Backend.ProductAndSums r = Tensor.matmulWithSums(g2, true, x2, false);
            weight.accumulate(r.product(), true);
            bias.accumulate(r.sums(), true);
        } else if (weight.requiresGrad) {
            weight.accumulate(Tensor.matmul(g2, true, x2, false), true);
        } else if (biasGrad) {
            bias.accumulateSummed(g2);
        }
    }

    /** Adds the product op(a) op(b), reshaped to this node's shape, with the held gradient in the GEMM's epilogue. */
    private void accumulateProduct(Tensor a, boolean transA, Tensor b, boolean transB) {
        if (!requiresGrad) {
            return;
        }
        Tensor held = gradAddend();
        int[] product = Shape.matmul(a.shape(), transA, b.shape(), transB).out();
        Tensor sum = Tensor.matmul(a, transA, b, transB, null, held == null ? null : held.reshape(product));
        accumulateIncluding(sum.reshape(shape()), held);
    }

    /**
     * The gradient this node already holds, when an op may take it as an addend and sum its own
     * result into it in the same pass (a GEMM's epilogue, layer norm's dx kernel): an inner node's
     * dense gradient. Null otherwise (none yet, a leaf's private gradient, a strided view).
     */
    private Tensor gradAddend() {
        return requiresGrad && grad != null && grad.isDense() && !isLeaf() ? grad : null;
    }

    /**
     * Adds g, an op's fresh result that already includes {@code addend} (what {@link #gradAddend}
     * gave, or null: then g is the contribution alone). The held gradient is never written: the sum
     * is a new tensor, the same bits as grad + g.
     */
    private void accumulateIncluding(Tensor g, Tensor addend) {
        if (addend == null) {
            accumulate(g, true);
        } else {
            grad = g;
            gradOwned = true;
        }
    }

    /**
     * 1-D convolution of x [B, Cin, L] with weight [Cout, Cin / groups, K] and an optional bias [Cout]
     * (null for none); see {@link Tensor#conv1d}. The unfolded input the forward multiplied (K times
     * the input's size: 21 MB for all of TC-ResNet8's at batch 100) is kept for the weight gradient,
     * which is then one product; unfolding again in the backward cost 10 % of TC-ResNet8's step.
     * dx is the folded w^T g, dw g times the columns transposed (the batch summed inside the
     * product), db the sum of g over batch and time.
     */
    public Var conv1d(Var weight, Var bias, int stride, int padding, int dilation, int groups) {
        Var x = this;
        var out = x.value.conv1dWithColumns(weight.value, bias == null ? null : bias.value, stride, padding, dilation,
                groups);
        // The columns stay for the weight gradient only when there will be one.
        Tensor columns = weight.requiresGrad ? out.columns() : null;
        int length = x.dim(2);
        int kernel = weight.dim(2);
        Backward rule = g -> {
            if (bias != null && bias.requiresGrad) {
                bias.accumulate(g.sumTo(bias.dim(0), 1).reshape(bias.dim(0)), true);
            }
            if (x.requiresGrad) {
                x.accumulate(Tensor.conv1dBackwardInput(g, weight.value, length, stride, padding, dilation, groups), true);
            }
            if (weight.requiresGrad) {
                weight.accumulate(Tensor.conv1dBackwardWeight(columns, g, kernel, groups), true);
            }
        };
        return bias == null ? node("conv1d", out.y(), rule, x, weight) : node("conv1d", out.y(), rule, x, weight, bias);
    }

    // ---------------------------------------------------------------- rows: softmax, norm, loss

    public Var softmax() {
        Var x = this;
        Tensor y = x.value.softmax();
        return node("softmax", y, g -> x.accumulate(y.softmaxBackward(g, false), true), x);
    }

    public Var logSoftmax() {
        Var x = this;
        Tensor y = x.value.logSoftmax();
        return node("logSoftmax", y, g -> x.accumulate(y.softmaxBackward(g, true), true), x);
    }

    /** Layer norm over the last axis with affine gamma and beta. */
    public Var layerNorm(Var gamma, Var beta, float eps) {
        Var x = this;
        var r = x.value.layerNorm(gamma.value, beta.value, eps);
        return node("layerNorm", r.y(), g -> {
            // A residual stream's input already holds the branch's gradient: dx is summed into it in the kernel.
            Tensor held = x.gradAddend();
            var grads = x.value.layerNormBackward(g, gamma.value, r.mean(), r.rstd(), held);
            x.accumulateIncluding(grads.dx(), held);
            gamma.accumulate(grads.dgamma(), true);
            beta.accumulate(grads.dbeta(), true);
        }, x, gamma, beta);
    }

    /** A batch-norm output with the batch's mean and rstd per channel, which running statistics are made of. */
    public record BatchNorm(Var y, Tensor mean, Tensor rstd) {}

    /**
     * Batch norm in training mode of x [B, C, L] per channel over B and L, with affine gamma and beta
     * [C]; see {@link Tensor#batchNorm}. The statistics come back with the output (they are data, not
     * differentiated).
     */
    public BatchNorm batchNorm(Var gamma, Var beta, float eps) {
        Var x = this;
        var r = x.value.batchNorm(gamma.value, beta.value, eps);
        Var y = node("batchNorm", r.y(), g -> {
            var grads = x.value.batchNormBackward(g, gamma.value, r.mean(), r.rstd());
            x.accumulate(grads.dx(), true);
            gamma.accumulate(grads.dgamma(), true);
            beta.accumulate(grads.dbeta(), true);
        }, x, gamma, beta);
        return new BatchNorm(y, r.mean(), r.rstd());
    }

    /**
     * Per-row cross entropy of logits [..., C] against I32 targets [...] with label smoothing; rows
     * whose target lies outside [0, C) give 0. Returns a Var of the targets' shape.
     */
    public Var crossEntropy(Tensor targets, float smoothing) {
        Var x = this;
        Tensor loss = x.value.crossEntropy(targets, smoothing);
        return node("crossEntropy", loss, g -> x.accumulate(x.value.crossEntropyBackward(targets, smoothing, g), true), x);
    }

    // ---------------------------------------------------------------- attention and indexing

    /**
     * Scaled dot-product attention, q [B, H, N, d] against keys/values k, v [B, H, M, d], with an
     * optional additive bias [H, N, M]. See {@link Tensor#attention}.
     */
    public static Var attention(Var q, Var k, Var v, Var bias, float scale) {
        // Contiguous once, kept for backward, unless the backend reads the permuted heads in place.
        Tensor qc = q.value.attentionOperand();
        Tensor kc = k.value.attentionOperand();
        Tensor vc = v.value.attentionOperand();
        Tensor bc = bias == null ? null : bias.value.contiguous();
        var r = Tensor.attention(qc, kc, vc, bc, scale);
        Backward back = g -> {
            var grads = Tensor.attentionBackward(qc, kc, vc, bc, scale, r.out(), r.logSumExp(), g.attentionOperand());
            q.accumulate(grads.dq(), true);
            k.accumulate(grads.dk(), true);
            v.accumulate(grads.dv(), true);
            if (bias != null) {
                bias.accumulate(grads.dbias(), true);
            }
        };
        return bias == null ? node("attention", r.out(), back, q, k, v) : node("attention", r.out(), back, q, k, v, bias);
    }

    /**
     * {@link #attention(Var, Var, Var, Var, float)} on the heads of one packed projection. With
     * {@code q} null, q, k and v are parts 0, 1 and 2 of {@code packed} [B, N, 3, H, d] (full
     * attention: one product made all three); otherwise q [B, H, N, d] is given, and k and v are
     * parts 0 and 1 of packed [B, M, 2, H, d] (MP3: the keys and values of the context's rows).
     * Each part is read where it lies, as the view [B, H, T, d] ({@link #packedHeads}).
     *
     * <p>The difference from passing those views to attention is the backward: the parts'
     * gradients are written straight into one gradient of packed's shape, which they cover exactly.
     * Through the views, each part's gradient went into a zero-filled gradient of packed's shape in
     * a pass of its own: a fill, a copy and two additions over [B, T, parts, H, d] per layer; without
     * them attention's forward and backward at the demo model's shape take 0.89x the time
     * (BENCHMARKS.md, 2026-12-03 evening). The values are the same, except that a gradient of -0
     * stays -0 where adding it to the zeros made +0.
     */
    public static Var attention(Var q, Var packed, Var bias, float scale) {
        int parts = q == null ? 3 : 2;
        Require.that(packed.rank() == 5 && packed.dim(2) == parts, () -> "attention: packed projection "
                + Shape.str(packed.shape()) + " must be [B, T, " + parts + ", heads, d]"
                + (q == null ? " (q, k and v)" : " (k and v, with q given)"));
        Tensor p = packed.value;
        Tensor qc = (q == null ? packedHeads(p, 0) : q.value).attentionOperand();
        Tensor kc = packedHeads(p, parts - 2).attentionOperand();
        Tensor vc = packedHeads(p, parts - 1).attentionOperand();
        Tensor bc = bias == null ? null : bias.value.contiguous();
        var r = Tensor.attention(qc, kc, vc, bc, scale);
        Backward back = g -> {
            // Every element of the packed gradient is some part's: it needs no zeros first.
            Tensor grad = !packed.requiresGrad ? null : packed.isLeaf() ? p.zerosLike() : p.uninitializedLikeInScope();
            var grads = Tensor.attentionBackward(qc, kc, vc, bc, scale, r.out(), r.logSumExp(), g.attentionOperand(),
                    grad != null && q == null ? packedHeads(grad, 0) : null,
                    grad == null ? null : packedHeads(grad, parts - 2), grad == null ? null : packedHeads(grad, parts - 1));
            if (grad != null) {
                packed.accumulate(grad, true);
            }
            if (q != null) {
                q.accumulate(grads.dq(), true);
            }
            if (bias != null) {
                bias.accumulate(grads.dbias(), true);
            }
        };
        return node("attention", r.out(), back, Stream.of(q, packed, bias).filter(Objects::nonNull).toArray(Var[]::new));
    }

    /** Part {@code part} of a packed projection [B, T, parts, H, d] as the view [B, H, T, d]. */
    public static Tensor packedHeads(Tensor packed, int part) {
        return packed.select(2, part).permute(0, 2, 1, 3);
    }

    /** Rows of this Var (axis 0) picked by an I32 index of any shape. */
    public Var indexSelect(Tensor idx) {
        Var x = this;
        Tensor out = x.value.indexSelect(idx);
        int rows = x.dim(0);
        return node("indexSelect", out, g -> x.accumulate(g.indexAdd(idx, rows), true), x);
    }

    /**
     * {@link #indexSelect} by indices that are all distinct, given their {@code inverse} (I32 with one
     * entry per row of this Var: the position in {@code idx}, flattened, that picked the row, or -1):
     * the backward is one gather ({@link Tensor#indexSelectOrZero}) instead of a sorted scatter-add.
     * The gradient has the same values (each sum has one term; a -0.0 may come back as -0.0 where
     * indexAdd gives +0.0).
     */
    public Var indexSelect(Tensor idx, Tensor inverse) {
        Var x = this;
        requireInverse("indexSelect", java.util.Objects.requireNonNull(inverse, "indexSelect: inverse"));
        Tensor out = x.value.indexSelect(idx);
        int rowLen = idx.numel() == 0 ? 0 : out.numel() / idx.numel();
        return node("indexSelect", out, g -> x.accumulate(g.reshape(idx.numel(), rowLen).indexSelectOrZero(inverse)
                .reshape(x.shape()), true), x);
    }

    /** A distinct gather's inverse (null: none) has one entry per row of this Var. */
    private void requireInverse(String op, Tensor inverse) {
        if (inverse != null && inverse.numel() != dim(0)) {
            throw new IllegalArgumentException(op + ": the inverse has " + inverse.numel() + " entries, expected"
                    + " one per row of the source, " + dim(0));
        }
    }

    /** out[..., j] = x[..., idx[..., j]]. */
    public Var takeAlong(Tensor idx) {
        Var x = this;
        Tensor out = x.value.takeAlong(idx);
        int n = x.dim(-1);
        return node("takeAlong", out, g -> x.accumulate(g.scatterAlong(idx, n), true), x);
    }
}

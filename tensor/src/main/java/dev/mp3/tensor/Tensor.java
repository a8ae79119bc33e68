package dev.mp3.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a shape, strides and an offset over a {@link Storage}. Views (reshape of
 * a contiguous tensor, permute, transpose, slice, expand) share the storage; every op dispatches to
 * the backend that owns the storage, so the same code runs on any device.
 *
 * <p>Tensors are immutable as far as this class's API goes, except for the few {@code ...InPlace}
 * methods that optimizers and gradient accumulation need.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    /** A view of a storage; throws unless every element it addresses lies inside the storage. */
    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        checkView(storage, shape, strides, offset);
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** A contiguous tensor over a whole storage. */
    public Tensor(Storage storage, int[] shape) {
        this(storage, shape, Shape.contiguousStrides(shape), 0);
        Require.that(storage.size() == Shape.numel(shape), () -> "tensor: storage of " + storage.size()
                + " elements does not match shape " + Shape.str(shape));
    }

    /** Kernels index storage with shape, strides and offset unchecked: a bad view must fail here. */
    private static void checkView(Storage storage, int[] shape, int[] strides, int offset) {
        Require.that(strides.length == shape.length, () -> "tensor: strides " + Shape.str(strides) + " do not match shape "
                + Shape.str(shape));
        if (Shape.numel(shape) == 0) {
            return;
        }
        long last = offset;
        boolean ok = offset >= 0;
        for (int i = 0; i < shape.length; i++) {
            ok &= strides[i] >= 0;
            last += (long) (shape[i] - 1) * strides[i];
        }
        Require.that(ok && last < storage.size(), () -> "tensor: a view of shape " + Shape.str(shape) + " with strides "
                + Shape.str(strides) + " and offset " + offset + " does not fit a storage of " + storage.size() + " elements");
    }

    // ---------------------------------------------------------------- factories

    /** A CPU tensor that takes ownership of {@code data} (no copy). */
    public static Tensor of(float[] data, int... shape) {
        Require.that(data.length == Shape.numel(shape), () -> "Tensor.of: " + data.length
                + " values do not fill shape " + Shape.str(shape));
        return new Tensor(Backends.cpu().upload(data), shape.clone());
    }

    public static Tensor ofInts(int[] data, int... shape) {
        Require.that(data.length == Shape.numel(shape), () -> "Tensor.ofInts: " + data.length
                + " values do not fill shape " + Shape.str(shape));
        return new Tensor(Backends.cpu().upload(data), shape.clone());
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    public static Tensor zeros(int... shape) {
        return zeros(Device.CPU, DType.F32, shape);
    }

    public static Tensor zeros(Device device, DType dtype, int... shape) {
        return new Tensor(Backends.get(device).allocate(dtype, Shape.numel(shape)), shape.clone());
    }

    /** Counter-based random numbers on a device: element i depends only on (key, i); see {@link Rng}. */
    public static Tensor random(Device device, Rng.Kind kind, long key, int... shape) {
        Shape.numel(shape); // rejects a negative size before a backend sees the shape
        return Backends.get(device).random(kind, shape.clone(), key);
    }

    /**
     * Inverted dropout's keep mask on a device: {@code 1f / (1f - p)} where the uniform draw of
     * (key, i) is at least p, else 0; see {@link Rng#dropoutMask}.
     */
    public static Tensor dropoutMask(Device device, long key, float p, int... shape) {
        Require.that(p >= 0f && p < 1f, () -> "dropoutMask: probability " + p + " not in [0, 1)");
        Shape.numel(shape);
        return Backends.get(device).dropoutMask(shape.clone(), key, p);
    }

    public static Tensor full(float value, int... shape) {
        float[] data = new float[Shape.numel(shape)];
        Arrays.fill(data, value);
        return of(data, shape);
    }

    /** A tensor like this one (device, dtype, shape) filled with zeros. */
    public Tensor zerosLike() {
        return zeros(device(), dtype(), shape);
    }

    /**
     * Zeros of this tensor's shape, type and device in storage made as an op's output is: on the
     * CPU an array from the pool, zero-filled here, that goes back to the pool when the open
     * {@link MemoryScope} closes. For an intermediate that dies with the step, such as the
     * gradient a view's backward starts from zeros; anything that must outlive the scope (a
     * parameter's gradient, optimizer state) takes {@link #zerosLike}.
     */
    public Tensor zerosLikeInScope() {
        requireType(DType.F32, "zerosLikeInScope");
        Tensor out = uninitializedLikeInScope();
        out.fillInPlace(0f);
        return out;
    }

    /**
     * A tensor made as {@link #zerosLikeInScope} makes one, but not filled: its elements are
     * whatever the storage held (on the CPU a recycled array keeps an earlier step's values). Only
     * for a caller that overwrites every element before anything reads one, such as the gradient of
     * a packed projection whose parts an attention backward writes in full.
     */
    public Tensor uninitializedLikeInScope() {
        return new Tensor(backend().allocateForOverwrite(dtype(), numel()), shape.clone());
    }

    /** 0, 1, ..., n-1 as I32. */
    public static Tensor arange(int n) {
        int[] data = new int[n];
        for (int i = 0; i < n; i++) {
            data[i] = i;
        }
        return ofInts(data, n);
    }

    // ---------------------------------------------------------------- metadata

    public int[] shape() {
        return shape.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public Storage storage() {
        return storage;
    }

    public int rank() {
        return shape.length;
    }

    /** Size of an axis; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shape.axis("dim", axis, shape.length)];
    }

    public int numel() {
        return Shape.numel(shape);
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Backend backend() {
        return storage.backend();
    }

    public Device device() {
        return storage.device();
    }

    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Whether an axis longer than 1 has stride 0, so that elements share storage (an expand). */
    public boolean broadcasts() {
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 1 && strides[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Contiguous and covering its whole storage from offset 0: a kernel may use the raw buffer. */
    public boolean isDense() {
        return offset == 0 && isContiguous() && numel() == storage.size();
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    @Override
    public String toString() {
        return "Tensor" + Shape.str(shape) + dtype() + "@" + device();
    }

    // ---------------------------------------------------------------- views

    /** Reshape; one dimension may be -1. A view when the tensor is contiguous, else a copy. */
    public Tensor reshape(int... newShape) {
        int[] target = newShape.clone();
        int known = 1;
        int infer = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                Require.that(infer < 0, () -> "reshape: more than one -1 in " + Shape.str(newShape));
                infer = i;
            } else {
                Require.that(target[i] >= 0, () -> "reshape: negative size in " + Shape.str(newShape));
                known *= target[i];
            }
        }
        int n = numel();
        if (infer >= 0) {
            Require.that(known > 0 && n % known == 0, () -> "reshape: cannot reshape " + Shape.str(shape)
                    + " into " + Shape.str(newShape));
            target[infer] = n / known;
        }
        Require.that(Shape.numel(target) == n, () -> "reshape: cannot reshape " + Shape.str(shape) + " ("
                + n + " elements) into " + Shape.str(newShape));
        Tensor base = isContiguous() ? this : contiguous();
        return new Tensor(base.storage, target, Shape.contiguousStrides(target), base.offset);
    }

    /** Reorders axes: result axis i is this tensor's axis order[i]. A view. */
    public Tensor permute(int... order) {
        Require.that(order.length == shape.length, () -> "permute: order " + Arrays.toString(order)
                + " does not match rank " + shape.length + " of " + Shape.str(shape));
        int[] newShape = new int[order.length];
        int[] newStrides = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shape.axis("permute", order[i], shape.length);
            Require.that(!seen[a], () -> "permute: axis " + a + " repeated in " + Arrays.toString(order));
            seen[a] = true;
            newShape[i] = shape[a];
            newStrides[i] = strides[a];
        }
        return new Tensor(storage, newShape, newStrides, offset);
    }

    public Tensor transpose(int a, int b) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int x = Shape.axis("transpose", a, shape.length);
        int y = Shape.axis("transpose", b, shape.length);
        order[x] = y;
        order[y] = x;
        return permute(order);
    }

    /** Elements start (inclusive) to end (exclusive) along an axis. A view. */
    public Tensor slice(int axis, int start, int end) {
        int a = Shape.axis("slice", axis, shape.length);
        Require.that(0 <= start && start <= end && end <= shape[a], () -> "slice: range [" + start + ", " + end
                + ") out of bounds for axis " + a + " of " + Shape.str(shape));
        int[] newShape = shape.clone();
        newShape[a] = end - start;
        return new Tensor(storage, newShape, strides.clone(), offset + start * strides[a]);
    }

    /** Index i along an axis, removing that axis. A view. */
    public Tensor select(int axis, int index) {
        int a = Shape.axis("select", axis, shape.length);
        Require.that(0 <= index && index < shape[a], () -> "select: index " + index + " out of bounds for axis "
                + a + " of " + Shape.str(shape));
        int[] newShape = new int[shape.length - 1];
        int[] newStrides = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != a) {
                newShape[j] = shape[i];
                newStrides[j++] = strides[i];
            }
        }
        return new Tensor(storage, newShape, newStrides, offset + index * strides[a]);
    }

    public Tensor unsqueeze(int axis) {
        int a = Shape.axis("unsqueeze", axis, shape.length + 1);
        int[] newShape = new int[shape.length + 1];
        int[] newStrides = new int[shape.length + 1];
        for (int i = 0, j = 0; i < newShape.length; i++) {
            if (i == a) {
                newShape[i] = 1;
                newStrides[i] = 0;
            } else {
                newShape[i] = shape[j];
                newStrides[i] = strides[j++];
            }
        }
        return new Tensor(storage, newShape, newStrides, offset);
    }

    public Tensor squeeze(int axis) {
        int a = Shape.axis("squeeze", axis, shape.length);
        Require.that(shape[a] == 1, () -> "squeeze: axis " + a + " of " + Shape.str(shape) + " has size " + shape[a]);
        return select(a, 0);
    }

    /** Broadcasts size-1 axes (and new leading axes) to a larger shape without copying (stride 0). */
    public Tensor expand(int... newShape) {
        Require.that(newShape.length >= shape.length, () -> "expand: cannot expand " + Shape.str(shape)
                + " to fewer axes " + Shape.str(newShape));
        for (int d : newShape) {
            Require.that(d >= 0, () -> "expand: negative size in " + Shape.str(newShape));
        }
        int lead = newShape.length - shape.length;
        int[] newStrides = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            if (i < lead) {
                newStrides[i] = 0;
                continue;
            }
            int d = shape[i - lead];
            if (d == newShape[i]) {
                newStrides[i] = strides[i - lead];
            } else {
                Require.that(d == 1, () -> "expand: cannot expand " + Shape.str(shape) + " to " + Shape.str(newShape));
                newStrides[i] = 0;
            }
        }
        return new Tensor(storage, newShape.clone(), newStrides, offset);
    }

    /** This tensor if already contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A fresh contiguous copy on the same device. */
    public Tensor copy() {
        Tensor out = new Tensor(backend().allocateForOverwrite(dtype(), numel()), shape.clone());
        backend().copy(this, out);
        return out;
    }

    /** This tensor on another device (a copy), or itself when already there. */
    public Tensor to(Device target) {
        if (target.equals(device())) {
            return this;
        }
        Backend dst = Backends.get(target);
        Storage s = dtype() == DType.F32 ? dst.upload(backend().downloadFloats(this))
                : dst.upload(backend().downloadInts(this));
        return new Tensor(s, shape.clone());
    }

    // ---------------------------------------------------------------- host access

    public float[] toFloatArray() {
        requireType(DType.F32, "toFloatArray");
        return backend().downloadFloats(this);
    }

    public int[] toIntArray() {
        requireType(DType.I32, "toIntArray");
        return backend().downloadInts(this);
    }

    /** The single value of a one-element tensor. */
    public float item() {
        Require.that(numel() == 1, () -> "item: tensor of shape " + Shape.str(shape) + " has " + numel() + " elements, expected 1");
        return dtype() == DType.F32 ? toFloatArray()[0] : toIntArray()[0];
    }

    /** One element by index (slow: for tests and printing). */
    public float get(int... index) {
        Require.that(index.length == shape.length, () -> "get: " + index.length + " indices for rank " + shape.length);
        Tensor t = this;
        for (int i = index.length - 1; i >= 0; i--) {
            t = t.select(i, index[i]);
        }
        return t.item();
    }

    // ---------------------------------------------------------------- in-place (optimizers, accumulation)

    public void fillInPlace(float value) {
        requireType(DType.F32, "fillInPlace");
        backend().fillInPlace(this, value);
    }

    /** this += alpha * other; this may be a strided view (a window of a larger tensor), not a broadcast. */
    public void axpyInPlace(float alpha, Tensor other) {
        requireSameDevice("axpyInPlace", other);
        requireType(DType.F32, "axpyInPlace");
        other.requireType(DType.F32, "axpyInPlace");
        Require.that(sameShape(other), () -> "axpyInPlace: shapes " + Shape.str(shape) + " and " + Shape.str(other.shape) + " differ");
        Require.that(!broadcasts(), () -> "axpyInPlace: destination " + Shape.str(shape) + " is a broadcast view (stride 0),"
                + " whose elements share storage; expected distinct elements");
        backend().axpyInPlace(this, alpha, other);
    }

    public void scaleInPlace(float alpha) {
        requireType(DType.F32, "scaleInPlace");
        Require.that(isDense(), () -> "scaleInPlace: destination must be a dense tensor, got a view of " + Shape.str(shape));
        backend().scaleInPlace(this, alpha);
    }

    /**
     * One Adam/AdamW update of this parameter and its moments m and v, in place; see
     * {@link Backend#adamInPlace}. The parameter and moments are dense F32 tensors, the gradient any
     * F32 tensor of the same shape.
     */
    public void adamInPlace(Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                            float weightDecay, boolean decoupled, float bias1, float bias2) {
        requireOperand("adamInPlace", "gradient", grad, DType.F32, shape);
        requireOperand("adamInPlace", "first moment", m, DType.F32, shape);
        requireOperand("adamInPlace", "second moment", v, DType.F32, shape);
        requireType(DType.F32, "adamInPlace");
        for (Tensor t : new Tensor[] {this, m, v}) {
            Require.that(t.isDense(), () -> "adamInPlace: parameter and moments must be dense tensors, got a view " + t);
        }
        backend().adamInPlace(this, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, bias1, bias2);
    }

    /**
     * One update of many parameters (optional clipping of the total gradient norm, then Adam/AdamW
     * on each); see {@link Backend#adamStep}. Each parameter is validated as {@link #adamInPlace}
     * validates it; all tensors, and the optional one-element {@code guard}, on one device. Returns
     * [norm, guard] on that device, unread.
     */
    public static Tensor adamStep(List<Tensor> params, List<Tensor> grads, List<Tensor> m, List<Tensor> v,
                                  boolean[] decayed, float lr, float beta1, float beta2, float eps, float weightDecay,
                                  boolean decoupled, float bias1, float bias2, float maxGradNorm, Tensor guard) {
        int n = params.size();
        Require.that(n > 0 && grads.size() == n && m.size() == n && v.size() == n && decayed.length == n,
                () -> "adamStep: needs at least one parameter and as many gradients, moments and decay flags, got " + n
                        + " parameters, " + grads.size() + " gradients, " + m.size() + " and " + v.size() + " moments, "
                        + decayed.length + " flags");
        Tensor first = params.get(0);
        for (int i = 0; i < n; i++) {
            Tensor p = params.get(i);
            first.requireSameDevice("adamStep", p);
            p.requireOperand("adamStep", "gradient", grads.get(i), DType.F32, p.shape);
            p.requireOperand("adamStep", "first moment", m.get(i), DType.F32, p.shape);
            p.requireOperand("adamStep", "second moment", v.get(i), DType.F32, p.shape);
            p.requireType(DType.F32, "adamStep");
            for (Tensor t : new Tensor[] {p, m.get(i), v.get(i)}) {
                Require.that(t.isDense(), () -> "adamStep: parameters and moments must be dense tensors, got a view " + t);
            }
        }
        if (guard != null) {
            first.requireSameDevice("adamStep", guard);
            guard.requireType(DType.F32, "adamStep guard");
            Require.that(guard.numel() == 1, () -> "adamStep: the guard must have one element, got " + Shape.str(guard.shape));
        }
        return first.backend().adamStep(params, grads, m, v, decayed, lr, beta1, beta2, eps, weightDecay, decoupled,
                bias1, bias2, maxGradNorm, guard);
    }

    /** Copies src (broadcasting) into this tensor, which may be a view. */
    public void copyFrom(Tensor src) {
        requireSameDevice("copyFrom", src);
        Require.that(src.dtype() == dtype(), () -> "copyFrom: cannot copy a " + src.dtype() + " tensor into a " + dtype() + " one");
        Require.that(Arrays.equals(Shape.broadcast("copyFrom", src.shape, shape), shape), () -> "copyFrom: source "
                + Shape.str(src.shape) + " does not broadcast to destination " + Shape.str(shape));
        for (int i = 0; i < shape.length; i++) {
            int axis = i;
            Require.that(shape[i] <= 1 || strides[i] != 0, () -> "copyFrom: destination " + Shape.str(shape)
                    + " is a broadcast view (stride 0 along axis " + axis + "); its elements share memory");
        }
        // A source sharing this storage (say, a transpose of this tensor) would be read after being
        // overwritten: copy it out first.
        Tensor from = src.storage == storage ? src.copy() : src;
        backend().copy(from.expand(shape), this);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor unary(UnaryOp op) {
        requireType(DType.F32, op.name().toLowerCase());
        return backend().unary(op, this);
    }

    public Tensor neg() { return unary(UnaryOp.NEG); }
    public Tensor exp() { return unary(UnaryOp.EXP); }
    public Tensor log() { return unary(UnaryOp.LOG); }
    public Tensor sqrt() { return unary(UnaryOp.SQRT); }
    public Tensor rsqrt() { return unary(UnaryOp.RSQRT); }
    public Tensor tanh() { return unary(UnaryOp.TANH); }
    public Tensor relu() { return unary(UnaryOp.RELU); }
    public Tensor gelu() { return unary(UnaryOp.GELU); }
    public Tensor geluTanh() { return unary(UnaryOp.GELU_TANH); }
    public Tensor sigmoid() { return unary(UnaryOp.SIGMOID); }
    public Tensor square() { return unary(UnaryOp.SQUARE); }
    public Tensor abs() { return unary(UnaryOp.ABS); }

    public Tensor binary(BinaryOp op, Tensor other) {
        String name = op.name().toLowerCase();
        requireSameDevice(name, other);
        requireType(DType.F32, name);
        other.requireType(DType.F32, name);
        Shape.broadcast(name, shape, other.shape);
        return backend().binary(op, this, other);
    }

    public Tensor add(Tensor other) { return binary(BinaryOp.ADD, other); }
    public Tensor sub(Tensor other) { return binary(BinaryOp.SUB, other); }
    public Tensor mul(Tensor other) { return binary(BinaryOp.MUL, other); }
    public Tensor div(Tensor other) { return binary(BinaryOp.DIV, other); }

    /** scale * this + shift. */
    public Tensor affine(float scale, float shift) {
        requireType(DType.F32, "affine");
        return backend().affine(this, scale, shift);
    }

    public Tensor mul(float s) { return affine(s, 0f); }
    public Tensor add(float s) { return affine(1f, s); }

    public Tensor clamp(float lo, float hi) {
        requireType(DType.F32, "clamp");
        Require.that(lo <= hi, () -> "clamp: lo " + lo + " above hi " + hi);
        return backend().clamp(this, lo, hi);
    }

    /** value where mask != 0; mask broadcasts against this tensor. */
    public Tensor maskedFill(Tensor mask, float value) {
        requireSameDevice("maskedFill", mask);
        requireType(DType.F32, "maskedFill");
        mask.requireType(DType.F32, "maskedFill mask");
        int[] b = Shape.broadcast("maskedFill", shape, mask.shape);
        Require.that(Arrays.equals(b, shape), () -> "maskedFill: mask " + Shape.str(mask.shape)
                + " does not broadcast to " + Shape.str(shape));
        return backend().maskedFill(this, mask, value);
    }

    /** 1.0 where equal, else 0.0 (broadcast). Both F32 or both I32. */
    public Tensor eq(Tensor other) {
        requireSameDevice("eq", other);
        Require.that(dtype() == other.dtype(), () -> "eq: dtypes " + dtype() + " and " + other.dtype() + " differ");
        Shape.broadcast("eq", shape, other.shape);
        return backend().equal(this, other);
    }

    /** gy * op'(this), the backward of {@link #unary}; gy broadcasts to this tensor's shape. */
    public Tensor unaryBackward(UnaryOp op, Tensor gy) {
        requireGradient(op.name().toLowerCase() + " backward", gy);
        return backend().unaryBackward(op, this, gy);
    }

    /** gy where lo &lt; this &lt; hi, else 0: the backward of {@link #clamp}; gy broadcasts to this tensor's shape. */
    public Tensor clampBackward(Tensor gy, float lo, float hi) {
        requireGradient("clamp backward", gy);
        return backend().clampBackward(this, gy, lo, hi);
    }

    // ---------------------------------------------------------------- reductions

    public Tensor reduce(ReduceOp op, int axis, boolean keepDim) {
        String name = op.name().toLowerCase();
        requireType(DType.F32, name);
        int a = Shape.axis(name, axis, shape.length);
        Require.that(shape[a] > 0 || op != ReduceOp.MAX, () -> "max: axis " + a + " of " + Shape.str(shape) + " is empty");
        return backend().reduce(op, this, a, keepDim);
    }

    public Tensor sum(int axis, boolean keepDim) { return reduce(ReduceOp.SUM, axis, keepDim); }
    public Tensor mean(int axis, boolean keepDim) { return reduce(ReduceOp.MEAN, axis, keepDim); }
    public Tensor max(int axis, boolean keepDim) { return reduce(ReduceOp.MAX, axis, keepDim); }

    /** Sum of all elements, a tensor of shape []. */
    public Tensor sum() { return reshape(-1).sum(0, false); }
    public Tensor mean() { return reshape(-1).mean(0, false); }
    public Tensor max() { return reshape(-1).max(0, false); }

    public Tensor argmax(int axis) {
        requireType(DType.F32, "argmax");
        int a = Shape.axis("argmax", axis, shape.length);
        Require.that(shape[a] > 0, () -> "argmax: axis " + a + " of " + Shape.str(shape) + " is empty");
        return backend().argmax(this, a);
    }

    /** Sums broadcast axes away so the result has the given shape. */
    public Tensor sumTo(int... target) {
        requireType(DType.F32, "sumTo");
        int[] b = Shape.broadcast("sumTo", target, shape);
        Require.that(Arrays.equals(b, shape), () -> "sumTo: " + Shape.str(shape) + " is not a broadcast of " + Shape.str(target));
        if (Arrays.equals(target, shape)) {
            return this;
        }
        return backend().sumTo(this, target.clone());
    }

    // ---------------------------------------------------------------- rows

    public Tensor softmax() {
        requireRows("softmax");
        return backend().softmax(this, false);
    }

    public Tensor logSoftmax() {
        requireRows("logSoftmax");
        return backend().softmax(this, true);
    }

    /** The backward of {@link #softmax} (of {@link #logSoftmax} when log) given this output and its gradient gy. */
    public Tensor softmaxBackward(Tensor gy, boolean log) {
        String op = log ? "logSoftmax backward" : "softmax backward";
        requireRows(op);
        requireOperand(op, "gradient", gy, DType.F32, shape);
        return backend().softmaxBackward(this, gy, log);
    }

    /** Layer norm over the last axis with gamma and beta of its length; mean and rstd per row are kept. */
    public Backend.LayerNormOut layerNorm(Tensor gamma, Tensor beta, float eps) {
        requireRows("layerNorm");
        int c = dim(-1);
        requireOperand("layerNorm", "gamma", gamma, DType.F32, c);
        requireOperand("layerNorm", "beta", beta, DType.F32, c);
        return backend().layerNorm(this, gamma, beta, eps);
    }

    /** The backward of {@link #layerNorm} for this input, given the output gradient gy and the kept mean and rstd. */
    public Backend.LayerNormGrads layerNormBackward(Tensor gy, Tensor gamma, Tensor mean, Tensor rstd) {
        requireLayerNormBackward(gy, gamma, mean, rstd);
        return backend().layerNormBackward(gy, this, gamma, mean, rstd);
    }

    private void requireLayerNormBackward(Tensor gy, Tensor gamma, Tensor mean, Tensor rstd) {
        requireRows("layerNorm backward");
        int[] rows = Arrays.copyOf(shape, shape.length - 1);
        requireOperand("layerNorm backward", "gradient", gy, DType.F32, shape);
        requireOperand("layerNorm backward", "gamma", gamma, DType.F32, dim(-1));
        requireOperand("layerNorm backward", "mean", mean, DType.F32, rows);
        requireOperand("layerNorm backward", "rstd", rstd, DType.F32, rows);
    }

    /**
     * {@link #layerNormBackward} with dx + addend in place of dx (addend of this input's shape, or
     * null): a gradient already held for the input, summed in the same pass with the same bits.
     */
    public Backend.LayerNormGrads layerNormBackward(Tensor gy, Tensor gamma, Tensor mean, Tensor rstd, Tensor addend) {
        if (addend == null) {
            return layerNormBackward(gy, gamma, mean, rstd);
        }
        requireLayerNormBackward(gy, gamma, mean, rstd);
        requireOperand("layerNorm backward", "addend", addend, DType.F32, shape);
        return backend().layerNormBackward(gy, this, gamma, mean, rstd, addend);
    }

    /**
     * Per-row cross entropy of these logits [..., C] against I32 targets [...] with label smoothing;
     * rows whose target lies outside [0, C) give 0. See {@link Backend#crossEntropy}. Result: the
     * targets' shape.
     */
    public Tensor crossEntropy(Tensor targets, float smoothing) {
        requireLoss("crossEntropy", targets, smoothing);
        return backend().crossEntropy(reshape(-1, dim(-1)), targets.reshape(-1), smoothing).reshape(targets.shape);
    }

    /** d(sum gLoss * loss) / d logits for {@link #crossEntropy}; gLoss has the targets' shape. */
    public Tensor crossEntropyBackward(Tensor targets, float smoothing, Tensor gLoss) {
        requireLoss("crossEntropy backward", targets, smoothing);
        requireOperand("crossEntropy backward", "loss gradient", gLoss, DType.F32, targets.shape);
        return backend().crossEntropyBackward(reshape(-1, dim(-1)), targets.reshape(-1), smoothing, gLoss.reshape(-1))
                .reshape(shape);
    }

    private void requireLoss(String op, Tensor targets, float smoothing) {
        requireRows(op);
        requireOperand(op, "targets", targets, DType.I32, Arrays.copyOf(shape, shape.length - 1));
        Require.that(smoothing >= 0f && smoothing < 1f, () -> op + ": label smoothing " + smoothing + " not in [0, 1)");
    }

    // ---------------------------------------------------------------- matmul and indexing

    public Tensor matmul(Tensor b) {
        return matmul(this, false, b, false);
    }

    /** op(a) @ op(b) over the last two axes, batch axes broadcast; see {@link Backend#matmul}. */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        requireProduct(a, transA, b, transB);
        return a.backend().matmul(a, transA, b, transB);
    }

    /**
     * op(a) @ op(b) of two matrices and op(a)'s rows summed over k: a linear layer's weight
     * gradient dY^T X with its bias gradient (transA, a = dY); see {@link Backend#matmulWithSums}.
     */
    public static Backend.ProductAndSums matmulWithSums(Tensor a, boolean transA, Tensor b, boolean transB) {
        Require.that(a.rank() == 2 && b.rank() == 2, () -> "matmulWithSums: operands must be matrices, got "
                + Shape.str(a.shape) + " and " + Shape.str(b.shape));
        requireProduct(a, transA, b, transB);
        return a.backend().matmulWithSums(a, transA, b, transB);
    }

    /**
     * op(a) @ op(b) + bias, bias [N] added to every row (null for none): a linear layer's forward,
     * the same bits as the matmul followed by {@link #add}; see {@link Backend#matmul(Tensor, boolean,
     * Tensor, boolean, Tensor)}.
     */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias) {
        if (bias == null) {
            return matmul(a, transA, b, transB);
        }
        requireBias(a, bias, requireProduct(a, transA, b, transB));
        return a.backend().matmul(a, transA, b, transB, bias);
    }

    /**
     * op(a) @ op(b) + bias + addend, the addend (null for none) a tensor of the product's shape: a
     * linear layer with its residual connection, or a product added to a gradient, in one pass; the
     * same bits as the matmul followed by two {@link #add}s. See {@link Backend#matmul(Tensor,
     * boolean, Tensor, boolean, Tensor, Tensor)}.
     */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias, Tensor addend) {
        if (addend == null) {
            return matmul(a, transA, b, transB, bias);
        }
        Shape.MatMul sizes = requireProduct(a, transA, b, transB);
        requireBias(a, bias, sizes);
        a.requireSameDevice("matmul", addend);
        addend.requireType(DType.F32, "matmul addend");
        Require.that(Arrays.equals(addend.shape, sizes.out()), () -> "matmul: addend " + Shape.str(addend.shape)
                + " does not match the product's shape " + Shape.str(sizes.out()));
        return a.backend().matmul(a, transA, b, transB, bias, addend);
    }

    /**
     * activation(op(a) @ op(b) + bias) and the value before the activation (bias may be null): a
     * linear layer and its activation in one pass, the same bits as the matmul followed by
     * {@link #unary}. See {@link Backend#matmulActivated}.
     */
    public static Backend.ActivatedProduct matmulActivated(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias,
                                                           UnaryOp activation) {
        Require.that(activation != null, "matmulActivated: an activation is required");
        requireBias(a, bias, requireProduct(a, transA, b, transB));
        return a.backend().matmulActivated(a, transA, b, transB, bias, activation);
    }

    /** The operands of a product: one device, F32, shapes that multiply; the product's sizes. */
    private static Shape.MatMul requireProduct(Tensor a, boolean transA, Tensor b, boolean transB) {
        a.requireSameDevice("matmul", b);
        a.requireType(DType.F32, "matmul");
        b.requireType(DType.F32, "matmul");
        return Shape.matmul(a.shape, transA, b.shape, transB);
    }

    /** A bias (null: nothing to check) of the product's N columns. */
    private static void requireBias(Tensor a, Tensor bias, Shape.MatMul sizes) {
        if (bias == null) {
            return;
        }
        a.requireSameDevice("matmul", bias);
        bias.requireType(DType.F32, "matmul bias");
        Require.that(bias.rank() == 1 && bias.shape[0] == sizes.n(), () -> "matmul: bias " + Shape.str(bias.shape)
                + " does not match the " + sizes.n() + " columns of the product");
    }

    /** Rows of this tensor (axis 0) picked by an I32 index of any shape: result idx.shape + shape[1:]. */
    public Tensor indexSelect(Tensor idx) {
        requireSameDevice("indexSelect", idx);
        idx.requireType(DType.I32, "indexSelect index");
        requireType(DType.F32, "indexSelect");
        Require.that(rank() >= 1, () -> "indexSelect: source must have rank >= 1, got " + Shape.str(shape));
        return backend().indexSelect(this, idx);
    }

    /**
     * {@link #indexSelect} where the index -1 picks a row of zeros. With the inverse of distinct
     * indices (row r of a gather's source came from output row inverse[r], or from none: -1) it is
     * that gather's backward in one pass, the sums of {@link #indexAdd} having one term each.
     */
    public Tensor indexSelectOrZero(Tensor idx) {
        requireSameDevice("indexSelectOrZero", idx);
        idx.requireType(DType.I32, "indexSelectOrZero index");
        requireType(DType.F32, "indexSelectOrZero");
        Require.that(rank() >= 1, () -> "indexSelectOrZero: source must have rank >= 1, got " + Shape.str(shape));
        return backend().indexSelectOrZero(this, idx);
    }

    /** Along the last axis: out[..., j] = this[..., idx[..., j]]. */
    public Tensor takeAlong(Tensor idx) {
        requireSameDevice("takeAlong", idx);
        idx.requireType(DType.I32, "takeAlong index");
        requireType(DType.F32, "takeAlong");
        Require.that(rank() >= 1, () -> "takeAlong: source must have rank >= 1, got " + Shape.str(shape));
        Require.that(idx.rank() == rank() && Arrays.equals(Arrays.copyOf(idx.shape, rank() - 1), Arrays.copyOf(shape, rank() - 1)),
                () -> "takeAlong: index " + Shape.str(idx.shape) + " must match " + Shape.str(shape) + " in all but the last axis");
        return backend().takeAlong(this, idx);
    }

    /** The backward of {@link #indexSelect}: zeros [rows, ...] with out[idx[i...]] += this[i..., ...], in index order. */
    public Tensor indexAdd(Tensor idx, int rows) {
        requireSameDevice("indexAdd", idx);
        idx.requireType(DType.I32, "indexAdd index");
        requireType(DType.F32, "indexAdd");
        Require.that(rank() >= idx.rank() && Arrays.equals(Arrays.copyOf(shape, idx.rank()), idx.shape), () -> "indexAdd: source "
                + Shape.str(shape) + " must begin with the index shape " + Shape.str(idx.shape));
        Require.that(rows >= 0, () -> "indexAdd: " + rows + " rows requested");
        return backend().indexAdd(this, idx, rows);
    }

    /** The backward of {@link #takeAlong}: zeros [..., n] with out[..., idx[..., j]] += this[..., j]. */
    public Tensor scatterAlong(Tensor idx, int n) {
        requireSameDevice("scatterAlong", idx);
        idx.requireType(DType.I32, "scatterAlong index");
        requireType(DType.F32, "scatterAlong");
        Require.that(rank() >= 1 && sameShape(idx), () -> "scatterAlong: source " + Shape.str(shape) + " and index "
                + Shape.str(idx.shape) + " must have one shape of rank >= 1");
        Require.that(n >= 0, () -> "scatterAlong: a last axis of " + n + " requested");
        return backend().scatterAlong(this, idx, n);
    }

    public static Tensor concat(List<Tensor> parts, int axis) {
        Require.that(!parts.isEmpty(), "concat: no tensors given");
        Tensor first = parts.get(0);
        int a = Shape.axis("concat", axis, first.rank());
        for (Tensor t : parts) {
            first.requireSameDevice("concat", t);
            Require.that(t.dtype() == first.dtype(), "concat: dtypes differ");
            boolean ok = t.rank() == first.rank();
            for (int i = 0; ok && i < t.rank(); i++) {
                ok = i == a || t.shape[i] == first.shape[i];
            }
            Require.that(ok, () -> "concat: " + Shape.str(t.shape) + " does not match " + Shape.str(first.shape)
                    + " outside axis " + a);
        }
        return first.backend().concat(parts, a);
    }

    // ---------------------------------------------------------------- attention

    /**
     * Scaled dot-product attention, q [B, H, N, d] against keys and values k, v [B, H, M, d], with an
     * optional additive bias [H, N, M] (null for none). See {@link Backend#attention}.
     */
    /**
     * This tensor as an operand of {@link #attention}: itself when its backend reads attention
     * operands as views ({@link Backend#attentionReadsViews}), else a contiguous copy (or itself
     * when already contiguous).
     */
    public Tensor attentionOperand() {
        return backend().attentionReadsViews() ? this : contiguous();
    }

    public static Backend.AttentionOut attention(Tensor q, Tensor k, Tensor v, Tensor bias, float scale) {
        requireAttention("attention", q, k, v, bias);
        return q.backend().attention(q, k, v, bias, scale);
    }

    /** The backward of {@link #attention}, given its out and logSumExp and the output gradient gOut. */
    public static Backend.AttentionGrads attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale,
                                                           Tensor out, Tensor logSumExp, Tensor gOut) {
        return attentionBackward(q, k, v, bias, scale, out, logSumExp, gOut, null, null, null);
    }

    /**
     * {@link #attentionBackward} with dq, dk and dv written into the given tensors (any of them null
     * for a fresh one), which are then the grads returned: each of its operand's shape with a
     * contiguous last axis, no broadcast axis, and overlapping neither the inputs nor each other,
     * such as the three windows of one gradient of a packed q, k, v projection. Every element of
     * each is overwritten.
     */
    public static Backend.AttentionGrads attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale,
                                                           Tensor out, Tensor logSumExp, Tensor gOut, Tensor dqInto,
                                                           Tensor dkInto, Tensor dvInto) {
        requireAttention("attention backward", q, k, v, bias);
        q.requireOperand("attention backward", "out", out, DType.F32, q.shape);
        q.requireOperand("attention backward", "output gradient", gOut, DType.F32, q.shape);
        q.requireOperand("attention backward", "logSumExp", logSumExp, DType.F32, Arrays.copyOf(q.shape, 3));
        requireGradientDestination("dq", q, dqInto);
        requireGradientDestination("dk", k, dkInto);
        requireGradientDestination("dv", v, dvInto);
        return q.backend().attentionBackward(q, k, v, bias, scale, out, logSumExp, gOut, dqInto, dkInto, dvInto);
    }

    private static void requireGradientDestination(String what, Tensor operand, Tensor into) {
        if (into == null) {
            return;
        }
        operand.requireOperand("attention backward", what + " destination", into, DType.F32, operand.shape);
        Require.that(into.strides[3] == 1 || into.shape[3] == 1, () -> "attention backward: " + what + " destination "
                + Shape.str(into.shape) + " with strides " + Arrays.toString(into.strides)
                + " must have a contiguous last axis (stride 1)");
        Require.that(!into.broadcasts(), () -> "attention backward: " + what + " destination " + Shape.str(into.shape)
                + " is a broadcast view (stride 0), which cannot take a gradient");
    }

    private static void requireAttention(String op, Tensor q, Tensor k, Tensor v, Tensor bias) {
        Require.that(q.rank() == 4 && k.rank() == 4 && v.rank() == 4, () -> op + ": q, k, v must be [B, H, tokens, d], got "
                + Shape.str(q.shape) + ", " + Shape.str(k.shape) + ", " + Shape.str(v.shape));
        int[] qs = q.shape;
        int[] ks = k.shape;
        Require.that(Arrays.equals(ks, v.shape) && ks[0] == qs[0] && ks[1] == qs[1] && ks[3] == qs[3], () -> op + ": k "
                + Shape.str(ks) + " and v " + Shape.str(v.shape) + " must be [" + qs[0] + ", " + qs[1] + ", M, " + qs[3]
                + "] for q " + Shape.str(qs));
        for (Tensor t : new Tensor[] {q, k, v}) {
            q.requireSameDevice(op, t);
            t.requireType(DType.F32, op);
        }
        if (bias != null) {
            q.requireSameDevice(op, bias);
            bias.requireType(DType.F32, op + " bias");
            bias.requireShape(op + " bias", qs[1], qs[2], ks[2]);
        }
    }

    // ---------------------------------------------------------------- convolution and batch norm

    /**
     * im2col: this input [B, C, L] as columns [C * kernel, B, outLength] of the 1-D convolution with
     * these settings (the batch is in the columns, so a convolution is one matmul); see
     * {@link Backend#unfold1d}.
     */
    public Tensor unfold1d(int kernel, int stride, int padding, int dilation) {
        requireType(DType.F32, "unfold1d");
        Require.that(kernel >= 1, () -> "unfold1d: kernel size " + kernel + " must be >= 1");
        Shape.conv1d("unfold1d", shape, new int[] {1, rank() == 3 ? shape[1] : 1, kernel}, stride, padding, dilation, 1);
        return backend().unfold1d(this, kernel, stride, padding, dilation);
    }

    /**
     * col2im, the backward of {@link #unfold1d}: these columns [C * kernel, B, outLength] summed back
     * into an input [B, C, length]; see {@link Backend#fold1d}.
     */
    public Tensor fold1d(int length, int kernel, int stride, int padding, int dilation) {
        requireType(DType.F32, "fold1d");
        Require.that(kernel >= 1, () -> "fold1d: kernel size " + kernel + " must be >= 1");
        Require.that(rank() == 3 && shape[0] % kernel == 0, () -> "fold1d: columns must be [C * "
                + kernel + ", B, outLength], got " + Shape.str(shape));
        int[] input = {shape[1], shape[0] / kernel, length};
        Require.that(length >= 0, () -> "fold1d: length " + length + " is negative");
        Shape.Conv1d c = Shape.conv1d("fold1d", input, new int[] {1, input[1], kernel}, stride, padding, dilation, 1);
        Require.that(c.outLength() == shape[2], () -> "fold1d: columns " + Shape.str(shape) + " have " + shape[2]
                + " positions, but an input of length " + length + " gives " + c.outLength());
        return backend().fold1d(this, length, kernel, stride, padding, dilation);
    }

    /**
     * 1-D convolution (PyTorch's conv1d, a cross-correlation) of this input [B, Cin, L] with weight
     * [Cout, Cin / groups, K] and an optional bias [Cout] (null for none), zero padding on both
     * sides: y[b, o, t] = bias[o] + sum_{c, k} w[o, c, k] x[b, g * Cin/groups + c, t * stride -
     * padding + k * dilation] for o in group g. Result [B, Cout, outLength] (see {@link Shape#conv1d}).
     * Computed as im2col ({@link #unfold1d}, the whole batch side by side in the columns) and one
     * matmul per group, [Cout, B * outLength], whose rows are then moved to [B, Cout, outLength].
     */
    public Tensor conv1d(Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv1dWithColumns(weight, bias, stride, padding, dilation, groups).y();
    }

    /** A convolution's output and the columns ({@link #unfold1d}) it was computed from. */
    public record Conv1dOut(Tensor y, Tensor columns) {}

    /**
     * {@link #conv1d}, also returning the unfolded input, from which the weight gradient is one
     * product ({@link #conv1dBackwardWeight(Tensor, Tensor, int, int)}) instead of a second unfold.
     */
    public Conv1dOut conv1dWithColumns(Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        Shape.Conv1d c = requireConv1d("conv1d", weight, stride, padding, dilation, groups);
        if (bias != null) {
            requireOperand("conv1d", "bias", bias, DType.F32, c.out());
        }
        Tensor cols = backend().unfold1d(this, c.kernel(), stride, padding, dilation);
        Tensor y = matmul(weightByGroup(weight, c), false, byGroup(cols, groups), false)
                .reshape(c.out(), c.batch(), c.outLength());
        if (bias != null) {
            y = y.add(bias.reshape(c.out(), 1, 1));
        }
        return new Conv1dOut(y.permute(1, 0, 2).contiguous(), cols);
    }

    /**
     * The gradient of {@link #conv1d} with respect to its input [B, Cin, length], given the output
     * gradient gy and the weight: the columns' gradient w^T gy per group, folded back
     * ({@link #fold1d}).
     */
    public static Tensor conv1dBackwardInput(Tensor gy, Tensor weight, int length, int stride, int padding, int dilation,
                                             int groups) {
        gy.requireType(DType.F32, "conv1d backward");
        gy.requireSameDevice("conv1d backward", weight);
        weight.requireType(DType.F32, "conv1d backward weight");
        Require.that(gy.rank() == 3 && weight.rank() == 3, () -> "conv1d backward: gradient must be [B, Cout, outLength] and "
                + "weight [Cout, Cin/groups, K], got " + Shape.str(gy.shape) + " and " + Shape.str(weight.shape));
        int[] input = {gy.shape[0], weight.shape[1] * groups, length};
        Shape.Conv1d c = Shape.conv1d("conv1d backward", input, weight.shape, stride, padding, dilation, groups);
        Require.that(Arrays.equals(gy.shape, c.outShape()), () -> "conv1d backward: gradient " + Shape.str(gy.shape)
                + " should be " + Shape.str(c.outShape()) + " for weight " + Shape.str(weight.shape) + " and length " + length);
        Tensor cols = matmul(weightByGroup(weight, c), true, gradientByGroup(gy, groups), false)
                .reshape(c.in() * c.kernel(), c.batch(), c.outLength());
        return cols.backend().fold1d(cols, length, c.kernel(), stride, padding, dilation);
    }

    /**
     * The gradient of {@link #conv1d} of this input with respect to the weight [Cout, Cin / groups,
     * kernel], given the output gradient gy: the input unfolded again, then
     * {@link #conv1dBackwardWeight(Tensor, Tensor, int, int)}.
     */
    public Tensor conv1dBackwardWeight(Tensor gy, int kernel, int stride, int padding, int dilation, int groups) {
        requireSameDevice("conv1d backward", gy);
        Require.that(rank() == 3 && gy.rank() == 3, () -> "conv1d backward: input must be [B, Cin, L] and gradient "
                + "[B, Cout, outLength], got " + Shape.str(shape) + " and " + Shape.str(gy.shape));
        int[] w = {gy.shape[1], groups >= 1 ? shape[1] / groups : 0, kernel};
        Shape.Conv1d c = requireConv1d("conv1d backward", w, stride, padding, dilation, groups);
        requireOperand("conv1d backward", "gradient", gy, DType.F32, c.outShape());
        return conv1dBackwardWeight(backend().unfold1d(this, kernel, stride, padding, dilation), gy, kernel, groups);
    }

    /**
     * The weight gradient [Cout, Cin / groups, kernel] of a convolution from the columns [Cin *
     * kernel, B, outLength] of its input ({@link #conv1dWithColumns}) and the output gradient gy [B,
     * Cout, outLength]: gy times the columns transposed, per group; the batch is summed inside the
     * product, whose inner dimension is B * outLength.
     */
    public static Tensor conv1dBackwardWeight(Tensor columns, Tensor gy, int kernel, int groups) {
        columns.requireType(DType.F32, "conv1d backward columns");
        gy.requireType(DType.F32, "conv1d backward");
        columns.requireSameDevice("conv1d backward", gy);
        Require.that(kernel >= 1 && groups >= 1, () -> "conv1d backward: kernel size " + kernel + " and groups " + groups
                + " must be >= 1");
        Require.that(columns.rank() == 3 && gy.rank() == 3 && columns.shape[0] % (kernel * groups) == 0
                && gy.shape[1] % groups == 0 && gy.shape[0] == columns.shape[1] && gy.shape[2] == columns.shape[2],
                () -> "conv1d backward: columns must be [Cin * " + kernel + ", B, outLength] and the gradient [B, Cout, "
                + "outLength] with Cin and Cout divisible by groups " + groups + ", got " + Shape.str(columns.shape)
                + " and " + Shape.str(gy.shape));
        int rows = columns.shape[0] / groups;
        return matmul(gradientByGroup(gy, groups), false, byGroup(columns, groups), true)
                .reshape(gy.shape[1], rows / kernel, kernel);
    }

    private Shape.Conv1d requireConv1d(String op, Tensor weight, int stride, int padding, int dilation, int groups) {
        requireSameDevice(op, weight);
        weight.requireType(DType.F32, op + " weight");
        return requireConv1d(op, weight.shape, stride, padding, dilation, groups);
    }

    private Shape.Conv1d requireConv1d(String op, int[] weight, int stride, int padding, int dilation, int groups) {
        requireType(DType.F32, op);
        return Shape.conv1d(op, shape, weight, stride, padding, dilation, groups);
    }

    /** The weight [Cout, Cin/G, K] as the per-group left operand [G, Cout/G, Cin/G K]. */
    private static Tensor weightByGroup(Tensor weight, Shape.Conv1d c) {
        return weight.reshape(c.groups(), c.out() / c.groups(), c.groupRows());
    }

    /** Columns [Cin K, B, outLength] as the per-group right operand [G, Cin/G K, B outLength]. */
    private static Tensor byGroup(Tensor cols, int groups) {
        return cols.reshape(groups, cols.shape[0] / groups, cols.shape[1] * cols.shape[2]);
    }

    /**
     * An output (gradient) [B, Cout, outLength] as the columns' partner [G, Cout/G, B outLength]: a
     * copy with the batch moved inside each channel's row.
     */
    private static Tensor gradientByGroup(Tensor gy, int groups) {
        return gy.permute(1, 0, 2).contiguous().reshape(groups, gy.shape[1] / groups, gy.shape[0] * gy.shape[2]);
    }

    /**
     * Batch norm in training mode of this [B, C, L] tensor, per channel over B and L, with gamma and
     * beta [C]; the batch mean and rstd [C] are kept. See {@link Backend#batchNorm}.
     */
    public Backend.BatchNormOut batchNorm(Tensor gamma, Tensor beta, float eps) {
        int c = requireBatchNorm("batchNorm");
        requireOperand("batchNorm", "gamma", gamma, DType.F32, c);
        requireOperand("batchNorm", "beta", beta, DType.F32, c);
        Require.that(eps >= 0f, () -> "batchNorm: eps " + eps + " is negative");
        return backend().batchNorm(this, gamma, beta, eps);
    }

    /** The backward of {@link #batchNorm} for this input, given the output gradient gy and the kept mean and rstd. */
    public Backend.BatchNormGrads batchNormBackward(Tensor gy, Tensor gamma, Tensor mean, Tensor rstd) {
        int c = requireBatchNorm("batchNorm backward");
        requireOperand("batchNorm backward", "gradient", gy, DType.F32, shape);
        requireOperand("batchNorm backward", "gamma", gamma, DType.F32, c);
        requireOperand("batchNorm backward", "mean", mean, DType.F32, c);
        requireOperand("batchNorm backward", "rstd", rstd, DType.F32, c);
        return backend().batchNormBackward(gy, this, gamma, mean, rstd);
    }

    private int requireBatchNorm(String op) {
        requireType(DType.F32, op);
        Require.that(rank() == 3 && shape[0] * shape[2] > 0, () -> op + ": input must be [B, C, L] with B * L > 0, got "
                + Shape.str(shape));
        return shape[1];
    }

    // ---------------------------------------------------------------- checks

    public void requireType(DType expected, String op) {
        if (dtype() != expected) {
            throw new IllegalArgumentException(op + ": expected a " + expected + " tensor, got " + this);
        }
    }

    public void requireSameDevice(String op, Tensor other) {
        if (!device().equals(other.device())) {
            throw new IllegalArgumentException(op + ": tensors on different devices, " + this + " and " + other
                    + "; move one with to(device)");
        }
    }

    public void requireShape(String op, int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException(op + ": expected shape " + Shape.str(expected) + ", got " + Shape.str(shape));
        }
    }

    /** An upstream gradient for this tensor: F32, on its device, broadcasting to its shape. */
    private void requireGradient(String op, Tensor gy) {
        requireSameDevice(op, gy);
        requireType(DType.F32, op);
        gy.requireType(DType.F32, op + " gradient");
        Require.that(Arrays.equals(Shape.broadcast(op, gy.shape, shape), shape), () -> op + ": gradient " + Shape.str(gy.shape)
                + " does not broadcast to " + Shape.str(shape));
    }

    /** t, called what in messages, must be a {@code dtype} tensor of exactly {@code expected} shape on this device. */
    private void requireOperand(String op, String what, Tensor t, DType dtype, int... expected) {
        requireSameDevice(op, t);
        t.requireType(dtype, op + " " + what);
        Require.that(Arrays.equals(t.shape, expected), () -> op + ": " + what + " " + Shape.str(t.shape) + " should be "
                + Shape.str(expected) + " for " + Shape.str(shape));
    }

    private void requireRows(String op) {
        requireType(DType.F32, op);
        Require.that(rank() >= 1 && dim(-1) > 0, () -> op + ": needs a non-empty last axis, got " + Shape.str(shape));
    }
}

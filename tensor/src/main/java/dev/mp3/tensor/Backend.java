package dev.mp3.tensor;

import java.util.List;

/**
 * The op set: every kernel a backend must provide. This interface is the seam between the model
 * code and the hardware. {@link dev.mp3.tensor.cpu.CpuBackend} is the reference implementation;
 * the OpenCL backend passes the same tests.
 *
 * <p>Conventions shared by every method:
 * <ul>
 *   <li>All tensor arguments live on this backend's device; {@link Tensor} checks that before
 *       dispatching. Inputs may be any strided view unless stated; outputs are new contiguous
 *       tensors (except the in-place methods, named {@code ...InPlace}, and {@link #copy}).
 *   <li>Shapes and dtypes are validated by {@link Tensor}, the only caller outside the backends;
 *       a backend may assume them consistent. Index values, which only a kernel reads, are the
 *       backend's to check.
 *   <li>"Rows" means the last axis: a tensor of shape [..., C] has numel/C rows of length C.
 *   <li>Results never depend on the number of threads or work-items: the same inputs give the same
 *       bits.
 * </ul>
 */
public interface Backend {

    Device device();

    // ---------------------------------------------------------------- memory and layout

    /** A zero-filled storage of {@code size} elements. */
    Storage allocate(DType dtype, int size);

    /**
     * Storage whose every element the caller overwrites before reading any (a copy's destination):
     * a device backend may leave it unset and spare a fill kernel. Defaults to {@link #allocate}
     * (on the CPU a Java array is zeroed anyway).
     */
    default Storage allocateForOverwrite(DType dtype, int size) {
        return allocate(dtype, size);
    }

    Storage upload(float[] data);

    Storage upload(int[] data);

    /** The tensor's elements in row-major order (any strides). */
    float[] downloadFloats(Tensor t);

    int[] downloadInts(Tensor t);

    /** Copies src into dst elementwise; dst may be a strided view; src may broadcast (stride 0). */
    void copy(Tensor src, Tensor dst);

    void fillInPlace(Tensor dst, float value);

    /**
     * dst += alpha * src, shapes equal; dst any view whose elements are distinct (no broadcast
     * axis), such as a window of a larger gradient. Used for gradient accumulation.
     */
    void axpyInPlace(Tensor dst, float alpha, Tensor src);

    void scaleInPlace(Tensor dst, float alpha);

    // ---------------------------------------------------------------- elementwise

    Tensor unary(UnaryOp op, Tensor x);

    /** gy * op'(x), the backward of {@link #unary}. */
    Tensor unaryBackward(UnaryOp op, Tensor x, Tensor gy);

    /** NumPy-broadcast a (op) b. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /** scale * x + shift. */
    Tensor affine(Tensor x, float scale, float shift);

    Tensor clamp(Tensor x, float lo, float hi);

    /** gy where lo &lt; x &lt; hi, else 0. */
    Tensor clampBackward(Tensor x, Tensor gy, float lo, float hi);

    /** x where mask == 0, value where mask != 0; mask (F32) broadcasts against x. */
    Tensor maskedFill(Tensor x, Tensor mask, float value);

    /** 1 where a == b else 0 (broadcast), as F32. Int tensors compare as ints. */
    Tensor equal(Tensor a, Tensor b);

    // ---------------------------------------------------------------- reductions

    Tensor reduce(ReduceOp op, Tensor x, int axis, boolean keepDim);

    /** Index of the first maximum along the axis, as I32, axis removed. */
    Tensor argmax(Tensor x, int axis);

    /** Sums x over its broadcast axes so the result has {@code shape} (the backward of broadcasting). */
    Tensor sumTo(Tensor x, int[] shape);

    // ---------------------------------------------------------------- rows: softmax, norm, loss

    /** Softmax (or log-softmax) over the last axis. */
    Tensor softmax(Tensor x, boolean log);

    /** Gradient of {@link #softmax} given its output y and upstream gy. */
    Tensor softmaxBackward(Tensor y, Tensor gy, boolean log);

    record LayerNormOut(Tensor y, Tensor mean, Tensor rstd) {}

    record LayerNormGrads(Tensor dx, Tensor dgamma, Tensor dbeta) {}

    /** Layer norm over the last axis: y = (x - mean) * rstd * gamma + beta; mean and rstd per row. */
    LayerNormOut layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps);

    LayerNormGrads layerNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd);

    /**
     * {@link #layerNormBackward} with dx + addend in place of dx (addend of x's shape, or null): the
     * gradient a residual stream already holds, summed in the same pass. The same bits as the
     * backward followed by {@code binary(ADD, dx, addend)}, which is what this default computes.
     */
    default LayerNormGrads layerNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor addend) {
        LayerNormGrads r = layerNormBackward(gy, x, gamma, mean, rstd);
        return addend == null ? r : new LayerNormGrads(binary(BinaryOp.ADD, r.dx(), addend), r.dgamma(), r.dbeta());
    }

    /**
     * Cross entropy of each row of logits [R, C] against an I32 target [R], with label smoothing
     * s: loss = -(1-s) log p[t] - (s/C) sum_j log p[j]. Targets outside [0, C) are ignored (loss 0),
     * which is how a caller masks rows out. Returns the per-row loss [R].
     */
    Tensor crossEntropy(Tensor logits, Tensor targets, float smoothing);

    /** d(sum_r gLoss[r] * loss[r]) / d logits. */
    Tensor crossEntropyBackward(Tensor logits, Tensor targets, float smoothing, Tensor gLoss);

    // ---------------------------------------------------------------- matmul and attention

    /**
     * Batched matrix product op(a) @ op(b), op = transpose of the last two axes when the flag is set.
     * a is [..., M, K] ([..., K, M] when transA), b is [..., K, N] ([..., N, K] when transB); the batch
     * axes broadcast. Result [..., M, N].
     */
    Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB);

    /**
     * op(a) @ op(b) + bias with bias [N] added to every row of the result: a linear layer's forward.
     * Each element gets the bias once its dot product is complete, so the result is the same bits
     * as {@code binary(ADD, matmul(a, transA, b, transB), bias)}, which is what this default
     * computes; a backend may instead add the bias in its GEMM's epilogue and save the pass over
     * the result (the CPU backend does). bias may be null.
     */
    default Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias) {
        Tensor y = matmul(a, transA, b, transB);
        return bias == null ? y : binary(BinaryOp.ADD, y, bias);
    }

    /**
     * op(a) @ op(b) + bias + addend, the addend a tensor of the product's shape (a residual
     * connection, or a gradient the product is added to); either may be null. Each element is
     * (product + bias) + addend, rounded after each add: the bits of the matmul followed by
     * {@code binary(ADD, ..., addend)}, which is what this default computes; a backend may add
     * the addend in its GEMM's epilogue instead and save a pass and a launch.
     */
    default Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias, Tensor addend) {
        Tensor y = matmul(a, transA, b, transB, bias);
        return addend == null ? y : binary(BinaryOp.ADD, y, addend);
    }

    /** A product and an activation of it: {@code out = activation(pre)}. */
    record ActivatedProduct(Tensor pre, Tensor out) {}

    /**
     * activation(op(a) @ op(b) + bias): a linear layer and its activation (an MLP's first layer
     * and GELU), with the value before the activation (pre) kept for the backward pass. The same
     * bits as {@code unary(activation, matmul(a, transA, b, transB, bias))}, which is what this
     * default computes; a backend may apply the activation in its GEMM's epilogue instead.
     */
    default ActivatedProduct matmulActivated(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias,
                                             UnaryOp activation) {
        Tensor pre = matmul(a, transA, b, transB, bias);
        return new ActivatedProduct(pre, unary(activation, pre));
    }

    /** A product and the sums over k of op(a)'s rows: a weight gradient and its bias gradient. */
    record ProductAndSums(Tensor product, Tensor sums) {}

    /**
     * op(a) @ op(b) for 2-D operands, and sums [M]: each row of op(a) summed over k. For a linear
     * layer's dW = dY^T X (a = dY [rows, out], transA) the sums are its bias gradient, dY's column
     * sums. This default computes the matmul and {@link #sumTo} (the sums' bits are sumTo's); a
     * backend may take the sums from its product's own reading of a, in an order fixed by the
     * shapes (the CPU backend does for a weight gradient's long k).
     */
    default ProductAndSums matmulWithSums(Tensor a, boolean transA, Tensor b, boolean transB) {
        Tensor product = matmul(a, transA, b, transB);
        Tensor sums = transA ? sumTo(a, new int[] {a.dim(1)}) : sumTo(a, new int[] {a.dim(0), 1}).reshape(a.dim(0));
        return new ProductAndSums(product, sums);
    }

    /**
     * Whether {@link #attention} and {@link #attentionBackward} read q, k, v and the output gradient
     * as strided views (the permuted heads of a projection) without a copy; when false (this
     * default) callers pass them contiguous, made once and kept for the backward pass.
     */
    default boolean attentionReadsViews() {
        return false;
    }

    record AttentionOut(Tensor out, Tensor logSumExp) {}

    record AttentionGrads(Tensor dq, Tensor dk, Tensor dv, Tensor dbias) {}

    /**
     * Scaled dot-product attention with a separate key/value set (MP3's masked attention):
     * q [B, H, N, d], k and v [B, H, M, d], optional additive bias [H, N, M] shared by the batch
     * (null for none). out[b,h,i] = sum_j softmax_j(scale * q_i.k_j + bias[h,i,j]) v_j.
     * logSumExp [B, H, N] is kept for the backward pass, which recomputes the probabilities.
     */
    AttentionOut attention(Tensor q, Tensor k, Tensor v, Tensor bias, float scale);

    /** dbias is null when bias is null. dq, dk and dv are fresh tensors. */
    default AttentionGrads attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale,
                                             Tensor out, Tensor logSumExp, Tensor gOut) {
        return attentionBackward(q, k, v, bias, scale, out, logSumExp, gOut, null, null, null);
    }

    /**
     * The same, with dq, dk and dv written into {@code dqInto}, {@code dkInto} and {@code dvInto}
     * where those are not null: tensors of q's, k's and v's shapes whose last axis is contiguous
     * (the windows of one gradient of a packed projection, say), every element overwritten; the
     * grads returned are those tensors.
     */
    AttentionGrads attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale,
                                     Tensor out, Tensor logSumExp, Tensor gOut, Tensor dqInto, Tensor dkInto,
                                     Tensor dvInto);

    // ---------------------------------------------------------------- convolution and batch norm

    /**
     * im2col of a 1-D convolution's input, the whole batch side by side: x [B, C, L] to cols
     * [C * kernel, B, outLength] with cols[c * kernel + k, b, t] = x[b, c, t * stride - padding + k *
     * dilation], 0 where that falls in the zero padding. A convolution is then one matmul per group,
     * [Cout, C * kernel] x [C * kernel, B * outLength] (see {@link Tensor#conv1d}).
     */
    Tensor unfold1d(Tensor x, int kernel, int stride, int padding, int dilation);

    /**
     * col2im, the backward of {@link #unfold1d}: cols [C * kernel, B, outLength] to [B, C, length],
     * each element the sum of the columns that read it, added in increasing k.
     */
    Tensor fold1d(Tensor cols, int length, int kernel, int stride, int padding, int dilation);

    record BatchNormOut(Tensor y, Tensor mean, Tensor rstd) {}

    record BatchNormGrads(Tensor dx, Tensor dgamma, Tensor dbeta) {}

    /**
     * Batch norm in training mode over x [B, C, L]: per channel c, mean and biased variance over
     * B and L, y = (x - mean) * rstd * gamma + beta with rstd = 1 / sqrt(var + eps); mean and rstd
     * [C] are kept for the backward pass (and for running statistics).
     */
    BatchNormOut batchNorm(Tensor x, Tensor gamma, Tensor beta, float eps);

    /**
     * The backward of {@link #batchNorm}: with xhat = (x - mean) * rstd and N = B * L per channel,
     * dx = gamma * rstd * (gy - sum(gy) / N - xhat * sum(gy * xhat) / N), dgamma = sum(gy * xhat),
     * dbeta = sum(gy).
     */
    BatchNormGrads batchNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd);

    // ---------------------------------------------------------------- indexing

    /** out[i..., :] = x[idx[i...], :] along axis 0 of x; idx is I32 of any shape. */
    Tensor indexSelect(Tensor x, Tensor idx);

    /** As indexSelect, with index -1 giving a row of zeros (other indices must lie in range). */
    Tensor indexSelectOrZero(Tensor x, Tensor idx);

    /** The backward of indexSelect: zeros [rows, ...] with out[idx[i]] += g[i] (in index order). */
    Tensor indexAdd(Tensor g, Tensor idx, int rows);

    /** out[..., j] = x[..., idx[..., j]] along the last axis; idx I32 with x's leading shape. */
    Tensor takeAlong(Tensor x, Tensor idx);

    /** The backward of takeAlong: zeros [..., n] with out[..., idx[..., j]] += g[..., j]. */
    Tensor scatterAlong(Tensor g, Tensor idx, int n);

    /** Concatenation along an axis. */
    Tensor concat(List<Tensor> parts, int axis);

    // ---------------------------------------------------------------- randomness and optimizers

    /**
     * Counter-based random numbers: element i of a tensor drawn with {@code key} depends only on
     * (key, i), so any backend and any thread count give the same bits. See {@link Rng}.
     */
    Tensor random(Rng.Kind kind, int[] shape, long key);

    /**
     * Inverted dropout's mask in one pass: {@code 1f / (1f - p)} where the uniform draw
     * {@code random(UNIFORM, shape, key)} is at least p, else 0. Bit for bit what this default
     * computes from the draw in four passes (clamping u to [p, 1] leaves it unchanged exactly when
     * u >= p); a backend draws and thresholds each element at once instead.
     */
    default Tensor dropoutMask(int[] shape, long key, float p) {
        Tensor u = random(Rng.Kind.UNIFORM, shape, key);
        return u.clamp(p, 1f).eq(u).mul(1f / (1f - p));
    }

    /**
     * One Adam/AdamW update in place on param, m, v. With decoupled weight decay (AdamW) the
     * parameter is multiplied by (1 - lr*weightDecay) first; without it (Adam) weightDecay*param is
     * added to the gradient. bias1 = 1 - beta1^t and bias2 = 1 - beta2^t are passed in.
     */
    void adamInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                     float eps, float weightDecay, boolean decoupled, float bias1, float bias2);

    /**
     * One optimizer update of many parameters at once: with {@code maxGradNorm > 0}, clipping of
     * the total L2 norm of all gradients to it (each gradient times maxGradNorm / (norm + 1e-6) when
     * that is below 1, as PyTorch's clip_grad_norm_), then {@link #adamInPlace} on each parameter,
     * weight decay only where {@code decayed[i]}. Nothing is updated when the norm is not finite, or
     * when the optional {@code guard} (one element, usually the loss) is not: the caller reads the
     * returned F32 tensor [2] = [norm (NaN without clipping), guard (NaN without one)], which stays
     * on this device, and decides; a backend may queue the whole update without waiting for the
     * device. Gradients may or may not be left scaled by the clipping.
     *
     * <p>This default is the reference: the norm as {@code nn.GradClip} computes it (each gradient's
     * sum of squares in float, their total in double), the gradients scaled in place, one
     * {@link #adamInPlace} per parameter. A backend that queues work (OpenCL) overrides it with a few
     * multi-tensor kernels and no read-back.
     */
    default Tensor adamStep(List<Tensor> params, List<Tensor> grads, List<Tensor> m, List<Tensor> v, boolean[] decayed,
                            float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
                            float bias1, float bias2, float maxGradNorm, Tensor guard) {
        float guardValue = guard == null ? Float.NaN : guard.item();
        boolean ok = guard == null || Float.isFinite(guardValue);
        double norm = Double.NaN;
        double coef = 1.0;
        if (ok && maxGradNorm > 0) {
            norm = 0.0;
            if (!grads.isEmpty()) {
                List<Tensor> squares = new java.util.ArrayList<>();
                for (Tensor g : grads) {
                    squares.add(g.square().sum().reshape(1));
                }
                double sum = 0;
                for (float s : Tensor.concat(squares, 0).toFloatArray()) {
                    sum += s;
                }
                norm = Math.sqrt(sum);
            }
            ok = !Double.isNaN(norm) && !Double.isInfinite(norm);
            coef = (double) maxGradNorm / (norm + 1e-6);
        }
        if (ok) {
            List<Tensor> scaled = grads;
            if (coef < 1.0) {
                // In place as clip_grad_norm_, a strided view through a dense copy.
                scaled = new java.util.ArrayList<>();
                for (Tensor g : grads) {
                    Tensor d = g.isDense() ? g : g.copy();
                    d.scaleInPlace((float) coef);
                    scaled.add(d);
                }
            }
            for (int i = 0; i < params.size(); i++) {
                params.get(i).adamInPlace(scaled.get(i), m.get(i), v.get(i), lr, beta1, beta2, eps,
                        decayed[i] ? weightDecay : 0f, decoupled, bias1, bias2);
            }
        }
        return new Tensor(upload(new float[] {(float) norm, guardValue}), new int[] {2});
    }
}

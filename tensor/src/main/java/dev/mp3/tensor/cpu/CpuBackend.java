package dev.mp3.tensor.cpu;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.BinaryOp;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.ReduceOp;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Storage;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.UnaryOp;

import java.util.Arrays;
import java.util.List;

/**
 * The reference backend: Java heap arrays, Vector API kernels, run on the calling thread and helper threads
 * ({@link Parallel}), as many in all as cores.
 * This class adapts tensors (views, broadcasting, batching) to the flat-array kernel families in
 * this package, named as the OpenCL backend's: {@link ElementwiseKernels}, {@link ReduceKernels},
 * {@link RowsKernels}, {@link GemmKernels}, {@link AttentionKernels}, {@link IndexKernels}, {@link ConvKernels}. The
 * arithmetic lives in those classes.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private static final int GRAIN = 1 << 14;

    private CpuBackend() {}

    @Override
    public Device device() {
        return Device.CPU;
    }

    // ---------------------------------------------------------------- memory and layout

    @Override
    public Storage allocate(DType dtype, int size) {
        return dtype == DType.F32 ? new CpuStorage(new float[size]) : new CpuStorage(new int[size]);
    }

    /**
     * The most bytes of recycled output arrays this backend keeps between memory scopes (three
     * quarters of the maximum heap): a training step reuses the previous step's arrays only if they fit.
     */
    public long arrayPoolCapacity() {
        return ArrayPool.SHARED.capacity();
    }

    /**
     * Bytes of op-output arrays handed out so far that go back to the pool when their memory scope
     * closes (the large outputs, {@link CpuStorage#recycled}): its growth over one training step is
     * what the pool must hold for the next step to reuse them all.
     */
    public long recycledArrayBytes() {
        return CpuStorage.recycledBytes();
    }

    /** A copy's destination: recycled where a memory scope is open (see {@link CpuStorage#recycled}). */
    @Override
    public Storage allocateForOverwrite(DType dtype, int size) {
        return dtype == DType.F32 ? CpuStorage.recycled(size) : allocate(dtype, size);
    }

    @Override
    public Storage upload(float[] data) {
        return new CpuStorage(data);
    }

    @Override
    public Storage upload(int[] data) {
        return new CpuStorage(data);
    }

    @Override
    public float[] downloadFloats(Tensor t) {
        if (t.isDense()) {
            return CpuStorage.floats(t).clone();
        }
        return CpuStorage.floats(t.copy());
    }

    @Override
    public int[] downloadInts(Tensor t) {
        if (t.isDense()) {
            return CpuStorage.ints(t).clone();
        }
        return CpuStorage.ints(t.copy());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Loop loop = Loop.over(dst.shape(), dst, src);
        if (dst.dtype() == DType.I32) {
            int[] s = CpuStorage.ints(src);
            int[] d = CpuStorage.ints(dst);
            loop.forEach(GRAIN, (pos, off, len) -> {
                for (int i = 0; i < len; i++) {
                    d[off[0] + i * loop.innerStride[0]] = s[off[1] + i * loop.innerStride[1]];
                }
            });
            return;
        }
        float[] s = CpuStorage.floats(src);
        float[] d = CpuStorage.floats(dst);
        int ds = loop.innerStride[0];
        int ss = loop.innerStride[1];
        loop.forEach(GRAIN, (pos, off, len) -> {
            if (ds == 1 && ss == 1) {
                System.arraycopy(s, off[1], d, off[0], len);
            } else {
                for (int i = 0; i < len; i++) {
                    d[off[0] + i * ds] = s[off[1] + i * ss];
                }
            }
        });
    }

    @Override
    public void fillInPlace(Tensor dst, float value) {
        if (dst.isDense()) {
            float[] d = CpuStorage.floats(dst);
            Parallel.forRange(d.length, GRAIN, (lo, hi) -> Arrays.fill(d, lo, hi, value));
            return;
        }
        copy(Tensor.scalar(value).expand(dst.shape()), dst);
    }

    @Override
    public void axpyInPlace(Tensor dst, float alpha, Tensor src) {
        if (!dst.isContiguous()) {
            // A window of a larger tensor: the same fma per element, run by run along the innermost axis.
            Loop loop = Loop.over(dst.shape(), dst, src);
            float[] d = CpuStorage.floats(dst);
            float[] s = CpuStorage.floats(src);
            int ds = loop.innerStride[0];
            int ss = loop.innerStride[1];
            loop.forEach(GRAIN, (pos, off, len) -> {
                if (ds == 1 && ss == 1) {
                    ElementwiseKernels.axpy(d, off[0], alpha, s, off[1], len);
                } else {
                    for (int i = 0; i < len; i++) {
                        d[off[0] + i * ds] = Math.fma(alpha, s[off[1] + i * ss], d[off[0] + i * ds]);
                    }
                }
            });
            return;
        }
        float[] d = CpuStorage.floats(dst);
        int dOff = dst.offset();
        Tensor s = src.contiguous();
        float[] x = CpuStorage.floats(s);
        int so = s.offset();
        Parallel.forRange(dst.numel(), GRAIN, (lo, hi) -> ElementwiseKernels.axpy(d, dOff + lo, alpha, x, so + lo, hi - lo));
    }

    @Override
    public void scaleInPlace(Tensor dst, float alpha) {
        float[] d = CpuStorage.floats(dst);
        Parallel.forRange(d.length, GRAIN, (lo, hi) -> ElementwiseKernels.affineRun(d, lo, 1, alpha, 0f, d, lo, hi - lo));
    }

    // ---------------------------------------------------------------- elementwise

    private static Tensor newF32(int[] shape) {
        return new Tensor(new CpuStorage(new float[Shape.numel(shape)]), shape);
    }

    /**
     * An output whose every element the op writes before any is read: inside a memory scope its
     * array may be a recycled one ({@link CpuStorage#recycled}), which saves the JVM's zeroing.
     */
    private static Tensor overwritten(int[] shape) {
        return new Tensor(CpuStorage.recycled(Shape.numel(shape)), shape);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = overwritten(x.shape());
        float[] o = CpuStorage.floats(out);
        float[] xs = CpuStorage.floats(x);
        Loop loop = Loop.over(x.shape(), x);
        int st = loop.innerStride[0];
        loop.forEach(GRAIN, (pos, off, len) -> ElementwiseKernels.unaryRun(op, xs, off[0], st, o, pos, len));
        return out;
    }

    @Override
    public Tensor unaryBackward(UnaryOp op, Tensor x, Tensor gy) {
        int[] shape = x.shape();
        Tensor out = overwritten(shape);
        float[] o = CpuStorage.floats(out);
        float[] xs = CpuStorage.floats(x);
        float[] gs = CpuStorage.floats(gy);
        Loop loop = Loop.over(shape, x, gy.expand(shape));
        int sx = loop.innerStride[0];
        int sg = loop.innerStride[1];
        loop.forEach(GRAIN, (pos, off, len) ->
                ElementwiseKernels.unaryBackwardRun(op, xs, off[0], sx, gs, off[1], sg, o, pos, len));
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(op.name(), a.shape(), b.shape());
        Tensor out = overwritten(shape);
        float[] o = CpuStorage.floats(out);
        float[] as = CpuStorage.floats(a);
        float[] bs = CpuStorage.floats(b);
        Loop loop = Loop.over(shape, a.expand(shape), b.expand(shape));
        int sa = loop.innerStride[0];
        int sb = loop.innerStride[1];
        loop.forEach(GRAIN, (pos, off, len) -> ElementwiseKernels.binaryRun(op, as, off[0], sa, bs, off[1], sb, o, pos, len));
        return out;
    }

    @Override
    public Tensor affine(Tensor x, float scale, float shift) {
        Tensor out = overwritten(x.shape());
        float[] o = CpuStorage.floats(out);
        float[] xs = CpuStorage.floats(x);
        Loop loop = Loop.over(x.shape(), x);
        int st = loop.innerStride[0];
        loop.forEach(GRAIN, (pos, off, len) -> ElementwiseKernels.affineRun(xs, off[0], st, scale, shift, o, pos, len));
        return out;
    }

    @Override
    public Tensor clamp(Tensor x, float lo, float hi) {
        Tensor out = overwritten(x.shape());
        float[] o = CpuStorage.floats(out);
        float[] xs = CpuStorage.floats(x);
        Loop loop = Loop.over(x.shape(), x);
        int st = loop.innerStride[0];
        loop.forEach(GRAIN, (pos, off, len) -> {
            for (int i = 0; i < len; i++) {
                o[pos + i] = Math.min(hi, Math.max(lo, xs[off[0] + i * st]));
            }
        });
        return out;
    }

    @Override
    public Tensor clampBackward(Tensor x, Tensor gy, float lo, float hi) {
        int[] shape = x.shape();
        Tensor out = overwritten(shape);
        float[] o = CpuStorage.floats(out);
        float[] xs = CpuStorage.floats(x);
        float[] gs = CpuStorage.floats(gy);
        Loop loop = Loop.over(shape, x, gy.expand(shape));
        int sx = loop.innerStride[0];
        int sg = loop.innerStride[1];
        loop.forEach(GRAIN, (pos, off, len) -> {
            for (int i = 0; i < len; i++) {
                float v = xs[off[0] + i * sx];
                o[pos + i] = v > lo && v < hi ? gs[off[1] + i * sg] : 0f;
            }
        });
        return out;
    }

    @Override
    public Tensor maskedFill(Tensor x, Tensor mask, float value) {
        int[] shape = x.shape();
        Tensor out = overwritten(shape);
        float[] o = CpuStorage.floats(out);
        float[] xs = CpuStorage.floats(x);
        float[] ms = CpuStorage.floats(mask);
        Loop loop = Loop.over(shape, x, mask.expand(shape));
        int sx = loop.innerStride[0];
        int sm = loop.innerStride[1];
        loop.forEach(GRAIN, (pos, off, len) -> {
            for (int i = 0; i < len; i++) {
                o[pos + i] = ms[off[1] + i * sm] != 0f ? value : xs[off[0] + i * sx];
            }
        });
        return out;
    }

    @Override
    public Tensor equal(Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("eq", a.shape(), b.shape());
        Tensor out = newF32(shape);
        float[] o = CpuStorage.floats(out);
        Loop loop = Loop.over(shape, a.expand(shape), b.expand(shape));
        int sa = loop.innerStride[0];
        int sb = loop.innerStride[1];
        if (a.dtype() == DType.I32) {
            int[] as = CpuStorage.ints(a);
            int[] bs = CpuStorage.ints(b);
            loop.forEach(GRAIN, (pos, off, len) -> {
                for (int i = 0; i < len; i++) {
                    o[pos + i] = as[off[0] + i * sa] == bs[off[1] + i * sb] ? 1f : 0f;
                }
            });
        } else {
            float[] as = CpuStorage.floats(a);
            float[] bs = CpuStorage.floats(b);
            loop.forEach(GRAIN, (pos, off, len) -> {
                for (int i = 0; i < len; i++) {
                    o[pos + i] = as[off[0] + i * sa] == bs[off[1] + i * sb] ? 1f : 0f;
                }
            });
        }
        return out;
    }

    // ---------------------------------------------------------------- reductions

    private static float[] dense(Tensor t) {
        return CpuStorage.floats(t.isDense() ? t : t.copy());
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int axis, boolean keepDim) {
        int[] shape = x.shape();
        int[] dims = Shape.around(shape, axis);
        Tensor out = newF32(Shape.reduced(shape, axis, keepDim));
        if (dims[1] == 0) {
            return out;
        }
        ReduceKernels.reduce(op, dense(x), dims[0], dims[1], dims[2], CpuStorage.floats(out));
        return out;
    }

    @Override
    public Tensor argmax(Tensor x, int axis) {
        int[] shape = x.shape();
        int[] dims = Shape.around(shape, axis);
        int[] reduced = Shape.reduced(shape, axis, false);
        int[] out = new int[Shape.numel(reduced)];
        ReduceKernels.argmax(dense(x), dims[0], dims[1], dims[2], out);
        return new Tensor(new CpuStorage(out), reduced);
    }

    @Override
    public Tensor sumTo(Tensor x, int[] shape) {
        Tensor t = x;
        int lead = x.rank() - shape.length;
        for (int i = 0; i < lead; i++) {
            t = reduce(ReduceOp.SUM, t, 0, false);
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1 && t.dim(i) != 1) {
                t = reduce(ReduceOp.SUM, t, i, true);
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- rows

    @Override
    public Tensor softmax(Tensor x, boolean log) {
        int c = x.dim(-1);
        Tensor out = overwritten(x.shape());
        RowsKernels.softmax(dense(x), CpuStorage.floats(out), x.numel() / c, c, log);
        return out;
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor gy, boolean log) {
        int c = y.dim(-1);
        Tensor out = overwritten(y.shape());
        RowsKernels.softmaxBackward(dense(y), dense(gy), CpuStorage.floats(out), y.numel() / c, c, log);
        return out;
    }

    @Override
    public LayerNormOut layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int c = x.dim(-1);
        int rows = x.numel() / c;
        int[] rowShape = Arrays.copyOf(x.shape(), x.rank() - 1);
        Tensor y = overwritten(x.shape());
        Tensor mean = newF32(rowShape);
        Tensor rstd = newF32(rowShape);
        RowsKernels.layerNorm(dense(x), dense(gamma), dense(beta), eps, CpuStorage.floats(y), CpuStorage.floats(mean),
                CpuStorage.floats(rstd), rows, c);
        return new LayerNormOut(y, mean, rstd);
    }

    /** mean is not read: the kernel recomputes each row's centre from x as the forward did (see RowsKernels). */
    @Override
    public LayerNormGrads layerNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        return layerNormBackward(gy, x, gamma, mean, rstd, null);
    }

    /** The addend is summed into dx in the kernel's pass that writes it (see RowsKernels.layerNormBackward). */
    @Override
    public LayerNormGrads layerNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor addend) {
        int c = x.dim(-1);
        int rows = x.numel() / c;
        Tensor dx = overwritten(x.shape());
        Tensor dgamma = newF32(new int[] {c});
        Tensor dbeta = newF32(new int[] {c});
        RowsKernels.layerNormBackward(dense(gy), dense(x), dense(gamma), dense(rstd), addend == null ? null : dense(addend),
                CpuStorage.floats(dx), CpuStorage.floats(dgamma), CpuStorage.floats(dbeta), rows, c);
        return new LayerNormGrads(dx, dgamma, dbeta);
    }

    private static int[] denseInts(Tensor t) {
        return CpuStorage.ints(t.isDense() ? t : t.copy());
    }

    @Override
    public Tensor crossEntropy(Tensor logits, Tensor targets, float smoothing) {
        int c = logits.dim(-1);
        int rows = logits.numel() / c;
        Tensor out = newF32(new int[] {rows});
        RowsKernels.crossEntropy(dense(logits), denseInts(targets), smoothing, CpuStorage.floats(out), rows, c);
        return out;
    }

    @Override
    public Tensor crossEntropyBackward(Tensor logits, Tensor targets, float smoothing, Tensor gLoss) {
        int c = logits.dim(-1);
        int rows = logits.numel() / c;
        Tensor out = overwritten(logits.shape());
        RowsKernels.crossEntropyBackward(dense(logits), denseInts(targets), smoothing, dense(gLoss), CpuStorage.floats(out), rows, c);
        return out;
    }

    // ---------------------------------------------------------------- matmul and attention

    /** A matmul operand as the kernel wants it: one array, a per-item stride (0 = shared), a layout flag. */
    private record Operand(float[] data, int offset, int batchStride, boolean trans) {}

    private static Operand operand(Tensor t, boolean trans, int[] batchShape) {
        int r = t.rank();
        int[] shape = t.shape();
        int[] strides = t.strides();
        int rows = shape[r - 2];
        int cols = shape[r - 1];
        boolean rowMajor = (strides[r - 1] == 1 || cols == 1) && (strides[r - 2] == cols || rows == 1);
        boolean colMajor = (strides[r - 2] == 1 || rows == 1) && (strides[r - 1] == rows || cols == 1);
        int batchItems = 1;
        for (int i = 0; i < r - 2; i++) {
            batchItems *= shape[i];
        }
        boolean batchDense = true;
        int expected = rows * cols;
        for (int i = r - 3; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                batchDense = false;
            }
            expected *= shape[i];
        }
        int fullItems = Shape.numel(batchShape);
        boolean batchOk = batchItems == 1 || (batchItems == fullItems && batchDense);
        if ((rowMajor || colMajor) && batchOk) {
            int stride = batchItems == 1 ? 0 : rows * cols;
            return new Operand(CpuStorage.floats(t), t.offset(), stride, rowMajor ? trans : !trans);
        }
        if (!batchOk && batchItems != fullItems) {
            int[] full = Arrays.copyOf(batchShape, batchShape.length + 2);
            full[batchShape.length] = rows;
            full[batchShape.length + 1] = cols;
            t = t.expand(full);
        }
        return new Operand(CpuStorage.floats(t.copy()), 0, batchItems == 1 ? 0 : rows * cols, trans);
    }

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        return matmul(a, transA, b, transB, null);
    }

    /** The bias goes into the GEMM's epilogue ({@link GemmBias}): the same bits as a separate add. */
    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias) {
        Shape.MatMul sizes = Shape.matmul(a.shape(), transA, b.shape(), transB);
        Tensor out = overwritten(sizes.out());
        int batch = Shape.numel(sizes.batch());
        int m = sizes.m();
        int n = sizes.n();
        if (batch == 0 || m == 0 || n == 0) {
            return out;
        }
        Operand oa = operand(a, transA, sizes.batch());
        Operand ob = operand(b, transB, sizes.batch());
        Tensor bc = bias == null ? null : bias.strides()[0] == 1 ? bias : bias.contiguous();
        GemmKernels.gemm(batch, m, n, sizes.k(), oa.data, oa.offset, oa.batchStride, oa.trans,
                ob.data, ob.offset, ob.batchStride, ob.trans, CpuStorage.floats(out), 0, m * n,
                bc == null ? null : CpuStorage.floats(bc), bc == null ? 0 : bc.offset());
        return out;
    }

    /**
     * Where the product is a weight gradient's ({@link GemmKernels#rowSumsWithProduct}), the sums
     * come from its packing of a: one reading of dY from memory for dW and the bias gradient.
     * Elsewhere the default (matmul, then sumTo).
     */
    @Override
    public ProductAndSums matmulWithSums(Tensor a, boolean transA, Tensor b, boolean transB) {
        Shape.MatMul sizes = Shape.matmul(a.shape(), transA, b.shape(), transB);
        Operand oa = operand(a, transA, sizes.batch());
        Operand ob = operand(b, transB, sizes.batch());
        int m = sizes.m();
        int n = sizes.n();
        int k = sizes.k();
        if (!GemmKernels.rowSumsWithProduct(m, n, k, oa.trans, ob.trans)) {
            return Backend.super.matmulWithSums(a, transA, b, transB);
        }
        Tensor out = overwritten(sizes.out());
        Tensor sums = newF32(new int[] {m});
        GemmKernels.gemmWithRowSums(m, n, k, oa.data, oa.offset, oa.trans, ob.data, ob.offset, ob.trans,
                CpuStorage.floats(out), 0, CpuStorage.floats(sums));
        return new ProductAndSums(out, sums);
    }

    /** The addend goes onto the fresh product in place: no second result tensor. */
    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias, Tensor addend) {
        Tensor out = matmul(a, transA, b, transB, bias);
        if (addend != null) {
            axpyInPlace(out, 1f, addend);
        }
        return out;
    }

    /** Reads q, k, v and the output gradient where they lie, as long as a head's d values are contiguous. */
    @Override
    public boolean attentionReadsViews() {
        return true;
    }

    @Override
    public AttentionOut attention(Tensor q, Tensor k, Tensor v, Tensor bias, float scale) {
        int[] qs = q.shape();
        int n = qs[2];
        int m = k.dim(2);
        Tensor out = headsLast(qs);
        Tensor lse = newF32(new int[] {qs[0], qs[1], n});
        AttentionKernels.forward(heads(q), heads(k), heads(v), bias == null ? null : dense(bias), qs[0] * qs[1], qs[1],
                n, m, qs[3], scale, heads(out), CpuStorage.floats(lse));
        return new AttentionOut(out, lse);
    }

    @Override
    public AttentionGrads attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale,
                                            Tensor out, Tensor logSumExp, Tensor gOut, Tensor dqInto, Tensor dkInto,
                                            Tensor dvInto) {
        int[] qs = q.shape();
        int n = qs[2];
        int m = k.dim(2);
        Tensor dq = dqInto != null ? dqInto : headsLast(qs);
        Tensor dk = dkInto != null ? dkInto : headsLast(k.shape());
        Tensor dv = dvInto != null ? dvInto : headsLast(v.shape());
        Tensor perPair = bias == null ? null : newF32(new int[] {qs[0], qs[1], n, m});
        AttentionKernels.backward(heads(q), heads(k), heads(v), bias == null ? null : dense(bias), qs[0] * qs[1], qs[1],
                n, m, qs[3], scale, heads(out), dense(logSumExp), heads(gOut), heads(dq), heads(dk), heads(dv),
                perPair == null ? null : CpuStorage.floats(perPair));
        Tensor dbias = perPair == null ? null : reduce(ReduceOp.SUM, perPair, 0, false);
        return new AttentionGrads(dq, dk, dv, dbias);
    }

    /**
     * A [B, H, rows, d] result laid out [B, rows, H, d] (returned as the permuted view): merging the
     * heads back into [B, rows, H * d], as models do next, is then a free reshape.
     */
    private Tensor headsLast(int[] shape) {
        return overwritten(new int[] {shape[0], shape[2], shape[1], shape[3]}).permute(0, 2, 1, 3);
    }

    /** A [B, H, rows, d] attention operand where it lies when d is contiguous, else a dense copy. */
    private static AttentionKernels.Heads heads(Tensor t) {
        Tensor v = t.strides()[3] == 1 || t.dim(3) == 1 ? t : t.copy();
        int[] st = v.strides();
        return new AttentionKernels.Heads(CpuStorage.floats(v), v.offset(), st[0], st[1], st[2]);
    }

    // ---------------------------------------------------------------- convolution and batch norm

    @Override
    public Tensor unfold1d(Tensor x, int kernel, int stride, int padding, int dilation) {
        int[] xs = x.shape();
        int outLength = Shape.conv1d("unfold1d", xs, new int[] {1, xs[1], kernel}, stride, padding, dilation, 1).outLength();
        Tensor cols = newF32(new int[] {xs[1] * kernel, xs[0], outLength});
        ConvKernels.unfold1d(dense(x), xs[0], xs[1], xs[2], kernel, stride, padding, dilation, outLength,
                CpuStorage.floats(cols));
        return cols;
    }

    @Override
    public Tensor fold1d(Tensor cols, int length, int kernel, int stride, int padding, int dilation) {
        int[] cs = cols.shape();
        int channels = cs[0] / kernel;
        Tensor x = newF32(new int[] {cs[1], channels, length});
        ConvKernels.fold1d(dense(cols), cs[1], channels, length, kernel, stride, padding, dilation, cs[2],
                CpuStorage.floats(x));
        return x;
    }

    @Override
    public BatchNormOut batchNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] xs = x.shape();
        Tensor y = newF32(xs);
        Tensor mean = newF32(new int[] {xs[1]});
        Tensor rstd = newF32(new int[] {xs[1]});
        ConvKernels.batchNorm(dense(x), dense(gamma), dense(beta), eps, CpuStorage.floats(y), CpuStorage.floats(mean),
                CpuStorage.floats(rstd), xs[0], xs[1], xs[2]);
        return new BatchNormOut(y, mean, rstd);
    }

    /** mean is not read: the kernel recomputes each channel's centre from x as the forward did (see ConvKernels). */
    @Override
    public BatchNormGrads batchNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        int[] xs = x.shape();
        Tensor dx = newF32(xs);
        Tensor dgamma = newF32(new int[] {xs[1]});
        Tensor dbeta = newF32(new int[] {xs[1]});
        ConvKernels.batchNormBackward(dense(gy), dense(x), dense(gamma), dense(rstd), CpuStorage.floats(dx),
                CpuStorage.floats(dgamma), CpuStorage.floats(dbeta), xs[0], xs[1], xs[2]);
        return new BatchNormGrads(dx, dgamma, dbeta);
    }

    // ---------------------------------------------------------------- indexing

    /** Index values can only be checked here, where they are read; what names the operand for the message. */
    private static void checkIndex(String op, int[] idx, int bound, String what) {
        for (int i : idx) {
            if (i < 0 || i >= bound) {
                throw new IllegalArgumentException(op + ": index " + i + " out of range [0, " + bound + ") for " + what);
            }
        }
    }

    @Override
    public Tensor indexSelect(Tensor x, Tensor idx) {
        return gatherRows("indexSelect", x, idx, false);
    }

    @Override
    public Tensor indexSelectOrZero(Tensor x, Tensor idx) {
        return gatherRows("indexSelectOrZero", x, idx, true);
    }

    /** Rows of x by idx: [idx.shape, x.shape[1:]]; with orZero, index -1 gives zeros. */
    private Tensor gatherRows(String op, Tensor x, Tensor idx, boolean orZero) {
        int[] xs = x.shape();
        int rows = xs[0];
        int rowLen = rows == 0 ? 0 : x.numel() / rows;
        int[] ids = denseInts(idx);
        for (int i : ids) {
            if ((i < 0 && !(orZero && i == -1)) || i >= rows) {
                throw new IllegalArgumentException(op + ": index " + i + " out of range [" + (orZero ? -1 : 0) + ", "
                        + rows + ") for source " + Shape.str(xs));
            }
        }
        int[] outShape = new int[idx.rank() + xs.length - 1];
        System.arraycopy(idx.shape(), 0, outShape, 0, idx.rank());
        System.arraycopy(xs, 1, outShape, idx.rank(), xs.length - 1);
        Tensor out = overwritten(outShape);
        IndexKernels.indexSelect(dense(x), ids, rowLen, CpuStorage.floats(out));
        return out;
    }

    @Override
    public Tensor indexAdd(Tensor g, Tensor idx, int rows) {
        int[] ids = denseInts(idx);
        checkIndex("indexAdd", ids, rows, "a result of " + rows + " rows");
        int rowLen = ids.length == 0 ? 0 : g.numel() / ids.length;
        int[] outShape = new int[g.rank() - idx.rank() + 1];
        outShape[0] = rows;
        System.arraycopy(g.shape(), idx.rank(), outShape, 1, outShape.length - 1);
        Tensor out = newF32(outShape);
        IndexKernels.indexAdd(dense(g), ids, rowLen, CpuStorage.floats(out));
        return out;
    }

    @Override
    public Tensor takeAlong(Tensor x, Tensor idx) {
        int n = x.dim(-1);
        int k = idx.dim(-1);
        int rows = idx.numel() / Math.max(1, k);
        int[] ids = denseInts(idx);
        checkIndex("takeAlong", ids, n, "source " + Shape.str(x.shape()));
        Tensor out = newF32(idx.shape());
        IndexKernels.takeAlong(dense(x), n, ids, k, rows, CpuStorage.floats(out));
        return out;
    }

    @Override
    public Tensor scatterAlong(Tensor g, Tensor idx, int n) {
        int k = idx.dim(-1);
        int rows = idx.numel() / Math.max(1, k);
        int[] ids = denseInts(idx);
        checkIndex("scatterAlong", ids, n, "a last axis of " + n);
        int[] outShape = idx.shape();
        outShape[outShape.length - 1] = n;
        Tensor out = newF32(outShape);
        IndexKernels.scatterAlong(dense(g), ids, k, n, rows, CpuStorage.floats(out));
        return out;
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis) {
        int[] shape = parts.get(0).shape();
        int total = 0;
        for (Tensor t : parts) {
            total += t.dim(axis);
        }
        shape[axis] = total;
        // The parts cover the output, so a recycled array will do: a fresh one costs the JVM's zeroing
        // and, where the heap has no 2 MB pages, a page fault per 4 KB (14 ms a step for ViT-192's cls concat).
        Tensor out = new Tensor(allocateForOverwrite(parts.get(0).dtype(), Shape.numel(shape)), shape);
        int at = 0;
        for (Tensor t : parts) {
            copy(t, out.slice(axis, at, at + t.dim(axis)));
            at += t.dim(axis);
        }
        return out;
    }

    // ---------------------------------------------------------------- randomness and optimizers

    @Override
    public Tensor random(Rng.Kind kind, int[] shape, long key) {
        Tensor out = newF32(shape);
        float[] o = CpuStorage.floats(out);
        Parallel.forRange(o.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                o[i] = kind == Rng.Kind.UNIFORM ? Rng.uniformAt(key, i) : Rng.normalAt(key, i);
            }
        });
        return out;
    }

    @Override
    public Tensor dropoutMask(int[] shape, long key, float p) {
        Tensor out = newF32(shape);
        float[] o = CpuStorage.floats(out);
        float keep = 1f / (1f - p);
        Parallel.forRange(o.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                o[i] = Rng.uniformAt(key, i) >= p ? keep : 0f;
            }
        });
        return out;
    }

    @Override
    public void adamInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                            float eps, float weightDecay, boolean decoupled, float bias1, float bias2) {
        float[] p = CpuStorage.floats(param);
        float[] g = dense(grad);
        float[] mm = CpuStorage.floats(m);
        float[] vv = CpuStorage.floats(v);
        Parallel.forRange(p.length, GRAIN, (lo, hi) ->
                ElementwiseKernels.adam(p, g, mm, vv, lo, hi, lr, beta1, beta2, eps, weightDecay, decoupled, bias1, bias2));
    }
}

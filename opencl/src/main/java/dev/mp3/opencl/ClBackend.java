package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.BinaryOp;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.ReduceOp;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Storage;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.UnaryOp;
import org.jocl.Pointer;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenCL backend: every op of {@link Backend} as kernels on one device, with tensors resident
 * in device buffers. Nothing comes back to the host except through {@link #downloadFloats} and
 * {@link #downloadInts} (counted, see {@link #downloadCount}), so a training step reads back only
 * the scalars it asks for.
 *
 * <p>This class adapts tensors (views, broadcasting, batching) to the kernel families, one class
 * and one .cl file each: {@link ElementwiseKernels}, {@link ReduceKernels}, {@link RowsKernels},
 * {@link GemmKernels}, {@link AttentionKernels}, {@link IndexKernels}, {@link ConvKernels}. Elementwise kernels read
 * strided views directly; the others take dense inputs, and a strided input is first copied by the
 * strided-copy kernel (except matmul operands, which only need a row stride and a batch stride).
 * The kernel families depend on the {@link ClContext} (and on each other) only: their scratch
 * buffers come from its {@link BufferPool}, and none of them refers back to this class.
 *
 * <p>Where the CPU backend throws at once for a bad index, this one finds it on the device and
 * throws at the next read-back (see {@link DeviceErrors}); {@link #synchronize} forces the check.
 * Calls are serialised (one in-order queue); open one through {@code Backends.get(Device.parse("opencl"))}.
 */
public final class ClBackend implements Backend {
    private final Device device;
    private final ClContext cl;
    private final DeviceErrors errors;
    private final ElementwiseKernels elementwise;
    private final ReduceKernels reduce;
    private final RowsKernels rowwise;
    private final GemmKernels gemm;
    private final AttentionKernels attention;
    private final IndexKernels index;
    private final ConvKernels conv;
    private final AtomicLong downloads = new AtomicLong();
    private GemmKernels.Path gemmPath = GemmKernels.Path.AUTO;

    ClBackend(DeviceInfo info) {
        this(info, GemmTuner.AutoTune.standard(info));
    }

    /** Opens the device; the SGEMM takes the cached tuning, else is tuned now when {@code autoTune} is on. */
    ClBackend(DeviceInfo info, GemmTuner.AutoTune autoTune) {
        this.cl = new ClContext(info);
        this.device = new Device("opencl", info.address());
        ClBuffer flag = cl.pool.allocate(DType.I32, 4);
        cl.write(flag.mem(), 16, Pointer.to(new int[4]));
        this.errors = new DeviceErrors(cl, flag);
        this.elementwise = new ElementwiseKernels(cl);
        this.reduce = new ReduceKernels(cl);
        this.rowwise = new RowsKernels(cl, reduce);
        this.attention = new AttentionKernels(cl);
        this.index = new IndexKernels(cl, elementwise, flag);
        this.gemm = new GemmKernels(cl, GemmConfig.defaultFor(info));
        this.conv = new ConvKernels(cl);
        Path tuning = autoTune.cacheFile();
        TuningCache.Entry entry = TuningCache.read(tuning).get(TuningCache.key(info));
        if (entry != null) {
            try {
                gemm.setConfig(entry.config());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tuning cache " + tuning + ": " + e.getMessage()
                        + "; delete the entry or run the tuner again (mp3 tune)", e);
            }
        } else if (autoTune.on()) {
            autoTuneGemm(autoTune);
        }
    }

    /** First use of a device: tunes the SGEMM within the budget and caches the choice; a failure keeps the default. */
    private void autoTuneGemm(GemmTuner.AutoTune settings) {
        PrintStream log = settings.log();
        log.println(String.format(Locale.ROOT, "tuning SGEMM for %s (first use of this device and driver, up to %.0f s;"
                + " cached in %s; -Dmp3.opencl.autotune=false skips it)", cl.info.name(), settings.seconds(),
                settings.cacheFile()));
        try {
            GemmTuner.Result r = GemmTuner.search(cl, GemmConfig.space(cl.info), settings.workloads(), settings.seconds(),
                    new PrintStream(OutputStream.nullOutputStream()));
            gemm.setConfig(r.config());
            GemmTuner.store(settings.cacheFile(), cl.info, r);
            log.println(String.format(Locale.ROOT, "SGEMM tuned: %s, %.1f GFLOP/s on the model workloads (%d candidates)",
                    r.config(), r.gflops(), r.tried()));
        } catch (IllegalStateException e) {   // a ClException (device), or the cache file unwritable
            log.println("SGEMM tuning failed, keeping " + gemm.config() + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Opens (or returns) the backend for an address "PLATFORM:DEVICE", or "" for the first GPU. */
    public static ClBackend open(String address) {
        return (ClBackend) Backends.get(new Device("opencl", address));
    }

    @Override
    public Device device() {
        return device;
    }

    public DeviceInfo deviceInfo() {
        return cl.info;
    }

    /** How many tensors were read back to the host so far (downloadFloats and downloadInts calls). */
    public long downloadCount() {
        return downloads.get();
    }

    /**
     * What this backend asked of the device since the last {@link #resetCounters}: kernel launches
     * (every clEnqueueNDRangeKernel) and host synchronisations, split into blocking reads, blocking
     * writes and clFinish calls. A read-back counts its data and the device-error flag read with it.
     */
    public record Counters(long launches, long reads, long writes, long finishes) {
        /** Every blocking call: the host waits for the queue at each. */
        public long syncs() {
            return reads + writes + finishes;
        }

        /** The counts from {@code earlier} to this snapshot. */
        public Counters minus(Counters earlier) {
            return new Counters(launches - earlier.launches, reads - earlier.reads, writes - earlier.writes,
                    finishes - earlier.finishes);
        }
    }

    /** A snapshot of the launch and synchronisation counts (see {@link Counters}). */
    public synchronized Counters counters() {
        return new Counters(cl.launches, cl.reads, cl.writes, cl.finishes);
    }

    /** Launches per kernel ("family.kernel") since the last reset, most launched first. */
    public synchronized java.util.Map<String, Long> launchesByKernel() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        cl.byKernel.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Sets the launch and synchronisation counts back to zero. */
    public synchronized void resetCounters() {
        cl.byKernel.clear();
        cl.launches = 0;
        cl.reads = 0;
        cl.writes = 0;
        cl.finishes = 0;
    }

    /**
     * The device memory account of this backend's {@link BufferPool}: bytes held by live buffers
     * (tensors and scratch), bytes given back and kept for reuse, the peak of live bytes since the
     * last {@link #resetPeakMemory}, buffers created through the driver, how many allocations stalled
     * on a garbage collection to win back unreachable buffers, the pool's budget and the device's
     * global memory.
     */
    public record Memory(long liveBytes, long freeBytes, long peakLiveBytes, long created, long collections,
                         long budgetBytes, long globalBytes) {}

    /** A snapshot of the device memory account (see {@link Memory}). */
    public Memory memory() {
        BufferPool pool = cl.pool;
        synchronized (pool) {
            return new Memory(pool.live(), pool.free(), pool.peakLive(), pool.created(), pool.collections(),
                    pool.budget(), cl.info.globalMemBytes());
        }
    }

    /** Starts a new peak of live bytes from those live now. */
    public void resetPeakMemory() {
        cl.pool.resetPeak();
    }

    public synchronized GemmConfig gemmConfig() {
        return gemm.config();
    }

    /** Switches the tiled SGEMM to another configuration (the tuner's choice). */
    public synchronized void useGemmConfig(GemmConfig config) {
        gemm.setConfig(config);
    }

    public synchronized AttentionPath attentionPath() {
        return attention.path();
    }

    /** Switches the attention kernels (both paths give the same values; for benchmarks and tests). */
    public synchronized void useAttentionPath(AttentionPath path) {
        attention.usePath(path);
    }

    /** Waits for all queued work and throws any error the kernels recorded. */
    public synchronized void synchronize() {
        cl.finish();
        errors.check();
    }

    /** Forces the direct or tiled SGEMM (tests compare the two); AUTO picks by size. */
    synchronized void setGemmPath(GemmKernels.Path path) {
        this.gemmPath = path;
    }

    ClContext context() {
        return cl;
    }

    // ---------------------------------------------------------------- storage helpers

    private ClStorage uninitialized(DType dtype, int size) {
        return new ClStorage(this, dtype, cl.pool.allocate(dtype, size));
    }

    private ClStorage zeroed(DType dtype, int size) {
        ClStorage s = uninitialized(dtype, size);
        elementwise.zero(s.buffer());
        return s;
    }

    /** A contiguous tensor whose every element the next kernel writes. */
    private Tensor empty(DType dtype, int[] shape) {
        return new Tensor(uninitialized(dtype, Shape.numel(shape)), shape);
    }

    private Tensor zeros(DType dtype, int[] shape) {
        return new Tensor(zeroed(dtype, Shape.numel(shape)), shape);
    }

    private static ClBuffer buffer(Tensor t) {
        return ClStorage.buffer(t);
    }

    /** The tensor itself when it covers its whole buffer in order, else a dense copy. */
    private Tensor dense(Tensor t) {
        if (t.isDense()) {
            return t;
        }
        Tensor out = empty(t.dtype(), t.shape());
        elementwise.copy(t, out);
        return out;
    }

    private ClBuffer denseBuffer(Tensor t) {
        return buffer(dense(t));
    }

    // ---------------------------------------------------------------- memory and layout

    @Override
    public synchronized Storage allocate(DType dtype, int size) {
        return zeroed(dtype, size);
    }

    /** No fill: the caller (a copy) writes every element. */
    @Override
    public synchronized Storage allocateForOverwrite(DType dtype, int size) {
        return uninitialized(dtype, size);
    }

    @Override
    public synchronized Storage upload(float[] data) {
        ClStorage s = uninitialized(DType.F32, data.length);
        cl.writeAsync(s.buffer().mem(), data);
        return s;
    }

    @Override
    public synchronized Storage upload(int[] data) {
        ClStorage s = uninitialized(DType.I32, data.length);
        cl.writeAsync(s.buffer().mem(), data);
        return s;
    }

    @Override
    public synchronized float[] downloadFloats(Tensor t) {
        float[] out = new float[t.numel()];
        read(t, Pointer.to(out));
        return out;
    }

    @Override
    public synchronized int[] downloadInts(Tensor t) {
        int[] out = new int[t.numel()];
        read(t, Pointer.to(out));
        return out;
    }

    private void read(Tensor t, Pointer into) {
        downloads.incrementAndGet();
        Tensor c = t.isContiguous() ? t : dense(t);
        if (c.numel() == 0) {
            errors.check();
            return;
        }
        // The error flag is read behind the kernels and ahead of the data: one wait for both.
        errors.queueRead();
        cl.read(buffer(c).mem(), 4L * c.offset(), 4L * c.numel(), into);
        errors.checkQueued();
    }

    @Override
    public synchronized void copy(Tensor src, Tensor dst) {
        elementwise.copy(src, dst);
    }

    @Override
    public synchronized void fillInPlace(Tensor dst, float value) {
        elementwise.fill(dst, value);
    }

    @Override
    public synchronized void axpyInPlace(Tensor dst, float alpha, Tensor src) {
        elementwise.axpy(dst, alpha, src);
    }

    @Override
    public synchronized void scaleInPlace(Tensor dst, float alpha) {
        elementwise.scale(dst, alpha);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public synchronized Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = empty(DType.F32, x.shape());
        elementwise.map("unary", x.shape(), new Tensor[] {x, out}, l -> l.i32(ElementwiseKernels.code(op)));
        return out;
    }

    @Override
    public synchronized Tensor unaryBackward(UnaryOp op, Tensor x, Tensor gy) {
        int[] shape = x.shape();
        Tensor out = empty(DType.F32, shape);
        elementwise.map("unary_backward", shape, new Tensor[] {x, gy.expand(shape), out},
                l -> l.i32(ElementwiseKernels.code(op)));
        return out;
    }

    @Override
    public synchronized Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        Tensor out = empty(DType.F32, shape);
        elementwise.map("binary", shape, new Tensor[] {a.expand(shape), b.expand(shape), out},
                l -> l.i32(ElementwiseKernels.code(op)));
        return out;
    }

    @Override
    public synchronized Tensor affine(Tensor x, float scale, float shift) {
        Tensor out = empty(DType.F32, x.shape());
        elementwise.map("affine", x.shape(), new Tensor[] {x, out}, l -> l.f32(scale).f32(shift));
        return out;
    }

    @Override
    public synchronized Tensor clamp(Tensor x, float lo, float hi) {
        Tensor out = empty(DType.F32, x.shape());
        elementwise.map("clamp_values", x.shape(), new Tensor[] {x, out}, l -> l.f32(lo).f32(hi));
        return out;
    }

    @Override
    public synchronized Tensor clampBackward(Tensor x, Tensor gy, float lo, float hi) {
        int[] shape = x.shape();
        Tensor out = empty(DType.F32, shape);
        elementwise.map("clamp_backward", shape, new Tensor[] {x, gy.expand(shape), out}, l -> l.f32(lo).f32(hi));
        return out;
    }

    @Override
    public synchronized Tensor maskedFill(Tensor x, Tensor mask, float value) {
        int[] shape = x.shape();
        Tensor out = empty(DType.F32, shape);
        elementwise.map("masked_fill", shape, new Tensor[] {x, mask.expand(shape), out}, l -> l.f32(value));
        return out;
    }

    @Override
    public synchronized Tensor equal(Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("eq", a.shape(), b.shape());
        Tensor out = empty(DType.F32, shape);
        String kernel = a.dtype() == DType.I32 ? "equal_i32" : "equal_f32";
        elementwise.map(kernel, shape, new Tensor[] {a.expand(shape), b.expand(shape), out}, l -> { });
        return out;
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public synchronized Tensor reduce(ReduceOp op, Tensor x, int axis, boolean keepDim) {
        int[] shape = x.shape();
        int[] dims = Shape.around(shape, axis);
        int[] outShape = Shape.reduced(shape, axis, keepDim);
        if (dims[1] == 0) {
            return zeros(DType.F32, outShape);
        }
        Tensor out = empty(DType.F32, outShape);
        if (out.numel() > 0) {
            reduce.reduce(op, denseBuffer(x), dims[0], dims[1], dims[2], buffer(out));
        }
        return out;
    }

    @Override
    public synchronized Tensor argmax(Tensor x, int axis) {
        int[] dims = Shape.around(x.shape(), axis);
        Tensor out = empty(DType.I32, Shape.reduced(x.shape(), axis, false));
        if (out.numel() > 0) {
            reduce.argmax(denseBuffer(x), dims[0], dims[1], dims[2], buffer(out));
        }
        return out;
    }

    /** Leading axes collapse into one and reduce in one go; then each size-1 target axis. */
    @Override
    public synchronized Tensor sumTo(Tensor x, int[] shape) {
        Tensor t = x;
        int lead = x.rank() - shape.length;
        if (lead > 0) {
            int[] folded = new int[shape.length + 1];
            folded[0] = Shape.numel(Arrays.copyOf(x.shape(), lead));
            System.arraycopy(x.shape(), lead, folded, 1, shape.length);
            t = reduce(ReduceOp.SUM, dense(t).reshape(folded), 0, false);
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
    public synchronized Tensor softmax(Tensor x, boolean log) {
        int c = x.dim(-1);
        Tensor out = empty(DType.F32, x.shape());
        rowwise.softmax(denseBuffer(x), buffer(out), x.numel() / c, c, log);
        return out;
    }

    @Override
    public synchronized Tensor softmaxBackward(Tensor y, Tensor gy, boolean log) {
        int c = y.dim(-1);
        Tensor out = empty(DType.F32, y.shape());
        rowwise.softmaxBackward(denseBuffer(y), denseBuffer(gy), buffer(out), y.numel() / c, c, log);
        return out;
    }

    @Override
    public synchronized LayerNormOut layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int c = x.dim(-1);
        int[] rowShape = Arrays.copyOf(x.shape(), x.rank() - 1);
        Tensor y = empty(DType.F32, x.shape());
        Tensor mean = empty(DType.F32, rowShape);
        Tensor rstd = empty(DType.F32, rowShape);
        rowwise.layerNorm(denseBuffer(x), denseBuffer(gamma), denseBuffer(beta), eps, buffer(y), buffer(mean), buffer(rstd),
                x.numel() / c, c);
        return new LayerNormOut(y, mean, rstd);
    }

    @Override
    public synchronized LayerNormGrads layerNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        return layerNormBackward(gy, x, gamma, mean, rstd, null);
    }

    /** The addend summed into dx by the dx kernel itself. */
    @Override
    public synchronized LayerNormGrads layerNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                                                         Tensor addend) {
        int c = x.dim(-1);
        int rows = x.numel() / c;
        if (rows == 0) {
            return new LayerNormGrads(zeros(DType.F32, x.shape()), zeros(DType.F32, new int[] {c}),
                    zeros(DType.F32, new int[] {c}));
        }
        Tensor dx = empty(DType.F32, x.shape());
        Tensor dgamma = empty(DType.F32, new int[] {c});
        Tensor dbeta = empty(DType.F32, new int[] {c});
        Tensor r = addend == null ? null : dense(addend);
        rowwise.layerNormBackward(denseBuffer(gy), denseBuffer(x), denseBuffer(gamma), denseBuffer(rstd),
                r == null ? null : buffer(r), r == null ? 0 : r.offset(), buffer(dx), buffer(dgamma), buffer(dbeta), rows, c);
        return new LayerNormGrads(dx, dgamma, dbeta);
    }

    @Override
    public synchronized Tensor crossEntropy(Tensor logits, Tensor targets, float smoothing) {
        int c = logits.dim(-1);
        int rows = logits.numel() / c;
        Tensor out = empty(DType.F32, new int[] {rows});
        rowwise.crossEntropy(denseBuffer(logits), denseBuffer(targets), smoothing, buffer(out), rows, c);
        return out;
    }

    @Override
    public synchronized Tensor crossEntropyBackward(Tensor logits, Tensor targets, float smoothing, Tensor gLoss) {
        int c = logits.dim(-1);
        int rows = logits.numel() / c;
        Tensor out = empty(DType.F32, logits.shape());
        rowwise.crossEntropyBackward(denseBuffer(logits), denseBuffer(targets), smoothing, denseBuffer(gLoss), buffer(out),
                rows, c);
        return out;
    }

    // ---------------------------------------------------------------- matmul and attention

    /**
     * A matmul operand as the kernels take it: row-major or column-major last two axes with any row
     * stride, and batch items one stride apart (or one item shared by the batch). Anything else,
     * such as a batch broadcast along some axes only, is first copied dense.
     */
    private GemmKernels.Operand operand(Tensor t, boolean trans, int[] batchShape) {
        int r = t.rank();
        int[] shape = t.shape();
        int[] strides = t.strides();
        int rows = shape[r - 2];
        int cols = shape[r - 1];
        int items = 1;
        for (int i = 0; i < r - 2; i++) {
            items *= shape[i];
        }
        int full = Shape.numel(batchShape);
        Integer batchStride = items == 1 ? Integer.valueOf(0) : items == full ? uniformStride(shape, strides, r - 2) : null;
        boolean rowMajor = cols == 1 || strides[r - 1] == 1;
        boolean colMajor = rows == 1 || strides[r - 2] == 1;
        if (batchStride != null && rowMajor) {
            int ld = rows == 1 ? cols : strides[r - 2];
            return new GemmKernels.Operand(buffer(t), t.offset(), ld, batchStride, trans);
        }
        if (batchStride != null && colMajor) {
            int ld = cols == 1 ? rows : strides[r - 1];
            return new GemmKernels.Operand(buffer(t), t.offset(), ld, batchStride, !trans);
        }
        int[] target = Arrays.copyOf(batchShape, batchShape.length + 2);
        target[batchShape.length] = rows;
        target[batchShape.length + 1] = cols;
        Tensor c = dense(items == 1 ? t : t.expand(target));
        return new GemmKernels.Operand(buffer(c), 0, cols, items == 1 ? 0 : rows * cols, trans);
    }

    /** The single stride that steps through the batch items (axes [0, n)), or null if there is none. */
    private static Integer uniformStride(int[] shape, int[] strides, int n) {
        Integer stride = null;
        int expected = 0;
        for (int i = n - 1; i >= 0; i--) {
            if (shape[i] == 1) {
                continue;
            }
            if (stride == null) {
                stride = strides[i];
            } else if (strides[i] != expected) {
                return null;
            }
            expected = strides[i] * shape[i];
        }
        return stride;
    }

    @Override
    public synchronized Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        return matmul(a, transA, b, transB, null);
    }

    @Override
    public synchronized Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias) {
        return matmul(a, transA, b, transB, bias, null);
    }

    /**
     * The bias and the addend in the GEMM's epilogue: one launch for a linear layer's forward with
     * its residual connection, or for a product added to a gradient, not a product and two adds.
     */
    @Override
    public synchronized Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias, Tensor addend) {
        return product(a, transA, b, transB, bias, addend, null).out();
    }

    /** The activation in the GEMM's epilogue too, which writes the pre-activation beside the result. */
    @Override
    public synchronized ActivatedProduct matmulActivated(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias,
                                                         UnaryOp activation) {
        return product(a, transA, b, transB, bias, null, activation);
    }

    private ActivatedProduct product(Tensor a, boolean transA, Tensor b, boolean transB, Tensor bias, Tensor addend,
                                     UnaryOp activation) {
        Shape.MatMul sizes = Shape.matmul(a.shape(), transA, b.shape(), transB);
        Tensor out = empty(DType.F32, sizes.out());
        Tensor pre = activation == null ? null : empty(DType.F32, sizes.out());
        if (out.numel() == 0) {
            return new ActivatedProduct(pre, out);
        }
        GemmKernels.Epilogue epilogue = null;
        if (bias != null || addend != null || activation != null) {
            // A window of a longer vector (the q, k, v slices of one qkv bias) is read in place.
            Tensor b1 = bias == null ? null : bias.strides()[0] == 1 ? bias : dense(bias);
            Tensor r = addend == null ? null : dense(addend);
            epilogue = new GemmKernels.Epilogue(b1 == null ? null : buffer(b1), b1 == null ? 0 : b1.offset(),
                    r == null ? null : buffer(r), r == null ? 0 : r.offset(), activation, pre == null ? null : buffer(pre));
        }
        gemm.gemm(Shape.numel(sizes.batch()), sizes.m(), sizes.n(), sizes.k(), operand(a, transA, sizes.batch()),
                operand(b, transB, sizes.batch()), buffer(out), epilogue, gemmPath);
        return new ActivatedProduct(pre, out);
    }

    /** The attention kernels take q, k, v and gOut with any batch, head and row strides (see {@link #headView}). */
    @Override
    public boolean attentionReadsViews() {
        return true;
    }

    @Override
    public synchronized AttentionOut attention(Tensor q, Tensor k, Tensor v, Tensor bias, float scale) {
        int[] qs = q.shape();
        int d = qs[3];
        requireHeadDim(d);
        int m = k.dim(2);
        Tensor out = headsLast(qs);
        Tensor lse = empty(DType.F32, new int[] {qs[0], qs[1], qs[2]});
        attention.forward(headView(q), headView(k), headView(v), bias == null ? null : denseBuffer(bias),
                qs[0] * qs[1], qs[1], qs[2], m, d, scale, headView(out), buffer(lse));
        return new AttentionOut(out, lse);
    }

    /**
     * A [B, H, rows, D] result laid out [B, rows, H, D] (returned as the permuted view): merging the
     * heads back into [B, rows, H·D], as models do next, is then a free reshape.
     */
    private Tensor headsLast(int[] shape) {
        return empty(DType.F32, new int[] {shape[0], shape[2], shape[1], shape[3]}).permute(0, 2, 1, 3);
    }

    /**
     * A [B, H, rows, D] attention operand where it lies when D is contiguous (the permuted heads of
     * a projection), else a dense copy.
     */
    private AttentionKernels.HeadView headView(Tensor t) {
        int[] st = t.strides();
        Tensor v = st[3] == 1 || t.dim(3) == 1 ? t : dense(t);
        int[] vs = v.strides();
        return new AttentionKernels.HeadView(buffer(v), v.offset(), vs[0], vs[1], vs[2]);
    }

    @Override
    public synchronized AttentionGrads attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale,
                                                         Tensor out, Tensor logSumExp, Tensor gOut, Tensor dqInto,
                                                         Tensor dkInto, Tensor dvInto) {
        int[] qs = q.shape();
        int d = qs[3];
        requireHeadDim(d);
        int m = k.dim(2);
        Tensor dq = dqInto != null ? dqInto : headsLast(qs);
        Tensor dk = dkInto != null ? dkInto : headsLast(k.shape());
        Tensor dv = dvInto != null ? dvInto : headsLast(v.shape());
        Tensor dbias = bias == null ? null : empty(DType.F32, new int[] {qs[1], qs[2], m});
        attention.backward(headView(q), headView(k), headView(v), bias == null ? null : denseBuffer(bias),
                qs[0] * qs[1], qs[1], qs[2], m, d, scale, headView(out), denseBuffer(logSumExp),
                headView(gOut), headView(dq), headView(dk), headView(dv), dbias == null ? null : buffer(dbias));
        return new AttentionGrads(dq, dk, dv, dbias);
    }

    private static void requireHeadDim(int d) {
        if (d == 0) {
            throw new IllegalArgumentException("attention: head dimension 0 is not supported by the OpenCL backend");
        }
    }

    // ---------------------------------------------------------------- convolution and batch norm

    @Override
    public synchronized Tensor unfold1d(Tensor x, int kernel, int stride, int padding, int dilation) {
        int[] xs = x.shape();
        int outLength = Shape.conv1d("unfold1d", xs, new int[] {1, xs[1], kernel}, stride, padding, dilation, 1).outLength();
        Tensor cols = empty(DType.F32, new int[] {xs[1] * kernel, xs[0], outLength});
        if (cols.numel() > 0) {
            conv.unfold1d(denseBuffer(x), xs[0], xs[1], xs[2], kernel, stride, padding, dilation, outLength, buffer(cols));
        }
        return cols;
    }

    @Override
    public synchronized Tensor fold1d(Tensor cols, int length, int kernel, int stride, int padding, int dilation) {
        int[] cs = cols.shape();
        int channels = cs[0] / kernel;
        Tensor x = empty(DType.F32, new int[] {cs[1], channels, length});
        if (x.numel() > 0) {
            conv.fold1d(denseBuffer(cols), cs[1], channels, length, kernel, stride, padding, dilation, cs[2], buffer(x));
        }
        return x;
    }

    @Override
    public synchronized BatchNormOut batchNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] xs = x.shape();
        Tensor y = empty(DType.F32, xs);
        Tensor mean = empty(DType.F32, new int[] {xs[1]});
        Tensor rstd = empty(DType.F32, new int[] {xs[1]});
        if (xs[1] > 0) {
            conv.batchNorm(denseBuffer(x), denseBuffer(gamma), denseBuffer(beta), eps, xs[0], xs[1], xs[2], buffer(y),
                    buffer(mean), buffer(rstd));
        }
        return new BatchNormOut(y, mean, rstd);
    }

    /** mean is not read: the kernel recomputes each channel's centre from x as the forward did. */
    @Override
    public synchronized BatchNormGrads batchNormBackward(Tensor gy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        int[] xs = x.shape();
        Tensor dx = empty(DType.F32, xs);
        Tensor dgamma = empty(DType.F32, new int[] {xs[1]});
        Tensor dbeta = empty(DType.F32, new int[] {xs[1]});
        if (xs[1] > 0) {
            conv.batchNormBackward(denseBuffer(gy), denseBuffer(x), denseBuffer(gamma), denseBuffer(rstd), xs[0], xs[1],
                    xs[2], buffer(dx), buffer(dgamma), buffer(dbeta));
        }
        return new BatchNormGrads(dx, dgamma, dbeta);
    }

    // ---------------------------------------------------------------- indexing

    @Override
    public synchronized Tensor indexSelect(Tensor x, Tensor idx) {
        return gatherRows(x, idx, false);
    }

    @Override
    public synchronized Tensor indexSelectOrZero(Tensor x, Tensor idx) {
        return gatherRows(x, idx, true);
    }

    /** Rows of x by idx: [idx.shape, x.shape[1:]]; with orZero, index -1 gives zeros. */
    private Tensor gatherRows(Tensor x, Tensor idx, boolean orZero) {
        int[] xs = x.shape();
        int rowLen = Shape.numel(Arrays.copyOfRange(xs, 1, xs.length));
        int[] outShape = new int[idx.rank() + xs.length - 1];
        System.arraycopy(idx.shape(), 0, outShape, 0, idx.rank());
        System.arraycopy(xs, 1, outShape, idx.rank(), xs.length - 1);
        Tensor out = empty(DType.F32, outShape);
        if (out.numel() > 0) {
            index.indexSelect(denseBuffer(x), xs[0], rowLen, denseBuffer(idx), idx.numel(), orZero, buffer(out));
        }
        return out;
    }

    @Override
    public synchronized Tensor indexAdd(Tensor g, Tensor idx, int rows) {
        int[] gs = g.shape();
        int[] outShape = new int[gs.length - idx.rank() + 1];
        outShape[0] = rows;
        System.arraycopy(gs, idx.rank(), outShape, 1, outShape.length - 1);
        int rowLen = Shape.numel(Arrays.copyOfRange(outShape, 1, outShape.length));
        Tensor out = zeros(DType.F32, outShape);
        if (rowLen > 0) {
            index.indexAdd(denseBuffer(g), denseBuffer(idx), idx.numel(), rows, rowLen, buffer(out));
        }
        return out;
    }

    @Override
    public synchronized Tensor takeAlong(Tensor x, Tensor idx) {
        int n = x.dim(-1);
        int k = idx.dim(-1);
        Tensor out = empty(DType.F32, idx.shape());
        if (out.numel() > 0) {
            index.takeAlong(denseBuffer(x), n, denseBuffer(idx), k, idx.numel() / k, buffer(out));
        }
        return out;
    }

    @Override
    public synchronized Tensor scatterAlong(Tensor g, Tensor idx, int n) {
        int k = idx.dim(-1);
        int[] outShape = idx.shape();
        outShape[outShape.length - 1] = n;
        Tensor out = zeros(DType.F32, outShape);
        if (idx.numel() > 0 && n > 0) {
            index.scatterAlong(denseBuffer(g), denseBuffer(idx), k, n, idx.numel() / k, buffer(out));
        }
        return out;
    }

    @Override
    public synchronized Tensor concat(List<Tensor> parts, int axis) {
        int[] shape = parts.get(0).shape();
        int total = 0;
        for (Tensor t : parts) {
            total += t.dim(axis);
        }
        shape[axis] = total;
        Tensor out = empty(parts.get(0).dtype(), shape);
        int at = 0;
        for (Tensor t : parts) {
            elementwise.copy(t, out.slice(axis, at, at + t.dim(axis)));
            at += t.dim(axis);
        }
        return out;
    }

    // ---------------------------------------------------------------- randomness and optimizers

    @Override
    public synchronized Tensor random(Rng.Kind kind, int[] shape, long key) {
        Tensor out = empty(DType.F32, shape);
        elementwise.random(kind, buffer(out), key);
        return out;
    }

    @Override
    public synchronized Tensor dropoutMask(int[] shape, long key, float p) {
        Tensor out = empty(DType.F32, shape);
        elementwise.dropoutMask(buffer(out), key, p, 1f / (1f - p));
        return out;
    }

    @Override
    public synchronized void adamInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                                         float eps, float weightDecay, boolean decoupled, float bias1, float bias2) {
        elementwise.adam(buffer(param), denseBuffer(grad), buffer(m), buffer(v), lr, beta1, beta2, eps, weightDecay, decoupled,
                bias1, bias2);
    }

    /**
     * The whole optimizer update queued in a few launches and no read-back: the sum of squares of
     * every gradient (64 per launch), one work-group that turns it into [norm, guard, clip scale,
     * go-ahead] on the device, then Adam on 16 parameters per launch, scaling each gradient as it is
     * read (the gradients themselves are left unscaled). The device's float sums give a norm within
     * float rounding of the CPU's.
     */
    @Override
    public synchronized Tensor adamStep(List<Tensor> params, List<Tensor> grads, List<Tensor> m, List<Tensor> v,
                                        boolean[] decayed, float lr, float beta1, float beta2, float eps,
                                        float weightDecay, boolean decoupled, float bias1, float bias2, float maxGradNorm,
                                        Tensor guard) {
        if (!elementwise.multiTensor()) {
            return Backend.super.adamStep(params, grads, m, v, decayed, lr, beta1, beta2, eps, weightDecay, decoupled,
                    bias1, bias2, maxGradNorm, guard);
        }
        int n = params.size();
        ClBuffer[] p = new ClBuffer[n];
        ClBuffer[] g = new ClBuffer[n];
        ClBuffer[] mb = new ClBuffer[n];
        ClBuffer[] vb = new ClBuffer[n];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = buffer(params.get(i));
            g[i] = denseBuffer(grads.get(i));
            mb[i] = buffer(m.get(i));
            vb[i] = buffer(v.get(i));
            counts[i] = params.get(i).numel();
        }
        Tensor status = empty(DType.F32, new int[] {4});
        ClBuffer partials = maxGradNorm > 0 ? elementwise.sumSquares(g, counts) : null;
        elementwise.adamPrepare(partials, maxGradNorm, guard == null ? null : denseBuffer(guard), buffer(status));
        if (partials != null) {
            partials.release();
        }
        elementwise.adamMulti(p, g, mb, vb, counts, decayed, buffer(status), lr, beta1, beta2, eps, weightDecay, decoupled,
                bias1, bias2);
        return status.slice(0, 0, 2);
    }
}

package dev.mp3.opencl;

import dev.mp3.tensor.BinaryOp;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.UnaryOp;

import java.util.function.Consumer;

/** Host side of elementwise.cl: strided maps, memory fills, random numbers, Adam. */
final class ElementwiseKernels {
    private static final int LOCAL = 256;

    private final ClContext cl;

    ElementwiseKernels(ClContext cl) {
        this.cl = cl;
    }

    private Program program() {
        return cl.program("elementwise", "");
    }

    /**
     * Runs a kernel of the form kernel(n, View v0, buffer b0, View v1, buffer b1, ..., scalars) over
     * {@code shape}; operands must have exactly that shape (broadcast ones are expanded views).
     */
    void map(String kernel, int[] shape, Tensor[] operands, Consumer<Launch> scalars) {
        Program p = program();
        int local = p.groupSize(kernel, LOCAL);
        Views.forEach(shape, operands, (views, count) -> {
            Launch l = cl.launch(p, kernel).i32(count);
            for (int i = 0; i < operands.length; i++) {
                l.view(views[i]).buffer(ClStorage.buffer(operands[i]));
            }
            scalars.accept(l);
            l.run(count, local);
        });
    }

    private void dense(String kernel, int n, Consumer<Launch> args) {
        Program p = program();
        Launch l = cl.launch(p, kernel).i32(n);
        args.accept(l);
        l.run(n, p.groupSize(kernel, LOCAL));
    }

    // ---------------------------------------------------------------- memory

    void copy(Tensor src, Tensor dst) {
        map("copy_bits", dst.shape(), new Tensor[] {src, dst}, l -> { });
    }

    void fill(Tensor dst, float value) {
        map("fill", dst.shape(), new Tensor[] {dst}, l -> l.f32(value));
    }

    void zero(ClBuffer s) {
        dense("zero_bits", s.size(), l -> l.buffer(s));
    }

    void axpy(Tensor dst, float alpha, Tensor src) {
        map("axpy", dst.shape(), new Tensor[] {src, dst}, l -> l.f32(alpha));
    }

    void scale(Tensor dst, float alpha) {
        map("scale", dst.shape(), new Tensor[] {dst}, l -> l.f32(alpha));
    }

    // ---------------------------------------------------------------- math

    /** The op codes of elementwise.cl (U_* and B_*). */
    static int code(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case SQRT -> 3;
            case RSQRT -> 4;
            case TANH -> 5;
            case RELU -> 6;
            case GELU -> 7;
            case GELU_TANH -> 8;
            case SIGMOID -> 9;
            case SQUARE -> 10;
            case ABS -> 11;
        };
    }

    static int code(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAX -> 4;
            case MIN -> 5;
        };
    }

    // ---------------------------------------------------------------- random and optimizer

    void random(Rng.Kind kind, ClBuffer out, long key) {
        dense(kind == Rng.Kind.UNIFORM ? "random_uniform" : "random_normal", out.size(), l -> l.buffer(out).u64(key));
    }

    /** keep is 1f / (1f - p), rounded on the host as the CPU rounds it. */
    void dropoutMask(ClBuffer out, long key, float p, float keep) {
        dense("dropout_mask", out.size(), l -> l.buffer(out).u64(key).f32(p).f32(keep));
    }

    /** Constants derived as dev.mp3.tensor.cpu.ElementwiseKernels.adam derives them, so both backends use the same floats. */
    void adam(ClBuffer p, ClBuffer g, ClBuffer m, ClBuffer v, float lr, float beta1, float beta2, float eps,
              float weightDecay, boolean decoupled, float bias1, float bias2) {
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        float stepSize = lr / bias1;
        float invSqrtBias2 = (float) (1.0 / Math.sqrt(bias2));
        dense("adam", p.size(), l -> l.buffer(p).buffer(g).buffer(m).buffer(v).f32(beta1).f32(beta2).f32(eps)
                .f32(decay).f32(l2).f32(stepSize).f32(invSqrtBias2));
    }

    // ---------------------------------------------------------------- multi-tensor optimizer step

    /** Gradients per sum_squares_multi launch and parameters per adam_multi launch (see elementwise.cl). */
    static final int SQUARE_SLOTS = 64;
    static final int ADAM_SLOTS = 16;
    /** Work-groups per sum_squares_multi launch: the partial sums adam_prepare adds. */
    private static final int SQUARE_GROUPS = 64;

    /**
     * Whether the device takes the multi-tensor kernels' arguments: adam_multi passes 64 buffers
     * and sum_squares_multi 64 buffers and 64 counts (under 1024 bytes, the least a full-profile
     * device must accept).
     */
    boolean multiTensor() {
        if (multiTensor == null) {
            multiTensor = cl.info.maxParameterBytes() >= 1024;
        }
        return multiTensor;
    }

    private Boolean multiTensor;

    /** Partial sums of squares of all gradients into a new buffer; returns it (its size is the count). */
    ClBuffer sumSquares(ClBuffer[] grads, int[] counts) {
        Program p = program();
        int local = p.groupSize("sum_squares_multi", LOCAL);
        int launches = (grads.length + SQUARE_SLOTS - 1) / SQUARE_SLOTS;
        ClBuffer partials = cl.pool.allocate(DType.F32, launches * SQUARE_GROUPS);
        for (int l = 0; l < launches; l++) {
            int from = l * SQUARE_SLOTS;
            Launch launch = cl.launch(p, "sum_squares_multi");
            for (int q = 0; q < 4; q++) {
                int[] part = new int[16];
                for (int k = 0; k < 16; k++) {
                    int i = from + q * 16 + k;
                    part[k] = i < grads.length ? counts[i] : 0;
                }
                launch.view(part);
            }
            for (int k = 0; k < SQUARE_SLOTS; k++) {
                int i = Math.min(from + k, grads.length - 1);
                launch.buffer(grads[i]);
            }
            launch.buffer(partials).i32(l * SQUARE_GROUPS).local(4L * local);
            launch.run((long) SQUARE_GROUPS * local, local);
        }
        return partials;
    }

    /** status = [norm, guard, scale, ok] from the partial sums (null: no clipping) and the guard (null: none). */
    void adamPrepare(ClBuffer partials, float maxNorm, ClBuffer guard, ClBuffer status) {
        Program p = program();
        int local = p.groupSize("adam_prepare", LOCAL);
        cl.launch(p, "adam_prepare").i32(partials == null ? 0 : partials.size()).buffer(partials == null ? status : partials)
                .f32(maxNorm).buffer(guard == null ? status : guard).i32(guard == null ? 0 : 1).buffer(status)
                .local(4L * local).run(local, local);
    }

    /**
     * Adam/AdamW on every parameter, ADAM_SLOTS per launch, with the gradient scale and the go-ahead
     * read from status; the constants are derived as {@link #adam} derives them.
     */
    void adamMulti(ClBuffer[] p, ClBuffer[] g, ClBuffer[] m, ClBuffer[] v, int[] counts, boolean[] decayed, ClBuffer status,
                   float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled, float bias1,
                   float bias2) {
        float decayOn = decoupled ? 1f - lr * weightDecay : 1f;
        float l2On = decoupled ? 0f : weightDecay;
        float stepSize = lr / bias1;
        float invSqrtBias2 = (float) (1.0 / Math.sqrt(bias2));
        Program prog = program();
        int local = prog.groupSize("adam_multi", LOCAL);
        for (int from = 0; from < p.length; from += ADAM_SLOTS) {
            int[] c = new int[ADAM_SLOTS];
            int mask = 0;
            long items = 0;
            for (int k = 0; k < ADAM_SLOTS && from + k < p.length; k++) {
                c[k] = counts[from + k];
                items = Math.max(items, c[k]);
                if (decayed[from + k]) {
                    mask |= 1 << k;
                }
            }
            Launch launch = cl.launch(prog, "adam_multi").view(c);
            for (int k = 0; k < ADAM_SLOTS; k++) {
                int i = Math.min(from + k, p.length - 1);
                launch.buffer(p[i]).buffer(g[i]).buffer(m[i]).buffer(v[i]);
            }
            launch.buffer(status).i32(mask).f32(beta1).f32(beta2).f32(eps).f32(decayOn).f32(l2On).f32(stepSize)
                    .f32(invSqrtBias2);
            // Enough work-items to fill the device, at most one per element of the largest slot.
            launch.run(Math.min(items, MULTI_ITEMS), local);
        }
    }

    /** Work-items of an adam_multi launch at most; each strides over its slots' elements. */
    private static final long MULTI_ITEMS = 1L << 16;
}

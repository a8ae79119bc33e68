package dev.mp3.opencl;

import dev.mp3.tensor.BinaryOp;
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
                l.view(views[i]).buffer(((ClStorage) operands[i].storage()).buffer());
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
}

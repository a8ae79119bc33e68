package dev.mp3.tensor;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input gets one IllegalArgumentException that names the op and what was wrong (the shapes,
 * the index, the dtype) — never an ArrayIndexOutOfBoundsException from inside a kernel, and
 * never a silent wrong result. Shapes and dtypes are rejected at the call on every device; index
 * values only where they are read, which a device backend does in a kernel and reports at the next
 * read-back (see {@link #readBack}).
 */
public class BadInputTest extends OpTest {

    private static void rejects(ThrowingCallable call, String... fragments) {
        var a = assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class);
        for (String f : fragments) {
            a.hasMessageContaining(f);
        }
    }

    /** The op's result read back to the host: where a bad index value surfaces on every backend. */
    private static ThrowingCallable readBack(Supplier<Tensor> op) {
        return () -> op.get().toFloatArray();
    }

    private Tensor scalar(float value) {
        return put(new float[] {value});
    }

    private Tensor zeros(int... shape) {
        return Tensor.zeros(device(), DType.F32, shape);
    }

    private Tensor ints(int... values) {
        return putInts(values, values.length);
    }

    @Test
    void elementwise() {
        rejects(() -> zeros(3, 4).add(zeros(5)), "add", "[3, 4]", "[5]", "broadcast");
        rejects(() -> zeros(2, 3).mul(zeros(3, 2)), "mul", "[2, 3]", "[3, 2]");
        rejects(() -> zeros(3).sub(ints(1, 2, 3)), "sub", "F32", "I32");
        rejects(() -> ints(1, 2).exp(), "exp", "F32");
        rejects(() -> ints(1, 2).affine(1f, 0f), "affine");
        rejects(() -> zeros(3).clamp(1f, -1f), "clamp", "lo");
        rejects(() -> zeros(3, 4).maskedFill(zeros(5), 0f), "maskedFill", "[5]");
        rejects(() -> zeros(4).maskedFill(zeros(3, 4), 0f), "maskedFill", "[3, 4]", "[4]");
        rejects(() -> zeros(4).maskedFill(ints(1, 0, 1, 0), 0f), "maskedFill mask", "F32");
        rejects(() -> zeros(3).eq(ints(1, 2, 3)), "eq", "F32", "I32");
        rejects(() -> zeros(3).eq(zeros(4)), "eq", "[3]", "[4]");
    }

    @Test
    void reductions() {
        rejects(() -> zeros(3, 4).sum(2, false), "sum", "axis 2", "rank 2");
        rejects(() -> zeros(3, 4).mean(-3, true), "mean", "axis -3");
        rejects(() -> zeros(3, 0).max(1, false), "max", "[3, 0]", "empty");
        rejects(() -> zeros(0).argmax(0), "argmax", "[0]", "empty");
        rejects(() -> zeros(3, 4).sumTo(5), "sumTo", "[3, 4]", "[5]");
        rejects(() -> zeros(3, 4).sumTo(3, 4, 1), "sumTo");
        rejects(() -> ints(1, 2).sum(0, false), "sum", "F32");
        rejects(() -> scalar(1f).softmax(), "softmax", "[]");
        rejects(() -> zeros(3, 0).logSoftmax(), "logSoftmax", "[3, 0]");
    }

    @Test
    void views() {
        rejects(() -> zeros(3, 4).reshape(5, 3), "reshape", "[3, 4]", "[5, 3]");
        rejects(() -> zeros(3, 4).reshape(-1, -1), "reshape", "-1");
        rejects(() -> zeros(3, 4).reshape(-1, 5), "reshape", "[3, 4]");
        rejects(() -> zeros(3, 4).reshape(-2, -6), "reshape", "negative");
        rejects(() -> zeros(3, 4).permute(0), "permute", "rank 2");
        rejects(() -> zeros(3, 4).permute(1, 1), "permute", "repeated");
        rejects(() -> zeros(3, 4).permute(0, 2), "permute", "axis 2");
        rejects(() -> zeros(3, 4).transpose(0, 5), "transpose", "axis 5");
        rejects(() -> zeros(3, 4).slice(1, 2, 5), "slice", "[2, 5)", "[3, 4]");
        rejects(() -> zeros(3, 4).slice(0, 2, 1), "slice", "[2, 1)");
        rejects(() -> zeros(3, 4).select(0, 3), "select", "index 3", "[3, 4]");
        rejects(() -> zeros(3, 4).select(1, -1), "select", "index -1");
        rejects(() -> zeros(3, 4).squeeze(0), "squeeze", "[3, 4]", "size 3");
        rejects(() -> zeros(3, 4).unsqueeze(4), "unsqueeze", "axis 4");
        rejects(() -> zeros(3, 4).expand(3, 5), "expand", "[3, 4]", "[3, 5]");
        rejects(() -> zeros(3, 4).expand(4), "expand", "fewer axes");
        rejects(() -> zeros(3, 1).expand(3, -2), "expand", "[3, -2]");
        rejects(() -> zeros(3, 4).get(1), "get", "1 indices", "rank 2");
        rejects(() -> zeros(3, 4).get(1, 9), "select", "index 9");
        rejects(() -> zeros(3, 4).item(), "item", "[3, 4]");
        rejects(() -> zeros(3).dim(1), "dim", "axis 1");
    }

    @Test
    void factoriesAndViewsOfStorage() {
        // Tensor.of, ofInts and full build host arrays: they reject bad data before any device sees it.
        rejects(() -> Tensor.of(new float[5], 2, 3), "Tensor.of", "5 values", "[2, 3]");
        rejects(() -> Tensor.ofInts(new int[5], 2, 3), "Tensor.ofInts", "[2, 3]");
        rejects(() -> Tensor.zeros(device(), DType.F32, 2, -3), "[2, -3]", "negative");
        rejects(() -> Tensor.full(1f, -1), "[-1]", "negative");
        Storage s = backend().allocate(DType.F32, 6);
        rejects(() -> new Tensor(s, new int[] {2, 4}), "tensor", "6 elements", "[2, 4]");
        rejects(() -> new Tensor(s, new int[] {2, 3}, new int[] {3, 2}, 0), "tensor", "[2, 3]", "strides [3, 2]");
        rejects(() -> new Tensor(s, new int[] {2, 3}, new int[] {3, 1}, 1), "tensor", "offset 1");
        rejects(() -> new Tensor(s, new int[] {2, 3}, new int[] {3}, 0), "tensor", "strides [3]", "[2, 3]");
        rejects(() -> new Tensor(s, new int[] {3}, new int[] {1}, -1), "tensor", "offset -1");
        rejects(() -> new Tensor(s, new int[] {3}, new int[] {-1}, 2), "tensor", "strides [-1]");
    }

    @Test
    void inPlace() {
        Tensor t = zeros(3, 4);
        rejects(() -> t.axpyInPlace(1f, zeros(4)), "axpyInPlace", "[3, 4]", "[4]");
        rejects(() -> zeros(1, 4).expand(3, 4).axpyInPlace(1f, zeros(3, 4)), "axpyInPlace", "broadcast view", "[3, 4]");
        rejects(() -> t.transpose(0, 1).scaleInPlace(2f), "scaleInPlace", "dense");
        rejects(() -> t.copyFrom(zeros(5)), "copyFrom", "[5]", "[3, 4]");
        rejects(() -> zeros(1).copyFrom(zeros(3)), "copyFrom", "[3]", "[1]");
        rejects(() -> t.copyFrom(Tensor.zeros(device(), DType.I32, 3, 4)), "copyFrom", "I32", "F32");
        rejects(() -> zeros(1, 4).expand(3, 4).copyFrom(zeros(3, 4)), "copyFrom", "broadcast view", "[3, 4]");
        rejects(() -> Tensor.zeros(device(), DType.I32, 2).fillInPlace(1f), "fillInPlace", "F32");
        rejects(() -> Tensor.zeros(device(), DType.I32, 2).scaleInPlace(2f), "scaleInPlace", "F32");
        rejects(() -> Tensor.zeros(device(), DType.I32, 2).axpyInPlace(1f, zeros(2)), "axpyInPlace", "F32");
    }

    @Test
    void matmul() {
        rejects(() -> zeros(3, 4).matmul(zeros(5, 2)), "matmul", "[3, 4]", "[5, 2]", "4 vs 5");
        rejects(() -> Tensor.matmul(zeros(3, 4), true, zeros(4, 2), false), "matmul", "[3, 4]^T", "3 vs 4");
        rejects(() -> Tensor.matmul(zeros(3, 4), false, zeros(2, 4), false), "matmul", "[2, 4]");
        rejects(() -> zeros(4).matmul(zeros(4, 2)), "matmul", "rank >= 2", "[4]");
        rejects(() -> zeros(2, 3, 4).matmul(zeros(5, 4, 2)), "matmul", "batch", "[2]", "[5]");
        rejects(() -> Tensor.zeros(device(), DType.I32, 2, 2).matmul(zeros(2, 2)), "matmul", "F32");
    }

    @Test
    void indexing() {
        Tensor x = zeros(5, 3);
        rejects(readBack(() -> x.indexSelect(ints(0, 5))), "indexSelect", "index 5", "[0, 5)");
        rejects(readBack(() -> x.indexSelect(ints(-1))), "indexSelect", "index -1");
        rejects(() -> x.indexSelect(zeros(2)), "indexSelect index", "I32");
        rejects(() -> scalar(1f).indexSelect(ints(0)), "indexSelect", "rank", "[]");
        rejects(readBack(() -> x.indexSelectOrZero(ints(0, 5))), "index 5");
        rejects(readBack(() -> x.indexSelectOrZero(ints(-2))), "index -2");
        rejects(() -> Tensor.zeros(device(), DType.I32, 5, 3).indexSelect(ints(0)), "indexSelect", "F32");
        rejects(readBack(() -> zeros(2, 3).indexAdd(ints(0, 7), 5)), "indexAdd", "index 7", "[0, 5)");
        rejects(readBack(() -> x.takeAlong(putInts(new int[] {0, 3, 0, 0, 0}, 5, 1))), "takeAlong", "index 3", "[0, 3)");
        rejects(() -> x.takeAlong(putInts(new int[] {0, 1}, 2, 1)), "takeAlong", "[2, 1]", "[5, 3]");
        rejects(() -> x.takeAlong(putInts(new int[] {0, 1, 2}, 3)), "takeAlong", "[3]", "[5, 3]");
        rejects(() -> scalar(1f).takeAlong(putInts(new int[] {0}, 1)), "takeAlong");
        rejects(() -> x.takeAlong(zeros(5, 1)), "takeAlong index", "I32");
        rejects(readBack(() -> zeros(5, 1).scatterAlong(putInts(new int[] {0, 0, 9, 0, 0}, 5, 1), 3)),
                "scatterAlong", "index 9");
        rejects(() -> zeros(3, 3).indexAdd(ints(0, 1), 5), "indexAdd", "[3, 3]", "[2]");
        rejects(() -> zeros(2, 3).indexAdd(putInts(new int[] {0, 1}, 1, 2), 5), "indexAdd", "[2, 3]", "[1, 2]");
        rejects(() -> zeros(2, 3).indexAdd(ints(0, 1), -1), "indexAdd", "-1 rows");
        rejects(() -> zeros(2, 3).indexAdd(zeros(2), 5), "indexAdd index", "I32");
        rejects(() -> zeros(5, 2).scatterAlong(putInts(new int[5], 5, 1), 3), "scatterAlong", "[5, 2]", "[5, 1]");
        rejects(() -> zeros(5, 1).scatterAlong(putInts(new int[5], 5, 1), -2), "scatterAlong", "last axis of -2");
        rejects(() -> scalar(1f).scatterAlong(putInts(new int[] {0}), 1), "scatterAlong", "rank >= 1");
    }

    @Test
    void concat() {
        rejects(() -> Tensor.concat(List.of(), 0), "concat", "no tensors");
        rejects(() -> Tensor.concat(List.of(zeros(2, 3), zeros(2, 4)), 0), "concat", "[2, 4]", "[2, 3]", "axis 0");
        rejects(() -> Tensor.concat(List.of(zeros(2, 3), zeros(3)), 0), "concat", "[3]", "[2, 3]");
        rejects(() -> Tensor.concat(List.of(zeros(2, 3), zeros(2, 3)), 2), "concat", "axis 2");
        rejects(() -> Tensor.concat(List.of(zeros(2), Tensor.zeros(device(), DType.I32, 2)), 0), "concat", "dtype");
        rejects(() -> Tensor.concat(List.of(scalar(1f)), 0), "concat", "axis 0", "rank 0");
    }

    @Test
    void optimizerState() {
        Tensor p = zeros(4);
        rejects(() -> p.adamInPlace(zeros(5), zeros(4), zeros(4), 1f, 0.9f, 0.99f, 1e-8f, 0f, true, 0.1f, 0.01f),
                "adamInPlace", "[5]", "[4]");
        rejects(() -> zeros(8).slice(0, 2, 6).adamInPlace(zeros(4), zeros(4), zeros(4), 1f, 0.9f, 0.99f, 1e-8f, 0f,
                true, 0.1f, 0.01f), "adamInPlace", "dense");
        rejects(() -> p.adamInPlace(zeros(4), zeros(3), zeros(4), 1f, 0.9f, 0.99f, 1e-8f, 0f, true, 0.1f, 0.01f),
                "adamInPlace", "first moment [3]");
        rejects(() -> p.adamInPlace(zeros(4), zeros(4), zeros(8).slice(0, 0, 4), 1f, 0.9f, 0.99f, 1e-8f, 0f, true,
                0.1f, 0.01f), "adamInPlace", "dense", "view");
        rejects(() -> p.adamInPlace(Tensor.zeros(device(), DType.I32, 4), zeros(4), zeros(4), 1f, 0.9f, 0.99f, 1e-8f,
                0f, true, 0.1f, 0.01f), "adamInPlace gradient", "F32");
    }

    @Test
    void elementwiseBackward() {
        rejects(() -> zeros(3, 4).unaryBackward(UnaryOp.GELU, zeros(3, 5)), "gelu backward", "[3, 5]", "[3, 4]");
        rejects(() -> zeros(4).unaryBackward(UnaryOp.EXP, zeros(3, 4)), "exp backward", "gradient [3, 4]", "[4]");
        rejects(() -> zeros(4).unaryBackward(UnaryOp.EXP, ints(1, 2, 3, 4)), "exp backward gradient", "F32");
        rejects(() -> zeros(2, 2).clampBackward(zeros(3), -1f, 1f), "clamp backward", "[3]", "[2, 2]");
    }

    @Test
    void rowsForwardAndBackward() {
        rejects(() -> zeros(2, 5).softmaxBackward(zeros(2, 4), false), "softmax backward", "gradient [2, 4]", "[2, 5]");
        rejects(() -> zeros(2, 5).softmaxBackward(zeros(5), true), "logSoftmax backward", "gradient [5]");
        rejects(() -> zeros(2, 5).layerNorm(zeros(4), zeros(5), 1e-5f), "layerNorm", "gamma [4]", "[5]", "[2, 5]");
        rejects(() -> zeros(2, 5).layerNorm(zeros(5), ints(1, 2, 3, 4, 5), 1e-5f), "layerNorm beta", "F32");
        rejects(() -> zeros(2, 0).layerNorm(zeros(0), zeros(0), 1e-5f), "layerNorm", "non-empty last axis", "[2, 0]");
        var out = zeros(2, 5).layerNorm(zeros(5), zeros(5), 1e-5f);
        rejects(() -> zeros(2, 5).layerNormBackward(zeros(5, 2), zeros(5), out.mean(), out.rstd()), "layerNorm backward",
                "gradient [5, 2]", "[2, 5]");
        rejects(() -> zeros(2, 5).layerNormBackward(zeros(2, 5), zeros(5), zeros(5), out.rstd()), "layerNorm backward",
                "mean [5]", "[2]");
        rejects(() -> zeros(2, 5).layerNormBackward(zeros(2, 5), zeros(5), out.mean(), zeros(2, 1)), "layerNorm backward",
                "rstd [2, 1]", "[2]");
        rejects(() -> zeros(2, 5).layerNormBackward(zeros(2, 5), zeros(2), out.mean(), out.rstd()), "layerNorm backward",
                "gamma [2]", "[5]");
        Tensor targets = ints(0, 1);
        rejects(() -> zeros(3, 5).crossEntropy(targets, 0f), "crossEntropy", "targets [2]", "[3]", "[3, 5]");
        rejects(() -> zeros(2, 0).crossEntropy(targets, 0f), "crossEntropy", "non-empty last axis");
        rejects(() -> zeros(2, 5).crossEntropy(targets, 1f), "crossEntropy", "smoothing 1.0");
        rejects(() -> zeros(2, 5).crossEntropyBackward(targets, 0f, zeros(3)), "crossEntropy backward",
                "loss gradient [3]", "[2]");
        rejects(() -> zeros(2, 5).crossEntropyBackward(zeros(2), 0f, zeros(2)), "crossEntropy backward targets", "I32");
        rejects(() -> zeros(2, 5).crossEntropyBackward(targets, -0.5f, zeros(2)), "crossEntropy backward", "smoothing");
    }

    @Test
    void convolution() {
        Tensor w = zeros(4, 3, 3);
        rejects(() -> zeros(2, 3).conv1d(w, null, 1, 0, 1, 1), "conv1d", "input must be [B, Cin, L]", "[2, 3]");
        rejects(() -> zeros(2, 3, 8).conv1d(zeros(4, 3), null, 1, 0, 1, 1), "conv1d", "weight must be", "[4, 3]");
        rejects(() -> zeros(2, 5, 8).conv1d(w, null, 1, 0, 1, 1), "conv1d", "weight [4, 3, 3]", "3 input channels per group",
                "[2, 5, 8]");
        rejects(() -> zeros(2, 6, 8).conv1d(zeros(4, 3, 3), null, 1, 0, 1, 4), "conv1d", "groups 4", "6 input channels");
        rejects(() -> zeros(2, 3, 8).conv1d(w, null, 0, 0, 1, 1), "conv1d", "stride 0");
        rejects(() -> zeros(2, 3, 8).conv1d(w, null, 1, -1, 1, 1), "conv1d", "padding -1");
        rejects(() -> zeros(2, 3, 8).conv1d(w, null, 1, 0, 0, 1), "conv1d", "dilation 0");
        rejects(() -> zeros(2, 3, 4).conv1d(w, null, 1, 0, 2, 1), "conv1d", "input length 4", "dilated kernel (5)");
        rejects(() -> zeros(2, 3, 8).conv1d(w, zeros(3), 1, 0, 1, 1), "conv1d", "bias [3]", "[4]");
        rejects(() -> zeros(2, 3, 8).conv1d(w, ints(1, 2, 3, 4), 1, 0, 1, 1), "conv1d bias", "F32");
        rejects(() -> zeros(2, 3, 8).conv1d(putInts(new int[36], 4, 3, 3), null, 1, 0, 1, 1), "conv1d weight", "F32");
        rejects(() -> Tensor.conv1dBackwardInput(zeros(2, 4, 5), w, 8, 1, 0, 1, 1), "conv1d backward", "gradient [2, 4, 5]",
                "[2, 4, 6]");
        rejects(() -> zeros(2, 3, 8).conv1dBackwardWeight(zeros(2, 4, 7), 3, 1, 0, 1, 1), "conv1d backward",
                "gradient [2, 4, 7]", "[2, 4, 6]");
        rejects(() -> zeros(2, 3, 8).unfold1d(0, 1, 0, 1), "unfold1d", "kernel size 0");
        rejects(() -> zeros(2, 3, 8).unfold1d(9, 1, 0, 1), "unfold1d", "input length 8");
        rejects(() -> zeros(7, 2, 6).fold1d(8, 3, 1, 0, 1), "fold1d", "[C * 3, B, outLength]", "[7, 2, 6]");
        rejects(() -> zeros(6, 2, 5).fold1d(8, 3, 1, 0, 1), "fold1d", "5 positions", "length 8 gives 6");
        rejects(() -> Tensor.conv1dBackwardWeight(zeros(12, 2, 5), zeros(3, 4, 5), 3, 1), "conv1d backward",
                "[Cin * 3, B, outLength]", "[12, 2, 5]", "[3, 4, 5]");
    }

    @Test
    void batchNorm() {
        rejects(() -> zeros(2, 5).batchNorm(zeros(5), zeros(5), 1e-5f), "batchNorm", "[B, C, L]", "[2, 5]");
        rejects(() -> zeros(0, 5, 3).batchNorm(zeros(5), zeros(5), 1e-5f), "batchNorm", "B * L > 0", "[0, 5, 3]");
        rejects(() -> zeros(2, 5, 3).batchNorm(zeros(4), zeros(5), 1e-5f), "batchNorm", "gamma [4]", "[5]");
        rejects(() -> zeros(2, 5, 3).batchNorm(zeros(5), ints(1, 2, 3, 4, 5), 1e-5f), "batchNorm beta", "F32");
        var out = zeros(2, 5, 3).batchNorm(zeros(5), zeros(5), 1e-5f);
        rejects(() -> zeros(2, 5, 3).batchNormBackward(zeros(2, 3, 5), zeros(5), out.mean(), out.rstd()),
                "batchNorm backward", "gradient [2, 3, 5]", "[2, 5, 3]");
        rejects(() -> zeros(2, 5, 3).batchNormBackward(zeros(2, 5, 3), zeros(5), zeros(3), out.rstd()),
                "batchNorm backward", "mean [3]", "[5]");
    }

    @Test
    void attention() {
        Tensor q = zeros(1, 2, 3, 4);
        Tensor kv = zeros(1, 2, 5, 4);
        rejects(() -> Tensor.attention(zeros(2, 3, 4), kv, kv, null, 1f), "attention", "[2, 3, 4]");
        rejects(() -> Tensor.attention(q, kv, zeros(1, 2, 6, 4), null, 1f), "attention", "[1, 2, 5, 4]", "[1, 2, 6, 4]");
        rejects(() -> Tensor.attention(q, zeros(1, 2, 5, 3), zeros(1, 2, 5, 3), null, 1f), "attention", "[1, 2, 3, 4]");
        rejects(() -> Tensor.attention(q, kv, kv, zeros(2, 5, 3), 1f), "attention bias", "[2, 3, 5]", "[2, 5, 3]");
        var out = Tensor.attention(q, kv, kv, null, 1f);
        rejects(() -> Tensor.attentionBackward(q, kv, kv, null, 1f, out.out(), out.logSumExp(), zeros(1, 2, 3, 5)),
                "attention backward", "output gradient [1, 2, 3, 5]", "[1, 2, 3, 4]");
        rejects(() -> Tensor.attentionBackward(q, kv, kv, null, 1f, zeros(1, 2, 3), out.logSumExp(), out.out()),
                "attention backward", "out [1, 2, 3]");
        rejects(() -> Tensor.attentionBackward(q, kv, kv, null, 1f, out.out(), zeros(1, 2, 5), out.out()),
                "attention backward", "logSumExp [1, 2, 5]", "[1, 2, 3]");
        rejects(() -> Tensor.attentionBackward(zeros(1, 2, 3, 5), kv, kv, null, 1f, out.out(), out.logSumExp(), out.out()),
                "attention backward", "[1, 2, 3, 5]");
        // Destinations for the gradients: the operand's shape, a contiguous last axis, no broadcast.
        rejects(() -> Tensor.attentionBackward(q, kv, kv, null, 1f, out.out(), out.logSumExp(), out.out(), null,
                zeros(1, 2, 4, 4), null), "attention backward", "dk destination [1, 2, 4, 4]", "[1, 2, 5, 4]");
        rejects(() -> Tensor.attentionBackward(q, kv, kv, null, 1f, out.out(), out.logSumExp(), out.out(), null, null,
                zeros(1, 2, 4, 5).transpose(2, 3)), "attention backward", "dv destination", "contiguous last axis");
        rejects(() -> Tensor.attentionBackward(q, kv, kv, null, 1f, out.out(), out.logSumExp(), out.out(),
                zeros(1, 1, 3, 4).expand(1, 2, 3, 4), null, null), "attention backward", "dq destination", "broadcast");
    }

    @Test
    void rngShapes() {
        rejects(() -> new Rng(1).uniform(device(), 3, -1), "[3, -1]", "negative");
        rejects(() -> new Rng(1).permutations(-1, 3), "permutations", "-1");
    }
}

package dev.mp3.autograd;

import dev.mp3.tensor.Tensor;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad arguments to Var ops fail at the call with an IllegalArgumentException naming the op and shapes. */
class VarBadInputTest {

    private static void rejects(ThrowingCallable call, String... fragments) {
        var a = assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class);
        for (String f : fragments) {
            a.hasMessageContaining(f);
        }
    }

    private static Var p(int... shape) {
        return Var.param(Tensor.zeros(shape));
    }

    @Test
    void elementwiseAndShapes() {
        rejects(() -> p(3, 4).add(p(5)), "add", "[3, 4]", "[5]");
        rejects(() -> p(3, 4).mul(p(4, 3)), "mul", "[3, 4]", "[4, 3]");
        rejects(() -> p(3, 4).reshape(5, 2), "reshape", "[3, 4]");
        rejects(() -> p(3, 4).permute(1, 1), "permute");
        rejects(() -> p(3, 4).slice(1, 3, 6), "slice", "[3, 4]");
        rejects(() -> p(3, 4).select(0, 3), "select", "index 3", "[3, 4]");
        rejects(() -> p(3, 4).select(-1, -1), "select", "index -1");
        rejects(() -> p(3, 4).squeeze(1), "squeeze", "[3, 4]");
        rejects(() -> p(3, 4).expand(2, 3, 5), "expand", "[3, 4]");
        rejects(() -> p(3, 4).sum(2, true), "sum", "axis 2");
        rejects(() -> p(3, 4).max(-3, false), "max", "axis -3");
        rejects(() -> p(3, 4).split(1, 2, 3), "split", "[2, 3]", "4");
        rejects(() -> Var.concat(List.of(p(2, 3), p(3, 3)), 1), "concat", "[3, 3]", "[2, 3]");
        rejects(() -> p(3).maskedFill(Tensor.zeros(4), 0f), "maskedFill", "[4]");
    }

    @Test
    void matmulAndLinear() {
        rejects(() -> p(3, 4).matmul(p(3, 4)), "matmul", "[3, 4]", "4 vs 3");
        rejects(() -> Var.matmul(p(2, 3, 4), false, p(5, 4, 2), false), "matmul", "batch");
        rejects(() -> p(2, 4).linear(p(5, 3), null), "linear", "weight [5, 3]", "[2, 4]");
        rejects(() -> p(2, 4).linear(p(5, 4), p(4)), "linear", "bias [4]", "[5, 4]");
        rejects(() -> p(2, 4).linear(p(4), null), "linear", "weight [4]");
        rejects(() -> Var.param(Tensor.scalar(1f)).linear(p(5, 4), null), "linear", "[]");
    }

    @Test
    void rows() {
        rejects(() -> p(2, 5).layerNorm(p(4), p(5), 1e-5f), "layerNorm", "gamma [4]", "[2, 5]");
        rejects(() -> p(2, 5).layerNorm(p(5), p(5, 1), 1e-5f), "layerNorm", "beta [5, 1]");
        rejects(() -> Var.param(Tensor.scalar(1f)).layerNorm(p(1), p(1), 1e-5f), "layerNorm", "[]");
        rejects(() -> Var.param(Tensor.scalar(1f)).softmax(), "softmax", "[]");
        Tensor targets = Tensor.ofInts(new int[] {0, 1}, 2);
        rejects(() -> p(3, 5).crossEntropy(targets, 0f), "crossEntropy", "targets [2]", "[3, 5]");
        rejects(() -> p(2, 5).crossEntropy(Tensor.zeros(2), 0f), "crossEntropy targets", "I32");
        rejects(() -> p(2, 5).crossEntropy(targets, 1f), "crossEntropy", "smoothing");
        rejects(() -> p(2, 5).crossEntropy(targets, -0.1f), "crossEntropy", "smoothing");
        rejects(() -> Var.param(Tensor.scalar(1f)).crossEntropy(Tensor.ofInts(new int[] {0}), 0f), "crossEntropy", "[]");
    }

    @Test
    void attention() {
        rejects(() -> Var.attention(p(2, 3, 4), p(2, 2, 3, 4), p(2, 2, 3, 4), null, 1f), "attention", "[2, 3, 4]");
        rejects(() -> Var.attention(p(1, 2, 3, 4), p(1, 2, 5, 4), p(1, 2, 6, 4), null, 1f), "attention", "[1, 2, 5, 4]", "[1, 2, 6, 4]");
        rejects(() -> Var.attention(p(1, 2, 3, 4), p(1, 2, 5, 3), p(1, 2, 5, 3), null, 1f), "attention", "[1, 2, 3, 4]");
        rejects(() -> Var.attention(p(1, 2, 3, 4), p(2, 2, 5, 4), p(2, 2, 5, 4), null, 1f), "attention");
        rejects(() -> Var.attention(p(1, 2, 3, 4), p(1, 2, 5, 4), p(1, 2, 5, 4), p(2, 5, 3), 1f), "attention bias", "[2, 3, 5]", "[2, 5, 3]");
    }

    @Test
    void indexing() {
        rejects(() -> Var.param(Tensor.scalar(1f)).indexSelect(Tensor.ofInts(new int[] {0}, 1)), "indexSelect", "[]");
        rejects(() -> p(4, 2).indexSelect(Tensor.ofInts(new int[] {4}, 1)), "indexSelect", "index 4", "[4, 2]");
        rejects(() -> p(4, 2).indexSelect(Tensor.zeros(1)), "indexSelect index", "I32");
        rejects(() -> Var.param(Tensor.scalar(1f)).takeAlong(Tensor.ofInts(new int[] {0}, 1)), "takeAlong");
        rejects(() -> p(4, 2).takeAlong(Tensor.ofInts(new int[] {0, 1, 2, 0}, 4, 1)), "takeAlong", "index 2");
        rejects(() -> p(4, 2).takeAlong(Tensor.ofInts(new int[] {0, 1}, 2, 1)), "takeAlong", "[2, 1]", "[4, 2]");
    }
}

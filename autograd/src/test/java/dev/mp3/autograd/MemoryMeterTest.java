package dev.mp3.autograd;

import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Graph memory counted by hand: 4 bytes per F32 or I32 element, each storage once. */
class MemoryMeterTest {

    private static Tensor ones(int... shape) {
        return Tensor.full(1f, shape);
    }

    @Test
    void aLeafIsItsValue() {
        assertThat(Var.param(ones(3, 4)).graphBytes()).isEqualTo(48);
        assertThat(Var.constant(Tensor.ofInts(new int[] {1, 2, 3}, 3)).graphBytes()).isEqualTo(12);
    }

    @Test
    void nodesCountTheirValuesAndTheirParents() {
        // x [2,3] param, w [2,3] data, y = x * w: three storages of 24 bytes.
        Var x = Var.param(ones(2, 3));
        Var w = Var.constant(ones(2, 3));
        assertThat(x.mul(w).graphBytes()).isEqualTo(72);
        // x used twice (y = x*x + x): x once, x*x, and the sum.
        assertThat(x.mul(x).add(x).graphBytes()).isEqualTo(72);
    }

    @Test
    void aViewSharesItsStorageAndCountsOnce() {
        // sum() is reshape(-1) (a view of x's storage) then a sum to one element: 24 + 4.
        Var x = Var.param(ones(2, 3));
        Var loss = x.sum();
        assertThat(loss.graphBytes()).isEqualTo(28);
        // Two views of the same storage added to a meter: one storage.
        Tensor t = ones(4, 5);
        MemoryMeter m = new MemoryMeter().add(t).add(t.transpose(0, 1)).add(t.slice(0, 1, 3)).add(t);
        assertThat(m.bytes()).isEqualTo(80);
        assertThat(m.storages()).isEqualTo(1);
    }

    @Test
    void tensorsCapturedByABackwardRuleCount() {
        // Layer norm of x [2,4] keeps y [2,4] as the node's value and, captured by its rule only,
        // the per-row mean and rstd (2 floats each): x 32 + gamma 16 + beta 16 + y 32 + 8 + 8.
        Var x = Var.param(ones(2, 4));
        Var gamma = Var.param(ones(4));
        Var beta = Var.param(Tensor.zeros(4));
        assertThat(x.layerNorm(gamma, beta, 1e-5f).graphBytes()).isEqualTo(112);
    }

    @Test
    void attentionKeepsItsOperandsAndLogSumExpButNoCopies() {
        // q, k, v [1,1,2,2] (16 bytes each) and out 16 + the rule's log-sum-exp [1,1,2] 8.
        Var q = Var.param(ones(1, 1, 2, 2));
        Var k = Var.param(ones(1, 1, 2, 2));
        Var v = Var.param(ones(1, 1, 2, 2));
        assertThat(Var.attention(q, k, v, null, 1f).graphBytes()).isEqualTo(72);
        // The CPU backend reads the operands where they lie (Backend.attentionReadsViews), so a
        // transposed k is not copied for the graph to keep: still 72 (a backend that needs dense
        // operands would hold a 16-byte contiguous copy in the rule).
        assertThat(ones(1).backend().attentionReadsViews()).isTrue();
        Var kt = Var.param(ones(1, 1, 2, 2));
        assertThat(Var.attention(q, kt.transpose(2, 3), v, null, 1f).graphBytes()).isEqualTo(72);
    }

    @Test
    void integerTargetsCapturedByTheLossCount() {
        // logits [2,3] 24 + targets I32 [2] 8 (held by the rule, not by any node) + per-row loss 8
        // + mean 4 (its reshape is a view of the per-row loss).
        Var logits = Var.param(ones(2, 3));
        Var loss = logits.crossEntropy(Tensor.ofInts(new int[] {0, 2}, 2), 0f).mean();
        assertThat(loss.graphBytes()).isEqualTo(44);
    }

    @Test
    void backwardReleasesTheGraphAndGradientsAreCountedWhenPresent() {
        Var x = Var.param(ones(2, 3));
        Var w = Var.constant(ones(2, 3));
        Var loss = x.mul(w).sum();
        // x 24, w 24, x*w 24 (its reshape a view), sum 4.
        assertThat(loss.graphBytes()).isEqualTo(76);
        loss.backward();
        // Only the loss value remains reachable from the loss.
        assertThat(loss.graphBytes()).isEqualTo(4);
        // The leaf now carries a 24-byte gradient: value and gradient.
        assertThat(new MemoryMeter().add(x).bytes()).isEqualTo(48);
        // A new graph on x sees its gradient too: x 24 + grad 24 + x^2 24 + sum 4.
        assertThat(x.square().sum().graphBytes()).isEqualTo(76);
    }

    @Test
    void withoutRecordingANodeHoldsNoGraph() {
        Var x = Var.param(ones(2, 3));
        try (Grad.Scope ignored = Grad.disabled()) {
            assertThat(x.mul(2f).graphBytes()).isEqualTo(24);
        }
    }

    @Test
    void aMeterUnitesGraphsAndState() {
        Var x = Var.param(ones(2, 3));
        Tensor moment = ones(2, 3);
        MemoryMeter m = new MemoryMeter().addGraph(x.square().sum()).add(x.value()).add(moment).add((Tensor) null);
        // x 24 (once: in the graph and added again), x^2 24, sum 4, moment 24.
        assertThat(m.bytes()).isEqualTo(76);
        assertThat(m.storages()).isEqualTo(4);
    }
}

package dev.mp3.autograd;

import dev.mp3.tensor.OpTest;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * How the graph behaves: accumulation, sharing, no-grad scopes, release after backward, depth; on
 * the device under test (an {@link OpTest}), since gradients accumulate with the backend's ops.
 */
public class GraphTest extends OpTest {

    private Tensor normal(long seed, int... shape) {
        return put(TestData.normal(seed, numel(shape), 1), shape);
    }

    private Tensor full(float value, int... shape) {
        return Tensor.full(value, shape).to(device());
    }

    @Test
    void eachLeafIsReportedOnceWithItsGradientAlreadyComplete() {
        // loss = sum(a * a * b + a): a is used three times, so its gradient 2ab + 1 is complete only
        // after every use has contributed; b's is a^2. The callback must see both final values.
        Var a = Var.param(Tensor.of(new float[] {1f, -2f, 3f}, 3));
        Var b = Var.param(Tensor.of(new float[] {0.5f, 4f, -1f}, 3));
        Var loss = a.mul(a).mul(b).add(a).sum();
        List<String> seen = new java.util.ArrayList<>();
        loss.backward(leaf -> seen.add((leaf == a ? "a " : "b ") + java.util.Arrays.toString(leaf.grad().toFloatArray())));
        // 2ab + 1 = (2, -15, -5); a^2 = (1, 4, 9).
        assertThat(seen).containsExactlyInAnyOrder("a [2.0, -15.0, -5.0]", "b [1.0, 4.0, 9.0]");
    }

    @Test
    void gradientsAccumulateIntoLeavesOverTwoBackwardCalls() {
        Tensor x0 = normal(1, 3);
        Var x = Var.param(x0);
        x.square().sum().backward();
        float[] once = x.grad().toFloatArray();
        x.square().sum().backward();
        float[] twice = x.grad().toFloatArray();
        float[] v = x0.toFloatArray();
        for (int i = 0; i < 3; i++) {
            assertThat(once[i]).isCloseTo(2 * v[i], within(1e-6f));
            assertThat(twice[i]).isCloseTo(4 * v[i], within(1e-6f));
        }
        x.zeroGrad();
        assertThat(x.grad()).isNull();
        x.sum().backward();
        assertThat(x.grad().toFloatArray()).containsOnly(1f);
    }

    @Test
    void aVarUsedTwiceGetsTheSumOfBothPaths() {
        Tensor x0 = normal(2, 4);
        Var x = Var.param(x0);
        // y = x*x + 3x: dy/dx = 2x + 3.
        x.mul(x).add(x.mul(3f)).sum().backward();
        float[] g = x.grad().toFloatArray();
        float[] v = x0.toFloatArray();
        for (int i = 0; i < 4; i++) {
            assertThat(g[i]).isCloseTo(2 * v[i] + 3, within(1e-5f));
        }
        // Diamond: one interior node feeding two branches that meet again.
        Var w = Var.param(put(new float[] {2f}, 1));
        Var h = w.mul(3f);
        h.exp().add(h.square()).sum().backward();
        // d/dw [exp(3w) + 9w^2] = 3 exp(3w) + 18 w.
        assertThat(w.grad().item()).isCloseTo((float) (3 * Math.exp(6) + 36), within(1e-2f));
    }

    @Test
    void leafGradientIsAPrivateCopy() {
        Var x = Var.param(normal(3, 2, 2));
        Tensor seed = full(1f, 2, 2);
        x.contiguous().backward(seed);
        seed.fillInPlace(5f);
        assertThat(x.grad().toFloatArray()).containsOnly(1f);
        x.grad().scaleInPlace(2f);
        assertThat(seed.toFloatArray()).containsOnly(5f);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Var x = Var.param(normal(4, 3));
        Var y;
        try (var _ = Grad.disabled()) {
            assertThat(Grad.enabled()).isFalse();
            try (var _ = Grad.disabled()) {
                assertThat(Grad.enabled()).isFalse();
            }
            assertThat(Grad.enabled()).isFalse();
            y = x.square().sum();
        }
        assertThat(Grad.enabled()).isTrue();
        assertThat(y.requiresGrad()).isFalse();
        assertThat(y.isLeaf()).isTrue();
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class).hasMessageContaining("does not depend on any parameter");
        assertThat(x.grad()).isNull();
        // Constants and detached values do not record either.
        assertThat(Var.constant(normal(5, 3)).square().requiresGrad()).isFalse();
        assertThat(x.detach().square().requiresGrad()).isFalse();
        assertThat(x.square().requiresGrad()).isTrue();
    }

    @Test
    void interiorGradientsAreReleasedAfterBackward() {
        Var x = Var.param(normal(6, 3));
        Var y = x.mul(2f);
        Var z = y.exp();
        Var loss = z.sum();
        loss.backward();
        assertThat(x.grad()).isNotNull();
        assertThat(y.grad()).isNull();
        assertThat(z.grad()).isNull();
        assertThat(loss.grad()).isNull();
    }

    @Test
    void backwardThroughAReleasedGraphFailsClearly() {
        Var x = Var.param(normal(7, 3));
        Var y = x.exp();
        Var loss = y.sum();
        loss.backward();
        Tensor first = x.grad().copy();
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class).hasMessageContaining("backward")
                .hasMessageContaining("released");
        // Reusing an interior node of a used graph in a new one must not silently drop x's gradient.
        assertThatThrownBy(() -> y.mul(2f).sum().backward()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
        assertThat(x.grad().toFloatArray()).containsExactly(first.toFloatArray());
    }

    @Test
    void backwardNeedsAScalarOrASeed() {
        Var x = Var.param(normal(8, 2, 3));
        Var y = x.square();
        assertThatThrownBy(y::backward).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backward").hasMessageContaining("[2, 3]").hasMessageContaining("not a scalar");
        assertThatThrownBy(() -> y.backward(full(0f, 3, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 2]").hasMessageContaining("[2, 3]");
        y.backward(full(1f, 2, 3));
        assertThat(x.grad().shape()).containsExactly(2, 3);
        // A one-element output of any rank is a scalar.
        Var z = Var.param(normal(9, 1, 1));
        z.square().backward();
        assertThat(z.grad().shape()).containsExactly(1, 1);
    }

    @Test
    void aDeepChainDoesNotOverflowTheStack() {
        Var x = Var.param(put(new float[] {0.5f, -1f}, 2));
        Var y = x;
        for (int i = 0; i < 10_000; i++) {
            y = y.add(0.001f);
        }
        y.mul(y).sum().backward();
        float[] g = x.grad().toFloatArray();
        assertThat(g[0]).isCloseTo(2 * (0.5f + 10f), within(1e-2f));
        assertThat(g[1]).isCloseTo(2 * (-1f + 10f), within(1e-2f));
    }

    @Test
    void setGradReplacesALeafGradient() {
        Var x = Var.param(normal(10, 2));
        x.setGrad(full(3f, 2));
        x.sum().backward();
        assertThat(x.grad().toFloatArray()).containsOnly(4f);
    }

    @Test
    void onlyParametersReceiveGradients() {
        Var p = Var.param(normal(11, 3));
        Var c = Var.constant(normal(12, 3));
        p.mul(c).sum().backward();
        assertThat(c.grad()).isNull();
        assertThat(p.grad().toFloatArray()).containsExactly(c.value().toFloatArray());
    }

    @Test
    void trainingASmallMlpReducesTheLoss() {
        Rng rng = new Rng(2);
        int n = 256;
        Tensor x = rng.normal(device(), 0, 1, n, 2);
        float[] xs = x.toFloatArray();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = xs[2 * i] * xs[2 * i + 1] > 0 ? 1 : 0;
        }
        Tensor targets = putInts(y, n);
        Var w1 = Var.param(rng.normal(device(), 0, 0.5f, 32, 2));
        Var b1 = Var.param(full(0f, 32));
        Var w2 = Var.param(rng.normal(device(), 0, 0.5f, 2, 32));
        Var b2 = Var.param(full(0f, 2));
        float first = 0;
        float last = 0;
        for (int step = 0; step < 300; step++) {
            Var loss = Var.constant(x).linear(w1, b1).gelu().linear(w2, b2).crossEntropy(targets, 0f).mean();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
            loss.backward();
            for (Var p : List.of(w1, b1, w2, b2)) {
                p.value().axpyInPlace(-0.5f, p.grad());
                p.zeroGrad();
            }
        }
        // XOR of signs: not linearly separable, so a falling loss shows the hidden layer learning.
        assertThat(first).isCloseTo((float) Math.log(2), within(0.2f));
        assertThat(last).isLessThan(first * 0.5f);
    }
}

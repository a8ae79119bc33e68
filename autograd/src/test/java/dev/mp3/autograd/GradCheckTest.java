package dev.mp3.autograd;

import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GradCheck must fail when a backward rule is wrong; otherwise every passing check proves nothing. */
class GradCheckTest {

    private static Tensor normal(long seed, int... shape) {
        return Tensor.of(TestData.normal(seed, Tensor.zeros(shape).numel(), 1), shape);
    }

    /** x^2 whose backward forgets the factor 2: built with the package-private node() as Var's ops are. */
    private static Var squareWithWrongBackward(Var x) {
        return Var.node("wrongSquare", x.value().square(), g -> x.accumulate(g.mul(x.value())), x);
    }

    /** x * x with the second factor detached: autograd sees d/dx = x, the function's true derivative is 2x. */
    private static Var squareThroughDetach(Var x) {
        return x.mul(x.detach());
    }

    @Test
    void failsOnAWrongBackwardRule() {
        Tensor x = normal(1, 3, 4);
        assertThatThrownBy(() -> GradCheck.of(v -> squareWithWrongBackward(v.get(0)), x).check())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("gradient check failed for input 0");
    }

    @Test
    void failsOnAGradientLostToDetach() {
        Tensor x = normal(2, 5);
        assertThatThrownBy(() -> GradCheck.of(v -> squareThroughDetach(v.get(0)), x).check())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("analytic")
                .hasMessageContaining("numeric");
    }

    @Test
    void failsWhenOnlyOneOfSeveralInputsIsWrong() {
        Tensor a = normal(3, 2, 3);
        Tensor b = normal(4, 2, 3);
        assertThatThrownBy(() -> GradCheck.of(v -> v.get(0).add(squareWithWrongBackward(v.get(1))), a, b).check())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("input 1");
    }

    @Test
    void failsOnASmallSystematicError() {
        // A backward off by 5%: beyond the default 1% relative tolerance.
        Tensor x = normal(5, 4).affine(1f, 3f);
        assertThatThrownBy(() -> GradCheck.of(v -> Var.node("scaled", v.get(0).value().mul(2f),
                g -> v.get(0).accumulate(g.mul(2.1f)), v.get(0)), x).check())
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void passesOnTheCorrectRules() {
        Tensor x = normal(6, 3, 4);
        GradCheck.of(v -> v.get(0).square(), x).check();
        GradCheck.of(v -> v.get(0).mul(v.get(0)), x).check();
        GradCheck.of(v -> Var.node("rightSquare", v.get(0).value().square(), g -> v.get(0).accumulate(g.mul(v.get(0).value()).mul(2f)),
                v.get(0)), x).tolerance(1e-3, 1e-4).step(1e-2).seed(3).check();
    }
}

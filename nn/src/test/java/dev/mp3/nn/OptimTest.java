package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OptimTest {

    /** A weight (decayed) and a bias (not decayed), with gradients set by hand. */
    private static final class Pair extends Module {
        final Parameter w;
        final Parameter b;

        Pair(float[] w, float[] b) {
            this.w = parameter("weight", Tensor.of(w, w.length), true);
            this.b = parameter("bias", Tensor.of(b, b.length), false);
        }
    }

    @Test
    void adamWOneStepMatchesHandComputation() {
        Pair m = new Pair(new float[] {1f, -2f}, new float[] {0.5f});
        m.w.setGrad(Tensor.of(new float[] {0.5f, -0.1f}, 2));
        m.b.setGrad(Tensor.of(new float[] {0.2f}, 1));
        Adam opt = new Adam(m.namedParameters(), Adam.Config.adamW(0.01f));
        opt.step(0.1f);
        // Step 1: m = 0.1 g, v = 0.001 g^2, so m/(1-0.9) = g and sqrt(v/(1-0.999)) = |g|: the Adam step is
        // lr * sign(g) (up to eps). AdamW first shrinks decayed weights by 1 - lr*wd = 0.999:
        // 1 * 0.999 - 0.1 = 0.899;  -2 * 0.999 + 0.1 = -1.898;  the bias is not decayed: 0.5 - 0.1 = 0.4.
        assertThat(m.w.value().toFloatArray()).containsExactly(new float[] {0.899f, -1.898f}, within(1e-6f));
        assertThat(m.b.value().toFloatArray()).containsExactly(new float[] {0.4f}, within(1e-6f));
        assertThat(opt.steps()).isEqualTo(1);
    }

    @Test
    void adamWithL2TwoStepsMatchesHandComputation() {
        Pair m = new Pair(new float[] {1f}, new float[] {0f});
        Adam opt = new Adam(Map.of("weight", m.w), new Adam.Config(0.9f, 0.999f, 1e-8f, 0.1f, false, 0f));
        for (int i = 0; i < 2; i++) {
            m.w.setGrad(Tensor.of(new float[] {0.5f}, 1));
            opt.step(0.1f);
        }
        // Adam folds wd * p into the gradient. Step 1: g' = 0.5 + 0.1 = 0.6, step lr * 1 -> p = 0.9.
        // Step 2: g' = 0.5 + 0.09 = 0.59; m = 0.9*0.06 + 0.1*0.59 = 0.113; v = 0.999*0.00036 + 0.001*0.3481
        // = 0.00070774; m^ = 0.113/0.19 = 0.5947368; v^ = 0.00070774/0.001999 = 0.3540470;
        // p = 0.9 - 0.1 * 0.5947368 / 0.5950185 = 0.8000473.
        assertThat(m.w.value().toFloatArray()[0]).isCloseTo(0.8000473f, within(2e-6f));
    }

    @Test
    void resumedRunContinuesExactly(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(3);
        Tensor x = rng.normal(0, 1, 6, 4);
        Tensor y = Tensor.ofInts(new int[] {0, 1, 2, 0, 1, 2}, 6);
        Adam.Config cfg = Adam.Config.adamW(0.05f).withBetas(0.9f, 0.95f);

        Linear straight = new Linear(4, 3, true, new Rng(4));
        Adam opt = new Adam(straight.namedParameters(), cfg);
        for (int i = 0; i < 5; i++) {
            step(straight, opt, x, y);
        }

        Linear first = new Linear(4, 3, true, new Rng(4));
        Adam opt1 = new Adam(first.namedParameters(), cfg);
        for (int i = 0; i < 3; i++) {
            step(first, opt1, x, y);
        }
        Safetensors.write(dir.resolve("model.safetensors"), first.stateDict(), Map.of());
        Safetensors.write(dir.resolve("optim.safetensors"), opt1.stateDict(), Map.of());

        Linear resumed = new Linear(4, 3, true, new Rng(99));
        Safetensors.load(resumed, dir.resolve("model.safetensors"), true);
        Adam opt2 = new Adam(resumed.namedParameters(), cfg);
        opt2.loadStateDict(Safetensors.read(dir.resolve("optim.safetensors")).tensors());
        assertThat(opt2.steps()).isEqualTo(3);
        for (int i = 0; i < 2; i++) {
            step(resumed, opt2, x, y);
        }
        assertThat(resumed.weight.value().toFloatArray()).containsExactly(straight.weight.value().toFloatArray());
        assertThat(resumed.bias.value().toFloatArray()).containsExactly(straight.bias.value().toFloatArray());
    }

    private static void step(Linear model, Adam opt, Tensor x, Tensor y) {
        Losses.crossEntropy(model.forward(Var.constant(x)), y, 0.1f).backward();
        opt.step(0.01f);
        opt.zeroGrad();
    }

    @Test
    void optimizerStateIsValidatedOnLoad() {
        Pair m = new Pair(new float[] {1f, 2f}, new float[] {0f});
        Adam opt = new Adam(m.namedParameters(), Adam.Config.adam());
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("step", Tensor.ofInts(new int[] {4}, 1));
        bad.put("weight.exp_avg", Tensor.zeros(3));
        bad.put("weight.exp_avg_sq", Tensor.zeros(2));
        assertThatThrownBy(() -> opt.loadStateDict(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'weight.exp_avg' has shape [3]");
        assertThatThrownBy(() -> opt.loadStateDict(Map.of("weight.exp_avg", Tensor.zeros(2))))
                .hasMessageContaining("missing or malformed 'step'");
    }

    @Test
    void gradientsPassTheHookBeforeTheUpdate() {
        Pair m = new Pair(new float[] {1f, 2f}, new float[] {3f});
        m.w.setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        m.b.setGrad(Tensor.of(new float[] {1f}, 1));
        Adam opt = new Adam(m.namedParameters(), Adam.Config.adam());
        int[] calls = {0};
        // A stand-in for an all-reduce that finds the gradients summing to zero across workers.
        opt.setGradientHook(params -> {
            calls[0]++;
            assertThat(params.keySet()).containsExactly("weight", "bias");
            params.values().forEach(p -> p.grad().fillInPlace(0f));
        });
        opt.step(0.1f);
        assertThat(calls[0]).isEqualTo(1);
        assertThat(m.w.value().toFloatArray()).containsExactly(1f, 2f);
        assertThat(m.b.value().toFloatArray()).containsExactly(3f);
    }

    @Test
    void gradientNormClipping() {
        Pair m = new Pair(new float[] {0f, 0f}, new float[] {0f});
        m.w.setGrad(Tensor.of(new float[] {3f, 4f}, 2));
        m.b.setGrad(Tensor.of(new float[] {12f}, 1));
        List<Parameter> ps = List.of(m.w, m.b);
        // sqrt(9 + 16 + 144) = 13.
        assertThat(GradClip.clipNorm(ps, 20.0)).isCloseTo(13.0, within(1e-6));
        assertThat(m.w.grad().toFloatArray()).containsExactly(3f, 4f);
        assertThat(GradClip.clipNorm(ps, 6.5)).isCloseTo(13.0, within(1e-6));
        assertThat(m.w.grad().toFloatArray()).containsExactly(new float[] {1.5f, 2f}, within(1e-5f));
        assertThat(m.b.grad().toFloatArray()).containsExactly(new float[] {6f}, within(1e-5f));
        assertThat(GradClip.totalNorm(ps)).isCloseTo(6.5, within(1e-5));
        m.b.setGrad(Tensor.of(new float[] {Float.NaN}, 1));
        assertThatThrownBy(() -> GradClip.clipNorm(ps, 1.0)).hasMessageContaining("gradient norm is NaN");
    }

    @Test
    void warmupCosineSchedule() {
        LrSchedule s = LrSchedule.warmupCosine(1e-3, 10, 110, 1e-5);
        assertThat(s.at(0)).isCloseTo(1e-4, within(1e-12));
        assertThat(s.at(4)).isCloseTo(5e-4, within(1e-12));
        assertThat(s.at(9)).isCloseTo(1e-3, within(1e-12));
        assertThat(s.at(10)).isCloseTo(1e-3, within(1e-12));
        // A quarter into the cosine: 1e-5 + 0.99e-3 * (1 + cos(pi/4)) / 2 = 8.5501786e-4.
        assertThat(s.at(35)).isCloseTo(8.5501786e-4, within(1e-10));
        assertThat(s.at(60)).isCloseTo(5.05e-4, within(1e-12));
        assertThat(s.at(110)).isCloseTo(1e-5, within(1e-12));
        assertThat(s.at(500)).isCloseTo(1e-5, within(1e-12));
        assertThatThrownBy(() -> LrSchedule.warmupCosine(1e-3, 10, 10, 0)).hasMessageContaining("warmup < total");
    }

    @Test
    void paperSpeechStepDecaySchedule() {
        // Section 4.3: 1e-4 for 500 updates, then 1e-3 halved every 10k updates.
        LrSchedule s = LrSchedule.stepDecay(1e-4, 500, 1e-3, 0.5, 10_000);
        assertThat(s.at(0)).isEqualTo(1e-4);
        assertThat(s.at(499)).isEqualTo(1e-4);
        assertThat(s.at(500)).isEqualTo(1e-3);
        assertThat(s.at(9_999)).isEqualTo(1e-3);
        assertThat(s.at(10_000)).isEqualTo(5e-4);
        assertThat(s.at(25_000)).isEqualTo(2.5e-4);
    }

    @Test
    void crossEntropyWithLabelSmoothing() {
        // Logits (0, ln 2, ln 3): p = (1/6, 2/6, 3/6). With s = 0.1 a row costs
        // -0.9 ln p[t] - (0.1/3)(ln 1/6 + ln 1/3 + ln 1/2) = -0.9 ln p[t] + 0.1194506.
        // Target 2: 0.6238325 + 0.1194506 = 0.7432831; target 0: 1.6125834 + 0.1194506 = 1.7320340.
        float l2 = (float) Math.log(2), l3 = (float) Math.log(3);
        Var logits = Var.param(Tensor.of(new float[] {0f, l2, l3, 0f, l2, l3}, 2, 3));
        Var loss = Losses.crossEntropy(logits, Tensor.ofInts(new int[] {2, 0}, 2), 0.1f);
        assertThat(loss.item()).isCloseTo((0.7432831f + 1.7320340f) / 2, within(1e-5f));
        loss.backward();
        // d/dlogit_j = (p_j - q_j) / rows, q = 0.9 one-hot + 0.1/3: row 0, j = 2: (0.5 - 0.9333333) / 2.
        assertThat(logits.grad().get(0, 2)).isCloseTo(-0.2166667f, within(1e-5f));
    }
}

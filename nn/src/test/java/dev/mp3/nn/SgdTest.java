package dev.mp3.nn;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Momentum SGD with L2 weight decay against a double-precision loop of PyTorch's formula. */
class SgdTest {

    /** A weight (decayed) and a bias (not decayed). */
    private static final class Pair extends Module {
        final Parameter w;
        final Parameter b;

        Pair(float[] w, float[] b) {
            this.w = parameter("weight", Tensor.of(w, w.length), true);
            this.b = parameter("bias", Tensor.of(b, b.length), false);
        }
    }

    @Test
    void oneStepByHand() {
        Pair m = new Pair(new float[] {1f, -2f}, new float[] {0.5f});
        m.w.setGrad(Tensor.of(new float[] {0.5f, -0.1f}, 2));
        m.b.setGrad(Tensor.of(new float[] {0.2f}, 1));
        Sgd opt = new Sgd(m.namedParameters(), new Sgd.Config(0.9f, 0.01f));
        opt.queue(0.1f, null);
        // The first momentum buffer is the decayed gradient itself: w - 0.1 (g + 0.01 w);
        // 1 - 0.1 * (0.5 + 0.01) = 0.949; -2 - 0.1 * (-0.1 - 0.02) = -1.988; the bias: 0.5 - 0.02 = 0.48.
        assertThat(m.w.value().toFloatArray()).containsExactly(new float[] {0.949f, -1.988f}, within(1e-6f));
        assertThat(m.b.value().toFloatArray()).containsExactly(new float[] {0.48f}, within(1e-6f));
        assertThat(opt.steps()).isEqualTo(1);
    }

    @Test
    void manyStepsMatchADoublePrecisionLoop() {
        Rng rng = new Rng(11);
        int n = 37;
        float[] w0 = rng.normal(0, 1, n).toFloatArray();
        float[] b0 = rng.normal(0, 1, 5).toFloatArray();
        Pair m = new Pair(w0.clone(), b0.clone());
        float momentum = 0.9f;
        float wd = 1e-3f;
        Sgd opt = new Sgd(m.namedParameters(), new Sgd.Config(momentum, wd));
        double[] w = toDouble(w0);
        double[] b = toDouble(b0);
        double[] bufW = new double[n];
        double[] bufB = new double[5];
        float[] lrs = {0.1f, 0.1f, 0.05f, 0.01f, 0.01f, 0.001f};
        for (int step = 0; step < lrs.length; step++) {
            float[] gw = rng.normal(0, 1, n).toFloatArray();
            float[] gb = rng.normal(0, 1, 5).toFloatArray();
            m.w.setGrad(Tensor.of(gw, n));
            m.b.setGrad(Tensor.of(gb, 5));
            opt.queue(lrs[step], Tensor.of(new float[] {1.5f}, 1));
            opt.zeroGrad();
            reference(w, gw, bufW, momentum, wd, lrs[step], step == 0);
            reference(b, gb, bufB, momentum, 0, lrs[step], step == 0);
        }
        assertClose(m.w.value().toFloatArray(), w);
        assertClose(m.b.value().toFloatArray(), b);
    }

    @Test
    void aLossThatIsNotFiniteLeavesWeightsAndMomentumAlone() {
        Pair m = new Pair(new float[] {1f, 2f}, new float[] {3f});
        Sgd opt = new Sgd(m.namedParameters(), new Sgd.Config(0.9f, 0f));
        m.w.setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        opt.queue(0.1f, Tensor.of(new float[] {0.7f}, 1));
        Map<String, Tensor> before = Map.of("w", m.w.value().copy(), "buf", opt.stateDict().get("weight.momentum_buffer").copy());
        opt.zeroGrad();
        m.w.setGrad(Tensor.of(new float[] {5f, 5f}, 2));
        Optimizer.Update update = opt.queue(0.1f, Tensor.of(new float[] {Float.NaN}, 1));
        assertThat(update.guard()).isNaN();
        assertThat(m.w.value().toFloatArray()).containsExactly(before.get("w").toFloatArray());
        assertThat(opt.stateDict().get("weight.momentum_buffer").toFloatArray())
                .containsExactly(before.get("buf").toFloatArray());
        assertThat(opt.steps()).isEqualTo(2);
    }

    @Test
    void stateDictResumesExactly() {
        Rng rng = new Rng(5);
        float[] w0 = rng.normal(0, 1, 8).toFloatArray();
        float[][] grads = new float[6][];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = rng.normal(0, 1, 8).toFloatArray();
        }
        Pair straight = new Pair(w0.clone(), new float[] {0f});
        Sgd opt = new Sgd(straight.namedParameters(), new Sgd.Config(0.9f, 1e-3f));
        for (float[] g : grads) {
            straight.w.setGrad(Tensor.of(g, 8));
            opt.queue(0.05f, null);
            opt.zeroGrad();
        }
        Pair first = new Pair(w0.clone(), new float[] {0f});
        Sgd opt1 = new Sgd(first.namedParameters(), new Sgd.Config(0.9f, 1e-3f));
        for (int i = 0; i < 3; i++) {
            first.w.setGrad(Tensor.of(grads[i], 8));
            opt1.queue(0.05f, null);
            opt1.zeroGrad();
        }
        Pair second = new Pair(first.w.value().toFloatArray(), new float[] {0f});
        Sgd opt2 = new Sgd(second.namedParameters(), new Sgd.Config(0.9f, 1e-3f));
        opt2.loadStateDict(opt1.stateDict());
        assertThat(opt2.steps()).isEqualTo(3);
        for (int i = 3; i < grads.length; i++) {
            second.w.setGrad(Tensor.of(grads[i], 8));
            opt2.queue(0.05f, null);
            opt2.zeroGrad();
        }
        assertThat(second.w.value().toFloatArray()).containsExactly(straight.w.value().toFloatArray());
    }

    @Test
    void refusesAdamStateAndBadSettings() {
        Pair m = new Pair(new float[] {1f}, new float[] {0f});
        Sgd opt = new Sgd(m.namedParameters(), new Sgd.Config(0.9f, 0f));
        assertThatThrownBy(() -> opt.loadStateDict(Map.of("step", Tensor.ofInts(new int[] {1}, 1),
                "weight.exp_avg", Tensor.of(new float[] {0f}, 1))))
                .hasMessageContaining("unexpected entry 'weight.exp_avg'").hasMessageContaining("Adam");
        assertThatThrownBy(() -> new Sgd.Config(1f, 0f)).hasMessageContaining("momentum must lie in [0, 1)");
        assertThatThrownBy(() -> new Sgd.Config(0.9f, -1f)).hasMessageContaining("weight decay");
    }

    private static void reference(double[] p, float[] g, double[] buf, double momentum, double wd, double lr,
                                  boolean first) {
        for (int i = 0; i < p.length; i++) {
            double d = g[i] + wd * p[i];
            buf[i] = first ? d : momentum * buf[i] + d;
            p[i] -= lr * buf[i];
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static void assertClose(float[] actual, double[] expected) {
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5 * (1 + Math.abs(expected[i]))));
        }
    }
}

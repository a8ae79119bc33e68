package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.mp3.tensor.testing.TensorAssert.assertClose;

/**
 * Adam and AdamW steps in place against PyTorch's update rule in double precision, with the
 * gradient in a different layout at each step (optimizers receive views of gradient buffers).
 */
public class AdamTest extends OpTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int n : new int[] {1, 7, 33, 257}) {
            for (boolean decoupled : new boolean[] {false, true}) {
                out.add(Arguments.of(n, decoupled));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fiveStepsMatchReference(int n, boolean decoupled) {
        float lr = 1e-2f;
        float beta1 = 0.9f;
        float beta2 = 0.95f;
        float eps = 1e-8f;
        float wd = 0.05f;
        int[] shape = {n, 3};
        float[] p0 = TestData.normal(1, 3 * n, 1);
        Tensor param = put(p0, shape);
        Tensor m = put(new float[3 * n], shape);
        Tensor v = put(new float[3 * n], shape);
        Nd rp = Nd.of(p0, shape);
        Nd rm = Nd.zeros(shape);
        Nd rv = Nd.zeros(shape);
        for (int t = 1; t <= 5; t++) {
            float[] g = TestData.normal(10 + t, 3 * n, t == 3 ? 1e-3 : 1);
            Layout gradLayout = Layout.values()[t % Layout.values().length];
            Tensor grad = put(gradLayout, g, shape);
            float bias1 = (float) (1 - Math.pow(beta1, t));
            float bias2 = (float) (1 - Math.pow(beta2, t));
            backend().adamInPlace(param, grad, m, v, lr, beta1, beta2, eps, wd, decoupled, bias1, bias2);
            // The reference takes the float-rounded state each step, so errors cannot compound unseen.
            var ref = Reference.adam(rp, Nd.of(g, shape), rm, rv, lr, beta1, beta2, eps, wd, decoupled, t);
            String what = (decoupled ? "AdamW" : "Adam") + " n=" + n + " step " + t + ", " + gradLayout + " gradient";
            assertClose(param, ref.param(), 1e-6, 1e-7, what + " param");
            assertClose(m, ref.m(), 1e-5, 1e-8, what + " m");
            assertClose(v, ref.v(), 1e-5, 1e-10, what + " v");
            rp = Nd.of(param);
            rm = Nd.of(m);
            rv = Nd.of(v);
        }
    }

    /**
     * The multi-tensor update (Tensor.adamStep): 37 parameters of assorted sizes (more than one
     * launch's worth on OpenCL), weight decay on every other one, the gradient norm clipped
     * (at steps 1 and 3) or not, against the per-parameter reference with the gradients scaled by
     * PyTorch's clip_grad_norm_ factor in double precision.
     */
    @ParameterizedTest
    @MethodSource("multiCases")
    void multiTensorStepMatchesReference(boolean decoupled, float maxNorm) {
        float lr = 1e-2f;
        float beta1 = 0.9f;
        float beta2 = 0.95f;
        float eps = 1e-8f;
        float wd = 0.05f;
        int count = 37;
        List<Tensor> params = new ArrayList<>();
        List<Tensor> ms = new ArrayList<>();
        List<Tensor> vs = new ArrayList<>();
        List<Nd> rp = new ArrayList<>();
        List<Nd> rm = new ArrayList<>();
        List<Nd> rv = new ArrayList<>();
        boolean[] decayed = new boolean[count];
        for (int i = 0; i < count; i++) {
            int[] shape = {1 + (i * 37) % 300, i % 3 + 1};
            float[] p0 = TestData.normal(100 + i, numel(shape), 1);
            params.add(put(p0, shape));
            ms.add(put(new float[numel(shape)], shape));
            vs.add(put(new float[numel(shape)], shape));
            rp.add(Nd.of(p0, shape));
            rm.add(Nd.zeros(shape));
            rv.add(Nd.zeros(shape));
            decayed[i] = i % 2 == 0;
        }
        for (int t = 1; t <= 3; t++) {
            List<Tensor> grads = new ArrayList<>();
            List<float[]> raw = new ArrayList<>();
            double sum = 0;
            for (int i = 0; i < count; i++) {
                int[] shape = params.get(i).shape();
                float[] g = TestData.normal(1000 * t + i, numel(shape), t == 2 ? 1e-3 : 1);
                raw.add(g);
                grads.add(put(Layout.values()[(t + i) % Layout.values().length], g, shape));
                for (float x : g) {
                    sum += (double) x * x;
                }
            }
            double norm = Math.sqrt(sum);
            double coef = maxNorm > 0 ? Math.min(1.0, maxNorm / (norm + 1e-6)) : 1.0;
            float bias1 = (float) (1 - Math.pow(beta1, t));
            float bias2 = (float) (1 - Math.pow(beta2, t));
            Tensor loss = put(new float[] {1.5f}, 1);
            float[] status = Tensor.adamStep(params, grads, ms, vs, decayed, lr, beta1, beta2, eps, wd, decoupled, bias1,
                    bias2, maxNorm, loss).toFloatArray();
            String what = (decoupled ? "AdamW" : "Adam") + " clip " + maxNorm + " step " + t;
            if (maxNorm > 0) {
                org.assertj.core.api.Assertions.assertThat((double) status[0]).as(what + " norm")
                        .isCloseTo(norm, org.assertj.core.api.Assertions.within(1e-5 * norm));
            } else {
                org.assertj.core.api.Assertions.assertThat(status[0]).as(what + " norm").isNaN();
            }
            org.assertj.core.api.Assertions.assertThat(status[1]).as(what + " guard").isEqualTo(1.5f);
            for (int i = 0; i < count; i++) {
                int[] shape = params.get(i).shape();
                float[] g = raw.get(i);
                float[] scaled = new float[g.length];
                for (int j = 0; j < g.length; j++) {
                    scaled[j] = (float) (g[j] * coef);
                }
                var ref = Reference.adam(rp.get(i), Nd.of(scaled, shape), rm.get(i), rv.get(i), lr, beta1, beta2, eps,
                        decayed[i] ? wd : 0f, decoupled, t);
                assertClose(params.get(i), ref.param(), 1e-5, 1e-6, what + " param " + i);
                assertClose(ms.get(i), ref.m(), 1e-4, 1e-7, what + " m " + i);
                assertClose(vs.get(i), ref.v(), 1e-4, 1e-9, what + " v " + i);
                rp.set(i, Nd.of(params.get(i)));
                rm.set(i, Nd.of(ms.get(i)));
                rv.set(i, Nd.of(vs.get(i)));
            }
        }
    }

    static Stream<Arguments> multiCases() {
        return Stream.of(Arguments.of(true, 0f), Arguments.of(true, 5f), Arguments.of(false, 5f), Arguments.of(true, 1e6f));
    }

    /** A guard or a gradient norm that is not finite stops the whole update; the status says which. */
    @ParameterizedTest
    @MethodSource("stopCases")
    void nonFiniteGuardOrNormLeavesEveryParameter(float guardValue, float badGradient) {
        float[] p0 = {1f, 2f, 3f};
        Tensor a = put(p0.clone(), 3);
        Tensor b = put(new float[] {4f}, 1);
        Tensor ga = put(new float[] {0.1f, badGradient, 0.3f}, 3);
        Tensor gb = put(new float[] {0.5f}, 1);
        List<Tensor> ms = List.of(put(new float[3], 3), put(new float[1], 1));
        List<Tensor> vs = List.of(put(new float[3], 3), put(new float[1], 1));
        float[] status = Tensor.adamStep(List.of(a, b), List.of(ga, gb), ms, vs, new boolean[] {true, false}, 0.1f, 0.9f,
                0.999f, 1e-8f, 0.05f, true, 0.1f, 0.001f, 1f, put(new float[] {guardValue}, 1)).toFloatArray();
        org.assertj.core.api.Assertions.assertThat(a.toFloatArray()).containsExactly(p0);
        org.assertj.core.api.Assertions.assertThat(b.toFloatArray()).containsExactly(4f);
        org.assertj.core.api.Assertions.assertThat(ms.get(0).toFloatArray()).containsExactly(0f, 0f, 0f);
        if (Float.isFinite(guardValue)) {
            org.assertj.core.api.Assertions.assertThat(Float.isFinite(status[0])).as("norm " + status[0]).isFalse();
        } else {
            org.assertj.core.api.Assertions.assertThat(Float.isFinite(status[1])).isFalse();
        }
    }

    static Stream<Arguments> stopCases() {
        return Stream.of(Arguments.of(Float.NaN, 0.2f), Arguments.of(Float.POSITIVE_INFINITY, 0.2f),
                Arguments.of(2f, Float.NaN), Arguments.of(2f, Float.POSITIVE_INFINITY));
    }
}

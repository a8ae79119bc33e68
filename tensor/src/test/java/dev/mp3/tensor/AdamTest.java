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
}

package dev.mp3.autograd;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void gradCheckMatmulAndSoftmax() {
        Rng rng = new Rng(1);
        Tensor a = rng.normal(0, 1, 3, 5);
        Tensor b = rng.normal(0, 1, 5, 4);
        GradCheck.of(in -> in.get(0).matmul(in.get(1)).softmax(), a, b).check();
        GradCheck.of(in -> Var.matmul(in.get(0), true, in.get(1), true), rng.normal(0, 1, 5, 3), rng.normal(0, 1, 4, 5)).check();
        Tensor g = rng.normal(1, 0.1f, 5);
        Tensor be = rng.normal(0, 0.1f, 5);
        GradCheck.of(in -> in.get(0).layerNorm(in.get(1), in.get(2), 1e-5f).gelu(), a, g, be).check();
        GradCheck.of(in -> Var.attention(in.get(0), in.get(1), in.get(2), null, 0.5f),
                rng.normal(0, 1, 2, 2, 5, 3), rng.normal(0, 1, 2, 2, 4, 3), rng.normal(0, 1, 2, 2, 4, 3)).check();
        GradCheck.of(in -> in.get(0).crossEntropy(Tensor.ofInts(new int[] {1, 0, 4}, 3), 0.1f), a).check();
    }

    @Test
    void mlpLearns() {
        Rng rng = new Rng(2);
        int n = 256;
        Tensor x = rng.normal(0, 1, n, 2);
        float[] xs = x.toFloatArray();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = xs[2 * i] * xs[2 * i + 1] > 0 ? 1 : 0;
        }
        Tensor targets = Tensor.ofInts(y, n);
        Var w1 = Var.param(rng.normal(0, 0.5f, 32, 2));
        Var b1 = Var.param(Tensor.zeros(32));
        Var w2 = Var.param(rng.normal(0, 0.5f, 2, 32));
        Var b2 = Var.param(Tensor.zeros(2));
        float first = 0;
        float last = 0;
        for (int step = 0; step < 300; step++) {
            Var loss = Var.constant(x).linear(w1, b1).gelu().linear(w2, b2).crossEntropy(targets, 0f).mean();
            if (step == 0) first = loss.item();
            last = loss.item();
            loss.backward();
            for (Var p : List.of(w1, b1, w2, b2)) {
                p.value().axpyInPlace(-0.5f, p.grad());
                p.zeroGrad();
            }
        }
        System.out.println("loss " + first + " -> " + last);
        assertThat(last).isLessThan(first * 0.5f);
    }
}

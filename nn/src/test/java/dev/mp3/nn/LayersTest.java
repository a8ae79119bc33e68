package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LayersTest {

    @Test
    void linearMatchesLoopAndGradCheck() {
        Rng rng = new Rng(1);
        Linear lin = new Linear(4, 5, true, rng);
        lin.bias.load(rng.normal(0, 1, 5));
        Tensor x = rng.normal(0, 1, 2, 3, 4);
        float[] y = lin.forward(Var.constant(x)).value().toFloatArray();
        float[] w = lin.weight.value().toFloatArray();
        float[] b = lin.bias.value().toFloatArray();
        float[] xs = x.toFloatArray();
        for (int r = 0; r < 6; r++) {
            for (int o = 0; o < 5; o++) {
                double s = b[o];
                for (int i = 0; i < 4; i++) {
                    s += (double) xs[r * 4 + i] * w[o * 4 + i];
                }
                assertThat(y[r * 5 + o]).isCloseTo((float) s, within(1e-5f));
            }
        }
        ModuleGradCheck.check(lin, lin::forward, x);
    }

    @Test
    void layerNormGradCheck() {
        Rng rng = new Rng(2);
        LayerNorm norm = new LayerNorm(6, 1e-6f);
        norm.weight.load(rng.normal(1, 0.2f, 6));
        norm.bias.load(rng.normal(0, 0.2f, 6));
        ModuleGradCheck.check(norm, norm::forward, rng.normal(0, 1, 3, 6));
    }

    @Test
    void mlpGradCheckWithGeluAndRelu() {
        Rng rng = new Rng(3);
        Mlp gelu = new Mlp(4, 7, Mlp.Activation.GELU, 0f, rng);
        gelu.fc1.bias.load(rng.normal(0, 0.5f, 7));
        ModuleGradCheck.check(gelu, gelu::forward, rng.normal(0, 1, 2, 3, 4));
        Mlp relu = new Mlp(4, 7, Mlp.Activation.RELU, 0f, rng);
        relu.fc1.weight.load(rng.normal(0, 0.5f, 7, 4));
        relu.fc1.bias.load(rng.normal(0, 0.5f, 7));
        // Finite differences across ReLU's kink are meaningless: draw inputs until every
        // pre-activation is further from 0 than a perturbation of step 1e-2 can move it.
        Tensor x;
        do {
            x = rng.uniform(-1f, 1f, 2, 3, 4);
        } while (minAbs(relu.fc1.forward(Var.constant(x)).value().toFloatArray()) < 0.05f);
        ModuleGradCheck.check(relu, relu::forward, x);
    }

    private static float minAbs(float[] v) {
        float m = Float.MAX_VALUE;
        for (float f : v) {
            m = Math.min(m, Math.abs(f));
        }
        return m;
    }

    @Test
    void patchEmbedEqualsDirectConvolution() {
        Rng rng = new Rng(4);
        int b = 2, c = 2, h = 6, w = 4, p = 2, d = 3;
        PatchEmbed embed = new PatchEmbed(c, p, d, rng);
        Tensor img = rng.normal(0, 1, b, c, h, w);
        float[] y = embed.forward(Var.constant(img)).value().toFloatArray();
        float[] wt = embed.proj.weight.value().toFloatArray();   // [D, C, p, p]
        float[] bias = embed.proj.bias.value().toFloatArray();
        float[] im = img.toFloatArray();
        int gh = h / p, gw = w / p, n = gh * gw;
        assertThat(embed.forward(Var.constant(img)).shape()).containsExactly(b, n, d);
        for (int bi = 0; bi < b; bi++) {
            for (int gy = 0; gy < gh; gy++) {
                for (int gx = 0; gx < gw; gx++) {
                    for (int o = 0; o < d; o++) {
                        double s = bias[o];
                        for (int ci = 0; ci < c; ci++) {
                            for (int ky = 0; ky < p; ky++) {
                                for (int kx = 0; kx < p; kx++) {
                                    s += (double) wt[((o * c + ci) * p + ky) * p + kx]
                                            * im[((bi * c + ci) * h + gy * p + ky) * w + gx * p + kx];
                                }
                            }
                        }
                        assertThat(y[(bi * n + gy * gw + gx) * d + o]).isCloseTo((float) s, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void patchEmbedGradCheck() {
        Rng rng = new Rng(5);
        PatchEmbed embed = new PatchEmbed(2, 2, 3, rng);
        ModuleGradCheck.check(embed, embed::forward, rng.normal(0, 1, 2, 2, 4, 4));
    }

    @Test
    void patchEmbedRejectsBadImages() {
        PatchEmbed embed = new PatchEmbed(3, 4, 8, new Rng(6));
        assertThatThrownBy(() -> embed.forward(Var.constant(Tensor.zeros(1, 3, 10, 8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not divisible by the patch size 4");
        assertThatThrownBy(() -> embed.forward(Var.constant(Tensor.zeros(1, 1, 8, 8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[batch, 3, height, width]");
    }

    @Test
    void dropoutMasksInTrainingAndIsIdentityInEval() {
        Dropout drop = new Dropout(0.25f);
        drop.train(new Rng(7));
        Tensor x = new Rng(8).uniform(1f, 2f, 4000);
        Var in = Var.param(x);
        Var y = drop.forward(in);
        float[] xs = x.toFloatArray();
        float[] ys = y.value().toFloatArray();
        int zeros = 0;
        for (int i = 0; i < xs.length; i++) {
            if (ys[i] == 0f) {
                zeros++;
            } else {
                assertThat(ys[i]).isCloseTo(xs[i] / 0.75f, within(1e-5f));
            }
        }
        // 1000 expected zeros; the binomial's standard deviation is about 27.
        assertThat(zeros).isBetween(880, 1120);
        y.sum().backward();
        float[] g = in.grad().toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            assertThat(g[i]).isEqualTo(ys[i] == 0f ? 0f : 1f / 0.75f, within(1e-6f));
        }
        drop.eval();
        assertThat(drop.forward(Var.constant(x)).value().toFloatArray()).containsExactly(xs);
    }

    @Test
    void dropPathDropsWholeExamples() {
        DropPath dp = new DropPath(0.5f);
        dp.train(new Rng(9));
        Tensor x = Tensor.full(1f, 64, 3, 2);
        float[] y = dp.forward(Var.constant(x)).value().toFloatArray();
        int dropped = 0;
        for (int b = 0; b < 64; b++) {
            float first = y[b * 6];
            assertThat(first).isIn(0f, 2f);
            for (int i = 1; i < 6; i++) {
                assertThat(y[b * 6 + i]).isEqualTo(first);
            }
            dropped += first == 0f ? 1 : 0;
        }
        assertThat(dropped).isBetween(16, 48);
        dp.eval();
        assertThat(dp.forward(Var.constant(x)).value().toFloatArray()).containsOnly(1f);
    }

    @Test
    void trainingWithoutNoiseSourceFailsClearly() {
        Dropout drop = new Dropout(0.1f);
        assertThatThrownBy(() -> drop.forward(Var.constant(Tensor.zeros(3))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call train(Rng)");
        assertThatThrownBy(() -> new Dropout(1f)).hasMessageContaining("not in [0, 1)");
    }
}

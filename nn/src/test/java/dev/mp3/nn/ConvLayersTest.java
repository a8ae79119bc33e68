package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Conv1d, BatchNorm1d (training and eval, running statistics as PyTorch keeps them) and TC-ResNet8. */
class ConvLayersTest {

    @Test
    void conv1dDrawsLikePyTorchAndPassesGradCheck() {
        Rng rng = new Rng(1);
        Conv1d conv = new Conv1d(4, 6, 3, 2, 1, 1, 2, true, rng);
        assertThat(conv.weight.shape()).containsExactly(6, 2, 3);
        float bound = (float) (1 / Math.sqrt(2 * 3));
        for (float w : conv.weight.value().toFloatArray()) {
            assertThat(Math.abs(w)).isLessThanOrEqualTo(bound);
        }
        assertThat(conv.namedParameters().keySet()).containsExactly("weight", "bias");
        assertThat(conv.forward(Var.constant(rng.normal(0, 1, 2, 4, 9))).shape()).containsExactly(2, 6, 5);
        ModuleGradCheck.check(conv, conv::forward, rng.normal(0, 1, 2, 4, 9));
        Conv1d plain = new Conv1d(3, 2, 5, 1, 2, false, rng);
        assertThat(plain.bias).isNull();
        ModuleGradCheck.check(plain, plain::forward, rng.normal(0, 1, 1, 3, 6));
    }

    /** Per channel of x [B, C, L]: {mean, biased variance} in double. */
    private static double[][] channelStatistics(float[] x, int b, int c, int len) {
        double[][] out = new double[c][2];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < len; j++) {
                    s += x[(i * c + ch) * len + j];
                }
            }
            double m = s / (b * len);
            double v = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < len; j++) {
                    double d = x[(i * c + ch) * len + j] - m;
                    v += d * d;
                }
            }
            out[ch][0] = m;
            out[ch][1] = v / (b * len);
        }
        return out;
    }

    @Test
    void batchNormTrainingNormalisesAndMovesTheRunningStatistics() {
        Rng rng = new Rng(2);
        int b = 3, c = 2, len = 5, n = b * len;
        BatchNorm1d bn = new BatchNorm1d(c);
        bn.weight.load(Tensor.of(new float[] {1.5f, -0.5f}, c));
        bn.bias.load(Tensor.of(new float[] {0.25f, 2f}, c));
        assertThat(bn.namedTensors().keySet()).containsExactly("weight", "bias", "running_mean", "running_var");
        assertThat(bn.namedParameters().keySet()).containsExactly("weight", "bias");
        double[] expectedMean = {0, 0};
        double[] expectedVar = {1, 1};
        for (int step = 0; step < 2; step++) {
            float[] x = rng.normal(1 + step, 2, b, c, len).toFloatArray();
            double[][] stats = channelStatistics(x, b, c, len);
            float[] y = bn.forward(Var.constant(Tensor.of(x, b, c, len))).value().toFloatArray();
            float[] gamma = {1.5f, -0.5f};
            float[] beta = {0.25f, 2f};
            for (int i = 0; i < x.length; i++) {
                int ch = (i / len) % c;
                double expected = (x[i] - stats[ch][0]) / Math.sqrt(stats[ch][1] + 1e-5) * gamma[ch] + beta[ch];
                assertThat((double) y[i]).isCloseTo(expected, within(1e-4));
            }
            for (int ch = 0; ch < c; ch++) {
                expectedMean[ch] = 0.9 * expectedMean[ch] + 0.1 * stats[ch][0];
                expectedVar[ch] = 0.9 * expectedVar[ch] + 0.1 * stats[ch][1] * n / (n - 1);
            }
            float[] rm = bn.runningMean.value().toFloatArray();
            float[] rv = bn.runningVar.value().toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                assertThat((double) rm[ch]).as("running_mean after step " + step).isCloseTo(expectedMean[ch], within(1e-5));
                assertThat((double) rv[ch]).as("running_var after step " + step).isCloseTo(expectedVar[ch], within(1e-5));
            }
        }
    }

    @Test
    void batchNormEvalUsesTheRunningStatistics() {
        Rng rng = new Rng(3);
        int c = 3;
        BatchNorm1d bn = new BatchNorm1d(c);
        float[] gamma = {0.5f, 1f, 2f};
        float[] beta = {0f, -1f, 0.5f};
        float[] mean = {0.3f, -2f, 5f};
        float[] var = {0.5f, 4f, 0.01f};
        bn.weight.load(Tensor.of(gamma, c));
        bn.bias.load(Tensor.of(beta, c));
        bn.runningMean.load(Tensor.of(mean, c));
        bn.runningVar.load(Tensor.of(var, c));
        bn.eval();
        float[] x = rng.normal(0, 3, 2, c, 4).toFloatArray();
        float[] y = bn.forward(Var.constant(Tensor.of(x, 2, c, 4))).value().toFloatArray();
        for (int i = 0; i < x.length; i++) {
            int ch = (i / 4) % c;
            double expected = (x[i] - mean[ch]) / Math.sqrt(var[ch] + 1e-5) * gamma[ch] + beta[ch];
            assertThat((double) y[i]).isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
        }
        // [B, C] input: one position per example; the running statistics stay as they were.
        float[] flat = bn.forward(Var.constant(Tensor.of(new float[] {1f, 1f, 1f}, 1, c))).value().toFloatArray();
        for (int ch = 0; ch < c; ch++) {
            assertThat((double) flat[ch]).isCloseTo((1 - mean[ch]) / Math.sqrt(var[ch] + 1e-5) * gamma[ch] + beta[ch], within(1e-3));
        }
        assertThat(bn.runningMean.value().toFloatArray()).containsExactly(mean);
        ModuleGradCheck.check(bn, bn::forward, rng.normal(0, 1, 2, c, 4));
    }

    @Test
    void batchNormTrainingGradCheckAndBadInput() {
        Rng rng = new Rng(4);
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.weight.load(rng.normal(1, 0.2f, 3));
        bn.bias.load(rng.normal(0, 0.2f, 3));
        ModuleGradCheck.check(bn, x -> bn.forward(x).square(), rng.normal(0, 1, 2, 3, 4));
        ModuleGradCheck.check(bn, x -> bn.forward(x).square(), rng.normal(0, 1, 4, 3));
        assertThatThrownBy(() -> bn.forward(Var.constant(Tensor.zeros(1, 3, 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BatchNorm1d").hasMessageContaining("more than one value per channel")
                .hasMessageContaining("[1, 3, 1]");
        assertThatThrownBy(() -> bn.forward(Var.constant(Tensor.zeros(2, 4, 5)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BatchNorm1d: input must be [B, 3, L] or [B, 3], got [2, 4, 5]");
    }

    // ---------------------------------------------------------------- TC-ResNet8

    @Test
    void tcResNet8HasThePapersShapeNamesAndSize() {
        TcResNet8 model = new TcResNet8(40, 12, new Rng(5));
        // By hand: conv 16*40*3 + bn 2*16; block widths (in, out) (16, 24), (24, 32), (32, 48): each
        // 9*in*out + 9*out*out + in*out + 3 batch norms of 2*out; fc 48*12 without bias.
        int blocks = 0;
        for (int[] io : new int[][] {{16, 24}, {24, 32}, {32, 48}}) {
            blocks += 9 * io[0] * io[1] + 9 * io[1] * io[1] + io[0] * io[1] + 3 * 2 * io[1];
        }
        assertThat(model.parameterCount()).isEqualTo(16 * 40 * 3 + 2 * 16 + blocks + 48 * 12).isEqualTo(65_168);
        assertThat(model.namedTensors().keySet()).startsWith("conv.weight", "bn.weight", "bn.bias", "bn.running_mean",
                "bn.running_var", "blocks.0.conv1.weight", "blocks.0.bn1.weight",
                "blocks.0.bn1.bias", "blocks.0.bn1.running_mean", "blocks.0.bn1.running_var", "blocks.0.conv2.weight")
                .contains("blocks.2.downsample.0.weight", "blocks.2.downsample.1.running_var")
                .endsWith("fc.weight");
        assertThat(model.blocks.get(1).conv1.weight.shape()).containsExactly(32, 24, 9);
        model.train(new Rng(8));
        Var logits = model.forward(Var.constant(new Rng(6).normal(0, 1, 3, 40, 101)));
        assertThat(logits.shape()).containsExactly(3, 12);
        model.eval();
        assertThat(model.forward(Var.constant(new Rng(6).normal(0, 1, 3, 40, 101))).shape()).containsExactly(3, 12);
        assertThatThrownBy(() -> model.forward(Var.constant(Tensor.zeros(3, 39, 101))))
                .hasMessageContaining("TcResNet8: input must be [B, 40, T], got [3, 39, 101]");
    }

    @Test
    void tcResNet8OverfitsATinyRandomSet() {
        Rng rng = new Rng(7);
        int b = 8, classes = 4;
        TcResNet8 model = new TcResNet8(40, classes, 1f, 0f, rng);
        Tensor x = rng.normal(0, 1, b, 40, 24);
        Tensor labels = Tensor.ofInts(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, b);
        Adam opt = new Adam(model.namedParameters(), Adam.Config.adam());
        List<Float> losses = new java.util.ArrayList<>();
        for (int step = 0; step < 30; step++) {
            Var loss = Losses.crossEntropy(model.forward(Var.constant(x)), labels, 0f);
            losses.add(loss.item());
            loss.backward();
            opt.step(3e-3f);
            opt.zeroGrad();
        }
        assertThat(losses.getLast()).as("loss after 30 steps, from " + losses.getFirst() + ": " + losses)
                .isLessThan(0.2f * losses.getFirst());
        model.eval();
        float evalLoss = Losses.crossEntropy(model.forward(Var.constant(x)), labels, 0f).item();
        assertThat(evalLoss).as("eval-mode loss with the running statistics").isLessThan(losses.getFirst());
    }
}

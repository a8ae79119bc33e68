package dev.mp3.autograd;

import dev.mp3.tensor.OpTest;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.UnaryOp;
import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.TensorAssert;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finite-difference gradient checks of every differentiable Var op, on the device under test
 * (an {@link OpTest}: other backends rerun these by overriding the device). Inputs are small (each
 * element costs two forward passes) and chosen away from kinks, ties and domain edges by more
 * than the finite-difference step.
 */
public class OpGradTest extends OpTest {

    private Tensor normal(long seed, int... shape) {
        return put(TestData.normal(seed, numel(shape), 1), shape);
    }

    private Tensor uniform(long seed, double lo, double hi, int... shape) {
        return put(TestData.uniform(seed, numel(shape), lo, hi), shape);
    }

    /** Values with |x| >= 0.2, random signs: no kink of RELU/ABS within a step of 1e-2. */
    private Tensor awayFromZero(long seed, int... shape) {
        float[] v = TestData.uniform(seed, numel(shape), 0.2, 2);
        int[] sign = TestData.ints(seed + 1, v.length, 0, 2);
        for (int i = 0; i < v.length; i++) {
            v[i] = sign[i] == 0 ? -v[i] : v[i];
        }
        return put(v, shape);
    }

    /** Distinct values 0.1 apart (shuffled): max has no ties within a step. */
    private Tensor distinct(long seed, int... shape) {
        return put(TestData.distinct(seed, numel(shape), 0.1), shape);
    }

    private static Var in(List<Var> inputs, int i) {
        return inputs.get(i);
    }

    // ---------------------------------------------------------------- elementwise

    static Stream<Arguments> broadcastPairs() {
        int[][][] pairs = {{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{4}, {3, 4}}, {{2, 1, 3}, {4, 1}}, {{}, {3}}, {{3, 1}, {1, 5}}};
        List<Arguments> out = new ArrayList<>();
        for (int[][] p : pairs) {
            out.add(Arguments.of(p[0], p[1]));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("broadcastPairs")
    void arithmeticWithBroadcasting(int[] sa, int[] sb) {
        Tensor a = normal(1, sa);
        Tensor b = normal(2, sb);
        Tensor positive = uniform(3, 0.5, 2, sb);
        GradCheck.of(x -> in(x, 0).add(in(x, 1)), a, b).check();
        GradCheck.of(x -> in(x, 0).sub(in(x, 1)), a, b).check();
        GradCheck.of(x -> in(x, 0).mul(in(x, 1)), a, b).check();
        GradCheck.of(x -> in(x, 0).div(in(x, 1)), a, positive).check();
        GradCheck.of(x -> in(x, 1).div(in(x, 0)), uniform(4, 0.5, 2, sa), b).check();
    }

    @Test
    void gradientReachesOnlyTheOperandsThatNeedIt() {
        // One operand a constant: the other still gets its (broadcast-summed) gradient.
        Tensor b = normal(5, 4);
        GradCheck.of(x -> Var.constant(normal(6, 3, 4)).mul(in(x, 0)), b).check();
        GradCheck.of(x -> Var.constant(uniform(7, 1, 2, 3, 4)).div(in(x, 0)), uniform(8, 1, 2, 4)).check();
        GradCheck.of(x -> Var.constant(normal(9, 3, 4)).sub(in(x, 0)), b).check();
    }

    @Test
    void affineAndScalarForms() {
        Tensor a = normal(10, 2, 3);
        GradCheck.of(x -> in(x, 0).affine(-1.5f, 0.3f), a).check();
        GradCheck.of(x -> in(x, 0).mul(2.5f), a).check();
        GradCheck.of(x -> in(x, 0).add(-4f), a).check();
        GradCheck.of(x -> in(x, 0).neg(), a).check();
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void everyUnaryOp(UnaryOp op) {
        Tensor x = switch (op) {
            case LOG, SQRT, RSQRT -> uniform(11, 0.5, 3, 3, 5);
            case RELU, ABS -> awayFromZero(12, 3, 5);
            default -> normal(13, 3, 5);
        };
        GradCheck.of(v -> in(v, 0).unary(op), x).check();
    }

    @Test
    void namedUnaryShortcuts() {
        Tensor x = normal(14, 4);
        Tensor pos = uniform(15, 0.5, 3, 4);
        GradCheck.of(v -> in(v, 0).exp().add(in(v, 0).tanh()).add(in(v, 0).gelu()).add(in(v, 0).geluTanh())
                .add(in(v, 0).sigmoid()).add(in(v, 0).square()), x).check();
        GradCheck.of(v -> in(v, 0).log().add(in(v, 0).sqrt()).add(in(v, 0).rsqrt()), pos).check();
        GradCheck.of(v -> in(v, 0).relu().add(in(v, 0).abs()), awayFromZero(16, 4)).check();
    }

    @Test
    void clampAwayFromItsBounds() {
        // Values at least 0.05 from -0.5 and 0.5, on both sides of each bound.
        Tensor x = put(new float[] {-1.2f, -0.6f, -0.3f, 0f, 0.2f, 0.45f, 0.7f, 2f}, 2, 4);
        GradCheck.of(v -> in(v, 0).clamp(-0.5f, 0.5f).mul(in(v, 0)), x).check();
    }

    @Test
    void maskedFillWithBroadcastMask() {
        Tensor x = normal(17, 3, 4);
        Tensor mask = put(new float[] {1f, 0f, 0f, 1f}, 4);
        GradCheck.of(v -> in(v, 0).maskedFill(mask, -3f).square(), x).check();
        GradCheck.of(v -> in(v, 0).maskedFill(put(new float[] {0f, 1f, 0f}, 3, 1), 7f).exp(), x).check();
    }

    // ---------------------------------------------------------------- reductions

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reductionsOverEveryAxis(boolean keepDim) {
        Tensor x = distinct(18, 2, 3, 4);
        for (int axis = -3; axis < 3; axis++) {
            int a = axis;
            GradCheck.of(v -> in(v, 0).sum(a, keepDim), x).check();
            GradCheck.of(v -> in(v, 0).mean(a, keepDim), x).check();
            GradCheck.of(v -> in(v, 0).max(a, keepDim), x).check();
        }
        GradCheck.of(v -> in(v, 0).sum(), x).check();
        GradCheck.of(v -> in(v, 0).mean(), x).check();
        GradCheck.of(v -> in(v, 0).square().sum(1, keepDim).sqrt(), x).check();
    }

    // ---------------------------------------------------------------- shape and views

    @Test
    void views() {
        Tensor x = normal(19, 2, 3, 4);
        Tensor w = normal(20, 4, 3, 2);
        GradCheck.of(v -> in(v, 0).reshape(6, 4).mul(Var.constant(normal(21, 4))), x).check();
        GradCheck.of(v -> in(v, 0).reshape(-1).square(), x).check();
        GradCheck.of(v -> in(v, 0).permute(2, 1, 0).mul(Var.constant(w)), x).check();
        GradCheck.of(v -> in(v, 0).permute(-1, 0, 1).square(), x).check();
        GradCheck.of(v -> in(v, 0).transpose(0, 2).mul(Var.constant(w)), x).check();
        GradCheck.of(v -> in(v, 0).slice(1, 1, 3).square(), x).check();
        GradCheck.of(v -> in(v, 0).slice(-1, 0, 1).exp(), x).check();
        GradCheck.of(v -> in(v, 0).select(2, 3).square(), x).check();
        GradCheck.of(v -> in(v, 0).select(-3, 1).exp(), x).check();
        GradCheck.of(v -> in(v, 0).unsqueeze(1).square(), x).check();
        GradCheck.of(v -> in(v, 0).slice(0, 1, 2).squeeze(0).exp(), x).check();
        GradCheck.of(v -> in(v, 0).transpose(1, 2).contiguous().square(), x).check();
        GradCheck.of(v -> in(v, 0).expand(5, 3, 4).mul(Var.constant(normal(22, 5, 3, 4))), normal(23, 3, 1)).check();
        GradCheck.of(v -> in(v, 0).expand(2, 3, 4).square(), normal(24, 1, 3, 4)).check();
    }

    @Test
    void concatAndSplit() {
        Tensor a = normal(25, 2, 3);
        Tensor b = normal(26, 2, 1);
        Tensor c = normal(27, 2, 4);
        GradCheck.of(v -> Var.concat(List.of(in(v, 0), in(v, 1), in(v, 2)), 1).square(), a, b, c).check();
        GradCheck.of(v -> Var.concat(List.of(in(v, 0), in(v, 0).exp()), 0), a).check();
        GradCheck.of(v -> Var.concat(List.of(in(v, 0), Var.constant(b)), -1).square(), a).check();
        GradCheck.of(v -> {
            List<Var> parts = in(v, 0).split(1, 1, 2, 5);
            return parts.get(0).mul(parts.get(1).sum(1, true)).add(parts.get(2).max(1, true));
        }, distinct(28, 3, 8)).check();
    }

    // ---------------------------------------------------------------- matmul and linear

    static Stream<Arguments> matmulCases() {
        // batch shapes of a and b with M, K, N
        int[][][] cases = {{{}, {}, {3, 4, 5}}, {{2}, {2}, {3, 2, 4}}, {{2, 3}, {}, {2, 3, 1}}, {{}, {2}, {1, 3, 2}},
            {{2, 1}, {1, 3}, {2, 2, 3}}};
        List<Arguments> out = new ArrayList<>();
        for (int[][] c : cases) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    out.add(Arguments.of(c[0], c[1], c[2], ta, tb));
                }
            }
        }
        return out.stream();
    }

    private static int[] matrix(int[] batch, int rows, int cols) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    @ParameterizedTest
    @MethodSource("matmulCases")
    void matmulEveryFlagAndBatchBroadcast(int[] ba, int[] bb, int[] mkn, boolean transA, boolean transB) {
        int m = mkn[0], k = mkn[1], n = mkn[2];
        Tensor a = normal(29, transA ? matrix(ba, k, m) : matrix(ba, m, k));
        Tensor b = normal(30, transB ? matrix(bb, n, k) : matrix(bb, k, n));
        GradCheck.of(v -> Var.matmul(in(v, 0), transA, in(v, 1), transB), a, b).check();
    }

    @Test
    void matmulOfViews() {
        // A transposed view (not a copy) as an operand, and the same Var on both sides.
        Tensor a = put(Layout.TRANSPOSED, TestData.normal(31, 12, 1), 3, 4);
        GradCheck.of(v -> in(v, 0).matmul(in(v, 0).transpose(0, 1)), a).check();
        GradCheck.of(v -> in(v, 0).transpose(0, 1).matmul(in(v, 1)), normal(32, 4, 3), normal(33, 4, 2)).check();
    }

    @Test
    void linearWithAndWithoutBias() {
        Tensor x = normal(34, 2, 3, 4);
        Tensor w = normal(35, 5, 4);
        Tensor b = normal(36, 5);
        GradCheck.of(v -> in(v, 0).linear(in(v, 1), in(v, 2)), x, w, b).check();
        GradCheck.of(v -> in(v, 0).linear(in(v, 1), null), x, w).check();
        GradCheck.of(v -> in(v, 0).linear(in(v, 1), in(v, 2)).gelu().linear(Var.constant(normal(37, 2, 5)), null),
                normal(38, 4), w, b).check();
    }

    @Test
    void linearWithAResidualAndProductsIntoOneGradient() {
        Tensor x = normal(134, 2, 3, 4);
        Tensor w = normal(135, 4, 4);
        Tensor b = normal(136, 4);
        // A residual branch closed in the product's epilogue, the residual depending on the input too.
        GradCheck.of(v -> in(v, 0).gelu().linear(in(v, 1), in(v, 2), in(v, 0)), x, w, b).check();
        GradCheck.of(v -> in(v, 0).linear(in(v, 1), null, in(v, 0).square()), x, w).check();
        // One inner node feeding three products (q, k and v from one normalised input): the second
        // and third dx go into the first in the GEMM's epilogue.
        Tensor w2 = normal(137, 5, 4);
        Tensor w3 = normal(138, 3, 4);
        GradCheck.of(v -> {
            Var h = in(v, 0).gelu();
            return Var.concat(List.of(h.linear(in(v, 1), in(v, 4)), h.linear(in(v, 2), null),
                    h.linear(in(v, 3), null)), 2);
        }, x, w, w2, w3, b).check();
    }

    @ParameterizedTest
    @EnumSource(value = UnaryOp.class, names = {"GELU", "RELU", "GELU_TANH"})
    void linearWithItsActivation(UnaryOp op) {
        // Fixed seeds: no pre-activation lies within the finite-difference step of RELU's kink.
        Tensor x = normal(143, 2, 3, 4);
        Tensor w = normal(144, 5, 4);
        Tensor b = normal(145, 5);
        GradCheck.of(v -> in(v, 0).linear(in(v, 1), in(v, 2), op), x, w, b).check();
        // The same bits as the linear layer followed by the op, forward and backward.
        Var[] fused = {Var.param(x.copy()), Var.param(w.copy()), Var.param(b.copy())};
        Var[] apart = {Var.param(x.copy()), Var.param(w.copy()), Var.param(b.copy())};
        Var yFused = fused[0].linear(fused[1], fused[2], op);
        Var yApart = apart[0].linear(apart[1], apart[2]).unary(op);
        TensorAssert.assertSameBits(yFused.value(), yApart.value(), op + " forward");
        Tensor seed = normal(146, 2, 3, 5);
        yFused.mul(Var.constant(seed)).sum().backward();
        yApart.mul(Var.constant(seed)).sum().backward();
        for (int i = 0; i < 3; i++) {
            TensorAssert.assertSameBits(fused[i].grad(), apart[i].grad(), op + " gradient of input " + i);
        }
    }

    @Test
    void theResidualInTheEpilogueIsTheLinearThenTheAdd() {
        Tensor x = normal(139, 2, 5, 6);
        Tensor w = normal(140, 6, 6);
        Tensor b = normal(141, 6);
        Tensor seed = normal(142, 2, 5, 6);
        Var[] fused = {Var.param(x.copy()), Var.param(w.copy()), Var.param(b.copy())};
        Var[] apart = {Var.param(x.copy()), Var.param(w.copy()), Var.param(b.copy())};
        Var yFused = fused[0].gelu().linear(fused[1], fused[2], fused[0]);
        Var yApart = apart[0].add(apart[0].gelu().linear(apart[1], apart[2]));
        TensorAssert.assertSameBits(yFused.value(), yApart.value(), "forward");
        yFused.mul(Var.constant(seed)).sum().backward();
        yApart.mul(Var.constant(seed)).sum().backward();
        for (int i = 0; i < 3; i++) {
            TensorAssert.assertSameBits(fused[i].grad(), apart[i].grad(), "gradient of input " + i);
        }
    }

    @Test
    void linearOfRowsIsTheGatherThenTheLinearLayerWithoutKeepingTheRows() {
        Tensor x = normal(147, 6, 4);
        Tensor w = normal(148, 5, 4);
        Tensor b = normal(149, 5);
        Tensor distinct = putInts(new int[] {4, 0, 5, 2}, 2, 2);
        Tensor inverse = putInts(new int[] {1, -1, 3, -1, 0, 2}, 6);
        Tensor repeated = putInts(new int[] {4, 0, 4, 4, 2, 0}, 2, 3);
        GradCheck.of(v -> in(v, 0).gelu().linearOfRows(distinct, inverse, in(v, 1), in(v, 2)), x, w, b).check();
        GradCheck.of(v -> in(v, 0).gelu().linearOfRows(repeated, null, in(v, 1), null), x, w).check();
        // The same bits as indexSelect then linear, forward and backward; and the picked rows are not
        // kept: the graph holds x, gelu(x), w, b and the output, not the [4, 4] gather.
        for (Tensor idx : new Tensor[] {distinct, repeated}) {
            Tensor inv = idx == distinct ? inverse : null;
            int[] outShape = {2, idx.dim(1), 5};
            Var[] fused = {Var.param(x.copy()), Var.param(w.copy()), Var.param(b.copy())};
            Var[] apart = {Var.param(x.copy()), Var.param(w.copy()), Var.param(b.copy())};
            Var yFused = fused[0].gelu().linearOfRows(idx, inv, fused[1], fused[2]);
            Var picked = inv == null ? apart[0].gelu().indexSelect(idx) : apart[0].gelu().indexSelect(idx, inv);
            Var yApart = picked.linear(apart[1], apart[2]);
            assertThat(yFused.shape()).containsExactly(outShape);
            TensorAssert.assertSameBits(yFused.value(), yApart.value(), "forward");
            assertThat(yFused.graphBytes()).isEqualTo(yApart.graphBytes() - 4L * idx.numel() * 4);
            Tensor seed = normal(150, outShape);
            yFused.mul(Var.constant(seed)).sum().backward();
            yApart.mul(Var.constant(seed)).sum().backward();
            for (int i = 0; i < 3; i++) {
                TensorAssert.assertSameBits(fused[i].grad(), apart[i].grad(), "gradient of input " + i);
            }
        }
        assertThatThrownBy(() -> Var.param(x).linearOfRows(distinct, putInts(new int[] {0, 1}, 2), Var.param(w), null))
                .hasMessageContaining("linearOfRows: the inverse has 2 entries, expected one per row of the source, 6");
    }

    // ---------------------------------------------------------------- rows

    @Test
    void softmaxAndLogSoftmax() {
        Tensor x = normal(39, 2, 3, 5);
        GradCheck.of(v -> in(v, 0).softmax(), x).check();
        GradCheck.of(v -> in(v, 0).logSoftmax(), x).check();
        GradCheck.of(v -> in(v, 0).transpose(0, 2).softmax(), x).check();
        GradCheck.of(v -> in(v, 0).slice(2, 0, 1).logSoftmax(), x).check();
    }

    @Test
    void layerNorm() {
        Tensor x = normal(40, 2, 3, 6);
        Tensor gamma = put(TestData.uniform(41, 6, 0.5, 1.5), 6);
        Tensor beta = normal(42, 6);
        GradCheck.of(v -> in(v, 0).layerNorm(in(v, 1), in(v, 2), 1e-5f), x, gamma, beta).check();
        GradCheck.of(v -> in(v, 0).transpose(0, 1).layerNorm(in(v, 1), in(v, 2), 1e-3f).square(), x, gamma, beta).check();
    }

    @Test
    void batchNormInTrainingMode() {
        Tensor x = normal(61, 3, 4, 5);
        Tensor gamma = put(TestData.uniform(62, 4, 0.5, 1.5), 4);
        Tensor beta = normal(63, 4);
        GradCheck.of(v -> in(v, 0).batchNorm(in(v, 1), in(v, 2), 1e-5f).y(), x, gamma, beta).check();
        // A transposed view as input, a nonlinearity after (so dx is not just a projection), one position per example.
        GradCheck.of(v -> in(v, 0).transpose(0, 1).batchNorm(in(v, 1), in(v, 2), 1e-3f).y().square(),
                normal(64, 3, 4, 5), put(TestData.uniform(65, 3, 0.5, 1.5), 3), normal(66, 3)).check();
        GradCheck.of(v -> in(v, 0).batchNorm(in(v, 1), in(v, 2), 1e-5f).y().square(), normal(67, 6, 2, 1),
                put(TestData.uniform(68, 2, 0.5, 1.5), 2), normal(69, 2)).check();
    }

    static Stream<Arguments> conv1dCases() {
        // B, Cin, L, Cout, K, stride, padding, dilation, groups
        int[][] cases = {{2, 3, 7, 4, 3, 1, 1, 1, 1}, {1, 4, 9, 2, 2, 2, 0, 2, 2}, {2, 2, 5, 4, 3, 3, 2, 1, 2},
            {1, 3, 6, 3, 1, 1, 0, 1, 3}, {2, 2, 4, 3, 5, 1, 3, 1, 1}};
        List<Arguments> out = new ArrayList<>();
        for (int[] c : cases) {
            out.add(Arguments.of(c, true));
            out.add(Arguments.of(c, false));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("conv1dCases")
    void conv1dEverySetting(int[] c, boolean withBias) {
        Tensor x = normal(70, c[0], c[1], c[2]);
        Tensor w = normal(71, c[3], c[1] / c[8], c[4]);
        Tensor b = normal(72, c[3]);
        if (withBias) {
            GradCheck.of(v -> in(v, 0).conv1d(in(v, 1), in(v, 2), c[5], c[6], c[7], c[8]), x, w, b).check();
        } else {
            GradCheck.of(v -> in(v, 0).conv1d(in(v, 1), null, c[5], c[6], c[7], c[8]), x, w).check();
        }
    }

    @Test
    void conv1dOfAViewThenBatchNormAndRelu() {
        // A TC-ResNet block's path on a transposed input: conv, batch norm, ReLU (inputs kept away from the kink).
        Tensor x = put(Layout.TRANSPOSED, TestData.normal(73, 2 * 3 * 6, 1), 2, 3, 6);
        Tensor w = normal(74, 4, 3, 3);
        Tensor gamma = put(TestData.uniform(75, 4, 0.5, 1.5), 4);
        Tensor beta = normal(76, 4);
        GradCheck.of(v -> in(v, 0).conv1d(in(v, 1), null, 2, 1, 1, 1).batchNorm(in(v, 2), in(v, 3), 1e-5f).y().square(),
                x, w, gamma, beta).check();
    }

    @Test
    void crossEntropyWithSmoothingAndIgnoredRows() {
        Tensor logits = normal(43, 2, 3, 5);
        Tensor targets = putInts(new int[] {4, -100, 0, 2, 5, 1}, 2, 3);
        for (float s : new float[] {0f, 0.1f}) {
            GradCheck.of(v -> in(v, 0).crossEntropy(targets, s), logits).check();
            GradCheck.of(v -> in(v, 0).crossEntropy(targets, s).mean(), logits).check();
        }
        GradCheck.of(v -> in(v, 0).transpose(0, 1).crossEntropy(putInts(new int[] {1, 2, 3, 4, 0, 1}, 3, 2), 0.2f), logits).check();
    }

    // ---------------------------------------------------------------- attention and indexing

    @Test
    void attentionWithoutBias() {
        Tensor q = normal(44, 2, 2, 3, 4);
        Tensor k = normal(45, 2, 2, 5, 4);
        Tensor vv = normal(46, 2, 2, 5, 4);
        GradCheck.of(v -> Var.attention(in(v, 0), in(v, 1), in(v, 2), null, 0.5f), q, k, vv).check();
    }

    @Test
    void attentionWithBias() {
        Tensor q = normal(47, 1, 2, 3, 2);
        Tensor k = normal(48, 1, 2, 4, 2);
        Tensor vv = normal(49, 1, 2, 4, 2);
        Tensor bias = normal(50, 2, 3, 4);
        GradCheck.of(v -> Var.attention(in(v, 0), in(v, 1), in(v, 2), in(v, 3), 0.7f), q, k, vv, bias).check();
        // Queries as a non-contiguous view, bias shared by a batch of two.
        GradCheck.of(v -> Var.attention(in(v, 0).transpose(0, 1), in(v, 1), in(v, 2), in(v, 3), 0.7f),
                normal(51, 2, 2, 3, 2), normal(52, 2, 2, 4, 2), normal(53, 2, 2, 4, 2), bias).check();
    }

    /** Attention on the heads of one packed projection: q, k, v all packed, or q apart and k, v packed. */
    @Test
    void attentionOfAPackedProjection() {
        Tensor qkv = normal(160, 2, 3, 3, 2, 4);   // [B, N, 3, H, d]
        GradCheck.of(v -> Var.attention(null, in(v, 0), null, 0.5f), qkv).check();
        // An inner node (its gradient starts unfilled, every element written by the backward), with a bias.
        Tensor flat = normal(161, 2, 3, 24);
        Tensor bias = normal(162, 2, 3, 3);
        GradCheck.of(v -> Var.attention(null, in(v, 0).reshape(2, 3, 3, 2, 4), in(v, 1), 0.7f), flat, bias).check();
        Tensor q = normal(163, 2, 2, 3, 4);
        Tensor kv = normal(164, 2, 5, 2, 2, 4);    // [B, M, 2, H, d]
        GradCheck.of(v -> Var.attention(in(v, 0), in(v, 1).mul(1.5f), null, 0.5f), q, kv).check();
    }

    /**
     * The packed op against attention of the same parts taken as views of the projection: the same
     * output and the same gradients, to the bit.
     */
    @Test
    void attentionOfAPackedProjectionMatchesItsViews() {
        Tensor flat = normal(165, 2, 5, 3 * 8);
        Tensor bias = normal(166, 2, 5, 5);
        Tensor seed = normal(167, 2, 2, 5, 4);
        Var[] packed = {Var.param(flat.copy()), Var.param(bias.copy())};
        Var[] viewed = {Var.param(flat.copy()), Var.param(bias.copy())};
        Var all = packed[0].mul(1f).reshape(2, 5, 3, 2, 4);
        Var yPacked = Var.attention(null, all, packed[1], 0.6f);
        Var parts = viewed[0].mul(1f).reshape(2, 5, 3, 2, 4);
        Var yViewed = Var.attention(parts.select(2, 0).permute(0, 2, 1, 3), parts.select(2, 1).permute(0, 2, 1, 3),
                parts.select(2, 2).permute(0, 2, 1, 3), viewed[1], 0.6f);
        TensorAssert.assertSameBits(yPacked.value(), yViewed.value(), "output");
        yPacked.mul(Var.constant(seed)).sum().backward();
        yViewed.mul(Var.constant(seed)).sum().backward();
        TensorAssert.assertSameBits(packed[0].grad(), viewed[0].grad(), "gradient of the projection");
        TensorAssert.assertSameBits(packed[1].grad(), viewed[1].grad(), "gradient of the bias");

        Tensor q = normal(168, 2, 2, 5, 4);
        Tensor kvFlat = normal(169, 2, 3, 2 * 8);
        Var[] qp = {Var.param(q.copy()), Var.param(kvFlat.copy())};
        Var[] qv = {Var.param(q.copy()), Var.param(kvFlat.copy())};
        Var kv = qp[1].mul(1f).reshape(2, 3, 2, 2, 4);
        Var y1 = Var.attention(qp[0], kv, null, 0.6f);
        Var kvParts = qv[1].mul(1f).reshape(2, 3, 2, 2, 4);
        Var y2 = Var.attention(qv[0], kvParts.select(2, 0).permute(0, 2, 1, 3), kvParts.select(2, 1).permute(0, 2, 1, 3),
                null, 0.6f);
        TensorAssert.assertSameBits(y1.value(), y2.value(), "output with q apart");
        y1.mul(Var.constant(seed)).sum().backward();
        y2.mul(Var.constant(seed)).sum().backward();
        TensorAssert.assertSameBits(qp[0].grad(), qv[0].grad(), "gradient of q");
        TensorAssert.assertSameBits(qp[1].grad(), qv[1].grad(), "gradient of the packed k, v");
    }

    @Test
    void attentionOfAPackedProjectionRejectsAWrongPacking() {
        assertThatThrownBy(() -> Var.attention(null, Var.param(normal(170, 2, 3, 2, 2, 4)), null, 1f))
                .hasMessageContaining("packed projection [2, 3, 2, 2, 4] must be [B, T, 3, heads, d] (q, k and v)");
        assertThatThrownBy(() -> Var.attention(Var.param(normal(171, 2, 2, 3, 4)), Var.param(normal(172, 2, 3, 24)),
                null, 1f)).hasMessageContaining("must be [B, T, 2, heads, d] (k and v, with q given)");
    }

    @Test
    void indexSelectWithDuplicates() {
        Tensor table = normal(54, 5, 3);
        Tensor idx = putInts(new int[] {4, 0, 4, 4, 2, 0}, 2, 3);
        GradCheck.of(v -> in(v, 0).indexSelect(idx).square(), table).check();
        GradCheck.of(v -> in(v, 0).indexSelect(putInts(new int[] {1}, 1)), table).check();
    }

    /** Distinct indices with their inverse: finite differences, and the same gradient as the indexAdd path. */
    @Test
    void indexSelectByDistinctIndicesTakesItsGradientByTheInverse() {
        Tensor table = normal(60, 6, 3);
        Tensor idx = putInts(new int[] {4, 0, 5, 2}, 2, 2);
        Tensor inverse = putInts(new int[] {1, -1, 3, -1, 0, 2}, 6);
        GradCheck.of(v -> in(v, 0).indexSelect(idx, inverse).square(), table).check();
        Var a = Var.param(table);
        a.indexSelect(idx, inverse).square().sum().backward();
        Var b = Var.param(table);
        b.indexSelect(idx).square().sum().backward();
        assertThat(a.grad().toFloatArray()).containsExactly(b.grad().toFloatArray());
        assertThatThrownBy(() -> Var.param(table).indexSelect(idx, putInts(new int[] {0, 1}, 2)))
                .hasMessageContaining("one per row of the source, 6");
    }

    @Test
    void takeAlongWithDuplicates() {
        Tensor x = normal(55, 2, 3, 5);
        Tensor idx = putInts(new int[] {0, 0, 4, 1, 1, 1, 2, 3, 4, 4, 0, 2, 3, 3, 3, 0, 1, 2}, 2, 3, 3);
        GradCheck.of(v -> in(v, 0).takeAlong(idx).square(), x).check();
    }

    @Test
    void aResidualStreamThroughTwoPreNormBlocks() {
        // Inner nodes that carry a residual stream: each layer norm's dx is summed in its kernel into
        // the gradient the stream already holds from the branch above, each branch closed in its
        // product's epilogue; checked by finite differences.
        Tensor x = normal(147, 2, 3, 4);
        Tensor gamma = put(TestData.uniform(148, 4, 0.5, 1.5), 4);
        Tensor beta = normal(149, 4);
        Tensor w1 = normal(150, 4, 4);
        Tensor w2 = normal(151, 4, 4);
        GradCheck.of(v -> {
            Var s = in(v, 0).gelu();
            s = s.layerNorm(in(v, 1), in(v, 2), 1e-5f).linear(in(v, 3), null, s);
            return s.layerNorm(in(v, 1), in(v, 2), 1e-5f).linear(in(v, 4), null, UnaryOp.GELU).linear(in(v, 3), null, s);
        }, x, gamma, beta, w1, w2).check();
    }

    @Test
    void aSmallNetwork() {
        // The ops composed as in a transformer block: LN -> linear -> GELU -> linear + residual -> CE.
        Tensor x = normal(56, 2, 3, 4);
        Tensor gamma = put(TestData.uniform(57, 4, 0.5, 1.5), 4);
        Tensor beta = normal(58, 4);
        Tensor w1 = normal(59, 6, 4);
        Tensor w2 = normal(60, 4, 6);
        Tensor targets = putInts(new int[] {0, 3, 1, 2, -1, 3}, 2, 3);
        GradCheck.of(v -> {
            Var h = in(v, 0).layerNorm(in(v, 1), in(v, 2), 1e-5f).linear(in(v, 3), null).gelu().linear(in(v, 4), null);
            return in(v, 0).add(h).crossEntropy(targets, 0.1f).mean();
        }, x, gamma, beta, w1, w2).check();
    }
}

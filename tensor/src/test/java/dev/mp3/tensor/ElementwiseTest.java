package dev.mp3.tensor;

import dev.mp3.tensor.testing.Layout;
import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import dev.mp3.tensor.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.mp3.tensor.testing.TensorAssert.assertClose;
import static dev.mp3.tensor.testing.TensorAssert.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;

/** Unary, binary (with broadcasting), affine, clamp, maskedFill and equal against the double reference. */
public class ElementwiseTest extends OpTest {
    private static final int[][] SHAPES = {{}, {1}, {7}, {33}, {257}, {7, 33}, {3, 5, 257}};

    /** Every shape in every layout. */
    static Stream<Arguments> shapesAndLayouts() {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (Layout l : Layout.values()) {
                out.add(Arguments.of(s, l));
            }
        }
        return out.stream();
    }

    /** Inputs inside the op's domain; kinks (0 for RELU, ABS) are avoided for derivative checks. */
    private static float[] inputs(UnaryOp op, long seed, int n) {
        return switch (op) {
            case LOG, SQRT, RSQRT -> TestData.uniform(seed, n, 0.05, 5);
            default -> TestData.normal(seed, n, 2.5);
        };
    }

    // Vector EXP/TANH are within a few ulp; GELU uses a 1.5e-7-accurate erf.
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-6;

    @ParameterizedTest
    @MethodSource("shapesAndLayouts")
    void unaryMatchesReference(int[] shape, Layout layout) {
        for (UnaryOp op : UnaryOp.values()) {
            float[] v = inputs(op, op.ordinal(), numel(shape));
            Tensor x = put(layout, v, shape);
            assertClose(x.unary(op), Reference.unary(op, Nd.of(v, shape)), RTOL, ATOL, op + " " + str(shape) + " " + layout);
        }
    }

    @ParameterizedTest
    @MethodSource("shapesAndLayouts")
    void unaryBackwardMatchesReference(int[] shape, Layout layout) {
        for (UnaryOp op : UnaryOp.values()) {
            float[] v = inputs(op, 100 + op.ordinal(), numel(shape));
            float[] g = TestData.normal(200 + op.ordinal(), numel(shape), 1);
            Tensor x = put(layout, v, shape);
            Tensor gy = put(Layout.values()[(layout.ordinal() + 1) % Layout.values().length], g, shape);
            assertClose(backend().unaryBackward(op, x, gy), Reference.unaryBackward(op, Nd.of(v, shape), Nd.of(g, shape)),
                    RTOL, ATOL, op + "' " + str(shape) + " " + layout);
        }
    }

    /** The vector path (unit stride) and the scalar path (strided) compute the same float operations. */
    @Test
    void unaryGivesTheSameBitsInEveryLayout() {
        int[] shape = {5, 257};
        for (UnaryOp op : UnaryOp.values()) {
            float[] v = inputs(op, 300 + op.ordinal(), numel(shape));
            float[] g = TestData.normal(400 + op.ordinal(), numel(shape), 1);
            Tensor dense = put(v, shape).unary(op);
            Tensor denseGrad = backend().unaryBackward(op, put(v, shape), put(g, shape));
            for (Layout l : Layout.values()) {
                assertSameBits(put(l, v, shape).unary(op), dense, op + " " + l);
                assertSameBits(backend().unaryBackward(op, put(l, v, shape), put(l, g, shape)), denseGrad, op + "' " + l);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryBackwardBroadcastsTheUpstreamGradient(UnaryOp op) {
        float[] v = inputs(op, 3, 7 * 33);
        float[] g = TestData.normal(4, 33, 1);
        Tensor out = backend().unaryBackward(op, put(Layout.TRANSPOSED, v, 7, 33), put(g, 33).unsqueeze(0));
        assertClose(out, Reference.unaryBackward(op, Nd.of(v, 7, 33), Nd.of(g, 1, 33)), RTOL, ATOL, op + "' broadcast gy");
    }

    @Test
    void geluFormsAgreeWithTheirDefinitionsOverAWideRange() {
        float[] v = new float[4001];
        for (int i = 0; i < v.length; i++) {
            v[i] = -10f + i * 0.005f;
        }
        for (UnaryOp op : new UnaryOp[] {UnaryOp.GELU, UnaryOp.GELU_TANH, UnaryOp.SIGMOID, UnaryOp.TANH}) {
            for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.STRIDED}) {
                Tensor x = put(l, v, v.length);
                assertClose(x.unary(op), Reference.unary(op, Nd.of(v, v.length)), RTOL, ATOL, op + " " + l);
                Tensor ones = put(new float[] {1f}, 1);
                assertClose(backend().unaryBackward(op, x, ones), Reference.unaryBackward(op, Nd.of(v, v.length),
                        Nd.of(new float[] {1f}, 1)), RTOL, ATOL, op + "' " + l);
            }
        }
    }

    @Test
    void reluAndAbsDerivativesAreZeroAtZero() {
        Tensor x = put(new float[] {-1f, 0f, 2f}, 3);
        Tensor g = put(new float[] {5f, 5f, 5f}, 3);
        assertThat(backend().unaryBackward(UnaryOp.RELU, x, g).toFloatArray()).containsExactly(0f, 0f, 5f);
        assertThat(backend().unaryBackward(UnaryOp.ABS, x, g).toFloatArray()).containsExactly(-5f, 0f, 5f);
    }

    /** Pairs of shapes that broadcast, including rank-0, size-1 and new leading axes. */
    static Stream<Arguments> broadcastPairs() {
        int[][][] pairs = {
            {{7}, {7}}, {{}, {33}}, {{257}, {}}, {{1}, {257}}, {{33, 7}, {7}}, {{7, 1}, {1, 33}},
            {{2, 1, 33}, {5, 1}}, {{257, 33}, {257, 1}}, {{3, 5, 7}, {3, 5, 7}}, {{1, 1, 1}, {7}},
        };
        List<Arguments> out = new ArrayList<>();
        for (int[][] p : pairs) {
            for (Layout l : Layout.values()) {
                out.add(Arguments.of(p[0], p[1], l));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("broadcastPairs")
    void binaryMatchesReference(int[] sa, int[] sb, Layout layout) {
        float[] a = TestData.normal(11, numel(sa), 2);
        // Denominators bounded away from zero so DIV stays well conditioned.
        float[] b = TestData.uniform(12, numel(sb), 0.5, 3);
        for (int i = 0; i < b.length; i += 2) {
            b[i] = -b[i];
        }
        Tensor ta = put(layout, a, sa);
        Tensor tb = put(Layout.values()[(layout.ordinal() + 2) % Layout.values().length], b, sb);
        for (BinaryOp op : BinaryOp.values()) {
            String what = op + " " + str(sa) + " " + str(sb) + " " + layout;
            assertClose(ta.binary(op, tb), Reference.binary(op, Nd.of(a, sa), Nd.of(b, sb)), 1e-6, 0, what);
            assertClose(tb.binary(op, ta), Reference.binary(op, Nd.of(b, sb), Nd.of(a, sa)), 1e-6, 0, what + " swapped");
        }
    }

    /** Java's Math.max and Math.min are the definition: NaN wins, and +0 is above -0. */
    @Test
    void maxAndMinFollowJavaForNaNAndSignedZeros() {
        float[] a = {Float.NaN, 1f, -0f, 0f, Float.NaN, -0f};
        float[] b = {2f, Float.NaN, 0f, -0f, Float.NaN, -0f};
        Tensor ta = put(a, 6);
        Tensor tb = put(b, 6);
        float[] max = ta.binary(BinaryOp.MAX, tb).toFloatArray();
        float[] min = ta.binary(BinaryOp.MIN, tb).toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.floatToIntBits(max[i])).as("max at " + i).isEqualTo(Float.floatToIntBits(Math.max(a[i], b[i])));
            assertThat(Float.floatToIntBits(min[i])).as("min at " + i).isEqualTo(Float.floatToIntBits(Math.min(a[i], b[i])));
        }
    }

    @Test
    void binaryOnTheSameTensorTwice() {
        float[] a = TestData.normal(13, 33, 1);
        Tensor t = put(Layout.STRIDED, a, 33);
        assertClose(t.mul(t), Reference.binary(BinaryOp.MUL, Nd.of(a, 33), Nd.of(a, 33)), 1e-7, 0, "t*t");
        assertClose(t.sub(t), Nd.zeros(33), 0, 0, "t-t");
    }

    @ParameterizedTest
    @MethodSource("shapesAndLayouts")
    void affineAndClampMatchReference(int[] shape, Layout layout) {
        float[] v = TestData.normal(21, numel(shape), 2);
        float[] g = TestData.normal(22, numel(shape), 1);
        Tensor x = put(layout, v, shape);
        Nd xr = Nd.of(v, shape);
        assertClose(x.affine(-1.5f, 0.25f), Reference.affine(xr, -1.5, 0.25), 1e-6, 1e-7, "affine");
        assertClose(x.mul(3f), Reference.affine(xr, 3, 0), 1e-7, 0, "mul scalar");
        assertClose(x.add(-2f), Reference.affine(xr, 1, -2), 1e-7, 1e-7, "add scalar");
        assertClose(x.clamp(-1f, 0.5f), Reference.clamp(xr, -1, 0.5), 0, 0, "clamp");
        Tensor gy = put(Layout.TRANSPOSED, g, shape);
        assertClose(backend().clampBackward(x, gy, -1f, 0.5f), Reference.clampBackward(xr, Nd.of(g, shape), -1, 0.5),
                0, 0, "clampBackward");
    }

    @Test
    void clampBackwardPassesNothingAtTheBounds() {
        Tensor x = put(new float[] {-1f, -0.5f, 0.5f, 2f}, 4);
        Tensor g = put(new float[] {1f, 1f, 1f, 1f}, 4);
        assertThat(backend().clampBackward(x, g, -1f, 0.5f).toFloatArray()).containsExactly(0f, 1f, 0f, 0f);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void maskedFillBroadcastsTheMask(Layout layout) {
        int[] shape = {3, 7, 33};
        float[] v = TestData.normal(31, numel(shape), 1);
        int[][] maskShapes = {{3, 7, 33}, {33}, {7, 1}, {3, 1, 1}, {}};
        for (int[] ms : maskShapes) {
            float[] m = new float[numel(ms)];
            int[] bits = TestData.ints(32, m.length, 0, 2);
            for (int i = 0; i < m.length; i++) {
                m[i] = bits[i];
            }
            Tensor out = put(layout, v, shape).maskedFill(put(layout, m, ms), -1e9f);
            assertClose(out, Reference.maskedFill(Nd.of(v, shape), Nd.of(m, ms), -1e9), 0, 0, "maskedFill mask " + str(ms));
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void equalComparesFloatsAndInts(Layout layout) {
        int[] sa = {7, 33};
        int[] sb = {33};
        int[] ia = TestData.ints(41, numel(sa), 0, 3);
        int[] ib = TestData.ints(42, numel(sb), 0, 3);
        float[] fa = new float[ia.length];
        float[] fb = new float[ib.length];
        for (int i = 0; i < ia.length; i++) {
            fa[i] = ia[i] * 0.5f;
        }
        for (int i = 0; i < ib.length; i++) {
            fb[i] = ib[i] * 0.5f;
        }
        Nd expected = Reference.equal(Nd.ofInts(ia, sa), Nd.ofInts(ib, sb));
        assertClose(putInts(layout, ia, sa).eq(putInts(ib, sb)), expected, 0, 0, "eq ints");
        assertClose(put(layout, fa, sa).eq(put(fb, sb)), expected, 0, 0, "eq floats");
        assertThat(putInts(layout, ia, sa).eq(putInts(ib, sb)).dtype()).isEqualTo(DType.F32);
    }

    @Test
    void specialValuesPropagate() {
        Tensor x = put(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f}, 5);
        assertThat(x.exp().toFloatArray()).containsExactly(Float.NaN, Float.POSITIVE_INFINITY, 0f, 1f, 1f);
        assertThat(x.relu().toFloatArray()[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(x.sigmoid().toFloatArray()).containsExactly(Float.NaN, 1f, 0f, 0.5f, 0.5f);
        assertThat(x.tanh().toFloatArray()).containsExactly(Float.NaN, 1f, -1f, 0f, -0f);
        Tensor big = put(new float[] {100f, -100f, 30f, -30f}, 4);
        assertClose(big.gelu(), Reference.unary(UnaryOp.GELU, Nd.of(new float[] {100f, -100f, 30f, -30f}, 4)), 1e-6, 1e-30, "gelu tails");
        assertClose(big.sigmoid(), Reference.unary(UnaryOp.SIGMOID, Nd.of(new float[] {100f, -100f, 30f, -30f}, 4)), 1e-5, 1e-30, "sigmoid tails");
    }
}

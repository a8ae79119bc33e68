package dev.mp3.tensor;

import dev.mp3.tensor.testing.Nd;
import dev.mp3.tensor.testing.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.mp3.tensor.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The random op: element i of a draw is a pure function of (key, i), defined by
 * {@link Rng#uniformAt} (24 random bits, exact in float) and Box-Muller over uniforms 2i and 2i + 1,
 * computed here in double as the reference.
 */
public class RandomTest extends OpTest {
    private static final long KEY = new Rng(77).nextKey();

    static Stream<Arguments> shapes() {
        return Stream.of(new int[0], new int[] {7}, new int[] {33, 257}, new int[] {2, 3, 5}).map(s -> Arguments.of((Object) s));
    }

    /** Absolute error allowed in a standard normal draw: Box-Muller in double rounds once, to float. */
    protected double normalAtol() {
        return 1e-6;
    }

    private static void assertUniform(Tensor u, long key, String what) {
        float[] got = u.toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as(what + " element " + i).isEqualTo(Rng.uniformAt(key, i));
        }
    }

    private static Nd boxMuller(long key, int[] shape) {
        double[] z = new double[Shape.numel(shape)];
        for (int i = 0; i < z.length; i++) {
            double u1 = Rng.uniformAt(key, 2L * i);
            double u2 = Rng.uniformAt(key, 2L * i + 1);
            z[i] = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        }
        return new Nd(shape, z);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void uniformIsBitIdenticalToItsElementFunction(int[] shape) {
        Tensor u = backend().random(Rng.Kind.UNIFORM, shape, KEY);
        assertThat(u.shape()).containsExactly(shape);
        assertUniform(u, KEY, "uniform " + str(shape));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void normalIsBoxMullerOfTheUniforms(int[] shape) {
        Tensor z = backend().random(Rng.Kind.NORMAL, shape, KEY);
        assertClose(z, boxMuller(KEY, shape), 1e-6, normalAtol(), "normal " + str(shape));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void dropoutMaskKeepsExactlyWhereTheUniformDrawReachesP(int[] shape) {
        for (float p : new float[] {0f, 0.1f, 0.5f, 0.9f}) {
            float keep = 1f / (1f - p);
            float[] got = backend().dropoutMask(shape, KEY, p).toFloatArray();
            assertThat(got).hasSize(Shape.numel(shape));
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("p %s element %d", p, i).isEqualTo(Rng.uniformAt(KEY, i) >= p ? keep : 0f);
            }
        }
    }

    @Test
    void dropoutMaskIsTheThresholdedUniformDrawOfTheSameKey() {
        // the one-pass op gives the bits of the four-pass composition it replaced (Backend's default)
        Tensor u = backend().random(Rng.Kind.UNIFORM, new int[] {64, 99, 32}, KEY);
        Tensor composed = u.clamp(0.1f, 1f).eq(u).mul(1f / (1f - 0.1f));
        assertThat(backend().dropoutMask(new int[] {64, 99, 32}, KEY, 0.1f).toFloatArray())
                .containsExactly(composed.toFloatArray());
        int kept = 0;
        for (float m : composed.toFloatArray()) {
            kept += m != 0f ? 1 : 0;
        }
        assertThat(kept / (64.0 * 99 * 32)).isCloseTo(0.9, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void dropoutMaskRefusesAProbabilityOutsideZeroToOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tensor.dropoutMask(device(), KEY, 1f, 3))
                .hasMessageContaining("dropoutMask: probability 1.0 not in [0, 1)");
    }

    @Test
    void rngDrawsLandOnTheRequestedDevice() {
        long key = new Rng(5).nextKey(); // the key of a fresh Rng(5)'s first draw
        Tensor u = new Rng(5).uniform(device(), 3, 3);
        Tensor n = new Rng(5).normal(device(), 1f, 2f, 4, 4);
        assertThat(u.device()).isEqualTo(device());
        assertThat(n.device()).isEqualTo(device());
        assertUniform(u, key, "Rng.uniform");
        assertClose(n, Reference.affine(boxMuller(key, new int[] {4, 4}), 2, 1), 1e-6, 2 * normalAtol(), "Rng.normal(1, 2)");
        Tensor mask = new Rng(5).dropoutMask(device(), 0.25f, 5, 5);
        assertThat(mask.device()).isEqualTo(device());
        for (int i = 0; i < 25; i++) {
            assertThat(mask.toFloatArray()[i]).isEqualTo(Rng.uniformAt(key, i) >= 0.25f ? 1f / 0.75f : 0f);
        }
    }
}

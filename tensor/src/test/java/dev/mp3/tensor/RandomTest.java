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

    @Test
    void rngDrawsLandOnTheRequestedDevice() {
        long key = new Rng(5).nextKey(); // the key of a fresh Rng(5)'s first draw
        Tensor u = new Rng(5).uniform(device(), 3, 3);
        Tensor n = new Rng(5).normal(device(), 1f, 2f, 4, 4);
        assertThat(u.device()).isEqualTo(device());
        assertThat(n.device()).isEqualTo(device());
        assertUniform(u, key, "Rng.uniform");
        assertClose(n, Reference.affine(boxMuller(key, new int[] {4, 4}), 2, 1), 1e-6, 2 * normalAtol(), "Rng.normal(1, 2)");
    }
}

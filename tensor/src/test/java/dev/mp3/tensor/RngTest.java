package dev.mp3.tensor;

import dev.mp3.tensor.testing.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The counter-based generator: reproducibility from (seed, counter), independence of shape and
 * thread count (see also DeterminismTest), and distributions checked against their moments and
 * CDFs. Seeds are fixed, so these statistical tests are deterministic; bounds are at least five
 * standard errors wide so a correct generator passes with any seed.
 */
class RngTest {
    private static final int N = 200_000;

    @Test
    void sameSeedSameStreams() {
        Rng a = new Rng(42);
        Rng b = new Rng(42);
        assertThat(a.uniform(1000).toFloatArray()).containsExactly(b.uniform(1000).toFloatArray());
        assertThat(a.normal(1f, 2f, 33).toFloatArray()).containsExactly(b.normal(1f, 2f, 33).toFloatArray());
        assertThat(a.truncatedNormal(0f, 1f, -1f, 1f, 257).toFloatArray()).containsExactly(b.truncatedNormal(0f, 1f, -1f, 1f, 257).toFloatArray());
        assertThat(a.permutationArray(3, 7)).containsExactly(b.permutationArray(3, 7));
        assertThat(a.nextInt(1000)).isEqualTo(b.nextInt(1000));
        assertThat(a.fork().uniform(5).toFloatArray()).containsExactly(b.fork().uniform(5).toFloatArray());
        assertThat(a.counter()).isEqualTo(b.counter());
    }

    @Test
    void differentSeedsAndSuccessiveDrawsDiffer() {
        float[] x = new Rng(1).uniform(64).toFloatArray();
        float[] y = new Rng(2).uniform(64).toFloatArray();
        Rng r = new Rng(1);
        r.uniform(64);
        float[] z = r.uniform(64).toFloatArray();
        assertThat(x).isNotEqualTo(y);
        assertThat(x).isNotEqualTo(z);
        assertThat(new Rng(1).fork().uniform(64).toFloatArray()).isNotEqualTo(x);
    }

    @Test
    void stateIsSeedAndCounter() {
        Rng r = new Rng(9);
        r.uniform(10);
        r.nextInt(5);
        Rng resumed = new Rng(r.seed(), r.counter());
        assertThat(resumed.normal(0f, 1f, 100).toFloatArray()).containsExactly(r.normal(0f, 1f, 100).toFloatArray());
    }

    @Test
    void elementsDependOnlyOnKeyAndIndex() {
        float[] small = new Rng(3).uniform(5).toFloatArray();
        float[] big = new Rng(3).uniform(2, 50).toFloatArray();
        assertThat(Arrays.copyOf(big, 5)).containsExactly(small);
        float[] normal = new Rng(3).normal(0f, 1f, 7, 3).toFloatArray();
        for (int i = 0; i < normal.length; i++) {
            assertThat(normal[i]).isEqualTo(Rng.normalAt(new Rng(3).nextKey(), i));
        }
    }

    private static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double centralMoment(float[] x, int k) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            s += Math.pow(v - m, k);
        }
        return s / x.length;
    }

    /** Kolmogorov-Smirnov distance between the sample and a CDF. */
    private static double ksDistance(float[] x, java.util.function.DoubleUnaryOperator cdf) {
        float[] s = x.clone();
        Arrays.sort(s);
        double d = 0;
        for (int i = 0; i < s.length; i++) {
            double f = cdf.applyAsDouble(s[i]);
            d = Math.max(d, Math.max(f - (double) i / s.length, (double) (i + 1) / s.length - f));
        }
        return d;
    }

    private static double phi(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    private static double bigPhi(double x) {
        return 0.5 * (1 + Reference.erf(x / Math.sqrt(2)));
    }

    @Test
    void uniformMoments() {
        float[] u = new Rng(11).uniform(N).toFloatArray();
        for (float v : u) {
            assertThat(v).isGreaterThanOrEqualTo(0f).isLessThan(1f);
        }
        double se = Math.sqrt(1.0 / 12 / N);
        assertThat(mean(u)).isCloseTo(0.5, within(6 * se));
        assertThat(centralMoment(u, 2)).isCloseTo(1.0 / 12, within(0.002));
        // KS at the 1e-6 level: sqrt(-ln(1e-6/2)/2) / sqrt(n).
        assertThat(ksDistance(u, v -> Math.min(1, Math.max(0, v)))).isLessThan(2.7 / Math.sqrt(N));
        // Lag-1 correlation of consecutive elements.
        double c = 0;
        for (int i = 1; i < N; i++) {
            c += (u[i] - 0.5) * (u[i - 1] - 0.5);
        }
        assertThat(c / N * 12).isCloseTo(0, within(6 / Math.sqrt(N)));
        float[] r = new Rng(12).uniform(-3f, 5f, 10_000).toFloatArray();
        for (float v : r) {
            assertThat(v).isBetween(-3f, 5f);
        }
        assertThat(mean(r)).isCloseTo(1.0, within(6 * 8 / Math.sqrt(12 * 10_000.0)));
    }

    @Test
    void normalMoments() {
        float[] z = new Rng(13).normal(0f, 1f, N).toFloatArray();
        double se = 1 / Math.sqrt(N);
        assertThat(mean(z)).isCloseTo(0, within(6 * se));
        assertThat(centralMoment(z, 2)).isCloseTo(1, within(6 * Math.sqrt(2.0 / N)));
        assertThat(centralMoment(z, 3)).isCloseTo(0, within(6 * Math.sqrt(15.0 / N)));
        assertThat(centralMoment(z, 4)).isCloseTo(3, within(6 * Math.sqrt(96.0 / N)));
        assertThat(ksDistance(z, RngTest::bigPhi)).isLessThan(2.7 / Math.sqrt(N));
        float[] w = new Rng(14).normal(-2f, 0.5f, N).toFloatArray();
        assertThat(mean(w)).isCloseTo(-2, within(6 * 0.5 * se));
        assertThat(Math.sqrt(centralMoment(w, 2))).isCloseTo(0.5, within(0.005));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0,1,-2,2", "0.5,2,-1,1.5", "0,0.02,-0.04,0.04", "3,1,0,10"})
    void truncatedNormalMoments(String spec) {
        double[] p = Arrays.stream(spec.split(",")).mapToDouble(Double::parseDouble).toArray();
        double mu = p[0], sigma = p[1], lo = p[2], hi = p[3];
        int n = 50_000;
        float[] x = new Rng(15).truncatedNormal((float) mu, (float) sigma, (float) lo, (float) hi, n).toFloatArray();
        for (float v : x) {
            assertThat((double) v).isBetween(lo, hi);
        }
        double a = (lo - mu) / sigma;
        double b = (hi - mu) / sigma;
        double z = bigPhi(b) - bigPhi(a);
        double m = mu + sigma * (phi(a) - phi(b)) / z;
        double var = sigma * sigma * (1 + (a * phi(a) - b * phi(b)) / z - Math.pow((phi(a) - phi(b)) / z, 2));
        assertThat(mean(x)).as("mean of %s", spec).isCloseTo(m, within(6 * Math.sqrt(var / n)));
        assertThat(centralMoment(x, 2)).as("variance of %s", spec).isCloseTo(var, within(0.05 * var));
        assertThat(ksDistance(x, v -> (bigPhi((v - mu) / sigma) - bigPhi(a)) / z)).isLessThan(2.7 / Math.sqrt(n));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 33, 257})
    void permutationsArePermutations(int n) {
        int rows = 2000;
        Tensor t = new Rng(16).permutations(rows, n);
        assertThat(t.shape()).containsExactly(rows, n);
        assertThat(t.dtype()).isEqualTo(DType.I32);
        int[] p = t.toIntArray();
        int[][] counts = new int[n][n];
        for (int r = 0; r < rows; r++) {
            boolean[] seen = new boolean[n];
            for (int j = 0; j < n; j++) {
                int v = p[r * n + j];
                assertThat(v).isBetween(0, n - 1);
                assertThat(seen[v]).as("row %d repeats %d", r, v).isFalse();
                seen[v] = true;
                counts[j][v]++;
            }
        }
        if (n > 1) {
            // Each value lands at each position with probability 1/n: a chi-square over the first position.
            double chi = 0;
            double expected = (double) rows / n;
            for (int v = 0; v < n; v++) {
                chi += Math.pow(counts[0][v] - expected, 2) / expected;
            }
            double dof = n - 1;
            assertThat(chi).as("chi-square of the first position, %d dof", n - 1).isLessThan(dof + 6 * Math.sqrt(2 * dof));
        }
    }

    /**
     * The largest uniform, 1 - 2^-24, scaled into [1, 2) is 2 - 2^-24, which rounds (to even) to 2:
     * find the element of a stream that draws it and check that uniform(1, 2) still stays below 2.
     */
    @Test
    void uniformRangeExcludesItsUpperBound() {
        // Seed 165's first stream draws it early (found by searching seeds); any seed would do, slower.
        long key = new Rng(165).nextKey();
        long i = 0;
        while (Rng.uniformAt(key, i) != 1f - 0x1p-24f) {
            i++;
        }
        float[] x = new Rng(165).uniform(1f, 2f, (int) i + 1).toFloatArray();
        assertThat(x[(int) i]).isLessThan(2f).isEqualTo(Math.nextDown(2f));
        float[] y = new Rng(165).uniform(-1f, 1f, (int) i + 1).toFloatArray();
        assertThat(y[(int) i]).isLessThan(1f);
        assertThat(new Rng(1).uniform(0.5f, 0.5f, 3).toFloatArray()).containsOnly(0.5f);
        assertThatThrownBy(() -> new Rng(1).uniform(1f, 0f, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uniform");
    }

    @Test
    void permutationRowsAreIndependent() {
        int[] p = new Rng(18).permutationArray(50, 33);
        int same = 0;
        for (int r = 1; r < 50; r++) {
            if (Arrays.equals(Arrays.copyOfRange(p, 0, 33), Arrays.copyOfRange(p, r * 33, (r + 1) * 33))) {
                same++;
            }
        }
        assertThat(same).isZero();
    }

    @Test
    void nextIntCoversItsRange() {
        Rng r = new Rng(17);
        int[] counts = new int[7];
        for (int i = 0; i < 7000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(1000 - 6 * 31, 1000 + 6 * 31);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(r.nextInt(1)).isZero();
        }
        assertThatThrownBy(() -> r.nextInt(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nextInt");
        assertThatThrownBy(() -> r.truncatedNormal(0f, 1f, 1f, -1f, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncatedNormal");
    }
}

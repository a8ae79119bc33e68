package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The staged attention kernels (MP3's small contexts: all M keys and values in local memory once
 * per group of queries, dk and dv summed per (key block, feature)) against a double-precision
 * loop, forward and backward, with and without a bias, for contexts of 1 to 100 keys; bit for bit
 * against the tiled kernels (same products in the same order); and the choice of path and of
 * work-group size.
 */
class AttentionStagedTest {

    @AfterEach
    void restorePath() {
        if (ClTestSupport.platformFound()) {
            ClTestSupport.backend().useAttentionPath(AttentionPath.AUTO);
        }
    }

    /** M (64 and 65: where AUTO switched to the tiled kernels until 2026-12-04), head width d, N queries. */
    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int[] ns = {50, 7, 97};
        int t = 0;
        for (int m : new int[] {1, 13, 16, 49, 64, 65}) {
            for (int d : new int[] {8, 13, 32, 64}) {
                out.add(Arguments.of(m, d, ns[t++ % ns.length]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "M={0} d={1} N={2}")
    @MethodSource("shapes")
    void autoPathMatchesDoubleLoop(int m, int d, int n) {
        ClBackend cl = ClTestSupport.backend();
        cl.useAttentionPath(AttentionPath.AUTO);
        Case c = new Case(2, 3, n, m, d, 31L * m + d);
        for (boolean withBias : new boolean[] {false, true}) {
            cl.resetCounters();
            c.checkAgainstReference(withBias, "AUTO M=" + m + " d=" + d + (withBias ? " bias" : ""));
            Map<String, Long> launched = attentionKernels(cl);
            // Every shape here fits local memory (2 x 65 x 64 floats, 33 KiB), so AUTO stages it.
            assertThat(launched).as("kernels for M=" + m)
                    .containsKeys("attention_forward_staged", "attention_backward_staged", "attention_backward_dkdv_staged")
                    .doesNotContainKeys("attention_forward", "attention_backward_dkdv", "attention_backward_dbias");
            assertThat(launched.containsKey("attention_dbias_staged")).isEqualTo(withBias);
        }
    }

    @Test
    void largerContextsAreStagedAndMatchTheDoubleLoop() {
        ClBackend cl = ClTestSupport.backend();
        cl.useAttentionPath(AttentionPath.AUTO);
        for (int m : new int[] {65, 100}) {
            Case c = new Case(2, 2, 37, m, 16, m);
            for (boolean withBias : new boolean[] {false, true}) {
                cl.resetCounters();
                c.checkAgainstReference(withBias, "AUTO M=" + m + (withBias ? " bias" : ""));
                assertThat(attentionKernels(cl)).containsKeys("attention_forward_staged", "attention_backward_staged");
            }
        }
    }

    @Test
    void aContextBeyondLocalMemoryTakesTheTiledKernels() {
        ClBackend cl = ClTestSupport.backend();
        cl.useAttentionPath(AttentionPath.AUTO);
        int d = 8;
        // Keys and values of 2 x m x d floats: one key more than the device's local memory holds.
        int m = (int) (cl.deviceInfo().localMemBytes() / (2L * d * Float.BYTES)) + 1;
        Case c = new Case(1, 1, 5, m, d, 11);
        cl.resetCounters();
        c.checkAgainstReference(false, "AUTO M=" + m + " beyond local memory");
        assertThat(attentionKernels(cl)).containsKeys("attention_forward", "attention_backward_dkdv")
                .doesNotContainKeys("attention_forward_staged", "attention_backward_staged");
    }

    @Test
    void stagedGivesTheTiledKernelsBits() {
        ClBackend cl = ClTestSupport.backend();
        // A ViT MP3 shape (N = 65 queries, M = 13 and 49 context keys) and ragged ones.
        int[][] shapes = {{2, 3, 65, 13, 32}, {2, 3, 65, 49, 64}, {1, 2, 40, 33, 8}, {3, 1, 5, 64, 16}};
        for (int[] s : shapes) {
            Case c = new Case(s[0], s[1], s[2], s[3], s[4], 7 + s[3]);
            for (boolean withBias : new boolean[] {false, true}) {
                cl.useAttentionPath(AttentionPath.TILED);
                Tensor[] tiled = c.run(withBias);
                cl.useAttentionPath(AttentionPath.AUTO);
                Tensor[] staged = c.run(withBias);
                String what = java.util.Arrays.toString(s) + (withBias ? " bias " : " ");
                String[] names = {"out", "logSumExp", "dq", "dk", "dv"};
                for (int i = 0; i < names.length; i++) {
                    assertSameBits(what + names[i], tiled[i], staged[i]);
                }
                if (withBias) {
                    // dbias sums the stored ds; the tiled kernel recomputes the score (maybe contracted differently).
                    assertClose(what + "dbias", toDouble(tiled[5].toFloatArray()), staged[5].toFloatArray(), 1e-5);
                }
            }
        }
    }

    @Test
    void anEmptyContextRunsAndAttendsToNothing() {
        ClBackend cl = ClTestSupport.backend();
        cl.useAttentionPath(AttentionPath.AUTO);
        Case c = new Case(2, 2, 5, 0, 8, 3);
        Tensor[] got = c.run(false);
        for (int i : new int[] {0, 2}) {
            for (float x : got[i].toFloatArray()) {
                assertThat(x).as(i == 0 ? "out" : "dq").isEqualTo(0f);
            }
        }
        assertThat(got[3].numel()).isZero();
    }

    @Test
    void groupSizeFillsWavefrontsAndWastesLittle() {
        // 32-wide warps: N = 197 fits 4 x 64 (59 idle) as well as 2 x 128; the smaller wins the tie.
        assertThat(AttentionKernels.stagedGroup(197, 32, 1024)).isEqualTo(64);
        // N = 65: one group of 96 wastes 31 items, 64 or 128 would waste 63.
        assertThat(AttentionKernels.stagedGroup(65, 32, 1024)).isEqualTo(96);
        // 64-wide wavefronts: always a multiple of 64.
        assertThat(AttentionKernels.stagedGroup(65, 64, 256) % 64).isZero();
        assertThat(AttentionKernels.stagedGroup(50, 64, 256)).isEqualTo(64);
        // Few queries: one small group of whole SIMD widths.
        assertThat(AttentionKernels.stagedGroup(10, 8, 4096)).isEqualTo(16);
        // Limits: the kernel's maximum wins over the multiple; a 256-wide multiple is kept.
        assertThat(AttentionKernels.stagedGroup(100, 64, 32)).isEqualTo(32);
        assertThat(AttentionKernels.stagedGroup(1000, 256, 256)).isEqualTo(256);
    }

    /** Random q, k, v, gOut as models lay them out (heads of a [B, rows, H*D] projection) and a bias. */
    private static final class Case {
        final int b, h, n, m, d;
        final float scale;
        final float[] q, k, v, g, bias;
        final Tensor tq, tk, tv, tg, tbias;

        Case(int b, int h, int n, int m, int d, long seed) {
            this.b = b;
            this.h = h;
            this.n = n;
            this.m = m;
            this.d = d;
            this.scale = (float) (1 / Math.sqrt(d));
            Rng rng = new Rng(seed);
            Tensor qp = ClTestSupport.normal(rng, b, n, h * d);
            Tensor kp = ClTestSupport.normal(rng, b, m, h * d);
            Tensor vp = ClTestSupport.normal(rng, b, m, h * d);
            Tensor gp = ClTestSupport.normal(rng, b, n, h * d);
            Tensor bp = ClTestSupport.normal(rng, h, n, m);
            tq = heads(ClTestSupport.toCl(qp), n);
            tk = heads(ClTestSupport.toCl(kp), m);
            tv = heads(ClTestSupport.toCl(vp), m);
            tg = heads(ClTestSupport.toCl(gp), n);
            tbias = ClTestSupport.toCl(bp);
            q = heads(qp, n).toFloatArray();
            k = heads(kp, m).toFloatArray();
            v = heads(vp, m).toFloatArray();
            g = heads(gp, n).toFloatArray();
            bias = bp.toFloatArray();
        }

        private Tensor heads(Tensor proj, int rows) {
            return proj.reshape(b, rows, h, d).permute(0, 2, 1, 3);
        }

        /** out, logSumExp, dq, dk, dv and (with a bias) dbias on the device's current path. */
        Tensor[] run(boolean withBias) {
            Tensor bt = withBias ? tbias : null;
            Backend.AttentionOut o = Tensor.attention(tq, tk, tv, bt, scale);
            Backend.AttentionGrads gr = Tensor.attentionBackward(tq, tk, tv, bt, scale, o.out(), o.logSumExp(), tg);
            return new Tensor[] {o.out(), o.logSumExp(), gr.dq(), gr.dk(), gr.dv(), gr.dbias()};
        }

        void checkAgainstReference(boolean withBias, String what) {
            Tensor[] got = run(withBias);
            double[][] ref = reference(withBias);
            String[] names = {"out", "logSumExp", "dq", "dk", "dv", "dbias"};
            double[] rtol = {1e-4, 1e-5, 1e-3, 1e-3, 1e-3, 1e-3};
            for (int i = 0; i < (withBias ? 6 : 5); i++) {
                assertClose(what + " " + names[i], ref[i], got[i].toFloatArray(), rtol[i]);
            }
            if (!withBias) {
                assertThat(got[5]).isNull();
            }
        }

        /** out, lse, dq, dk, dv, dbias in double: scores, softmax and their gradients, one pair at a time. */
        double[][] reference(boolean withBias) {
            double[] out = new double[b * h * n * d];
            double[] lse = new double[b * h * n];
            double[] dq = new double[out.length];
            double[] dk = new double[b * h * m * d];
            double[] dv = new double[dk.length];
            double[] dbias = new double[h * n * m];
            for (int pair = 0; pair < b * h; pair++) {
                int hh = pair % h;
                int qo = pair * n * d;
                int ko = pair * m * d;
                double[][] p = new double[n][m];
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += (double) q[qo + i * d + c] * k[ko + j * d + c];
                        }
                        s = scale * s + (withBias ? bias[(hh * n + i) * m + j] : 0);
                        p[i][j] = s;
                        max = Math.max(max, s);
                    }
                    double sum = 0;
                    for (int j = 0; j < m; j++) {
                        sum += Math.exp(p[i][j] - max);
                    }
                    lse[pair * n + i] = max + Math.log(sum);
                    for (int j = 0; j < m; j++) {
                        p[i][j] = Math.exp(p[i][j] - lse[pair * n + i]);
                        for (int c = 0; c < d; c++) {
                            out[qo + i * d + c] += p[i][j] * v[ko + j * d + c];
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    double delta = 0;
                    for (int c = 0; c < d; c++) {
                        delta += (double) g[qo + i * d + c] * out[qo + i * d + c];
                    }
                    for (int j = 0; j < m; j++) {
                        double gv = 0;
                        for (int c = 0; c < d; c++) {
                            gv += (double) g[qo + i * d + c] * v[ko + j * d + c];
                        }
                        double ds = p[i][j] * (gv - delta);
                        dbias[(hh * n + i) * m + j] += ds;
                        for (int c = 0; c < d; c++) {
                            dq[qo + i * d + c] += scale * ds * k[ko + j * d + c];
                            dk[ko + j * d + c] += scale * ds * q[qo + i * d + c];
                            dv[ko + j * d + c] += p[i][j] * g[qo + i * d + c];
                        }
                    }
                }
            }
            return new double[][] {out, lse, dq, dk, dv, dbias};
        }
    }

    /** Launches since the last reset of attention.cl's kernels, by kernel name. */
    private static Map<String, Long> attentionKernels(ClBackend cl) {
        Map<String, Long> out = new java.util.HashMap<>();
        cl.launchesByKernel().forEach((name, count) -> {
            if (name.startsWith("attention.")) {
                out.put(name.substring("attention.".length()), count);
            }
        });
        return out;
    }

    /** |actual - expected| <= rtol (|expected| + rms(expected)) elementwise. */
    private static void assertClose(String what, double[] expected, float[] actual, double rtol) {
        assertThat(actual.length).as(what + " length").isEqualTo(expected.length);
        double sq = 0;
        for (double e : expected) {
            sq += e * e;
        }
        double rms = Math.sqrt(sq / Math.max(1, expected.length));
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double bound = rtol * (Math.abs(expected[i]) + rms);
            if (!(err <= bound)) {
                throw new AssertionError(String.format("%s: element %d is %s, expected %s (error %.3g > bound %.3g)",
                        what, i, actual[i], expected[i], err, bound));
            }
        }
    }

    private static double[] toDouble(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    private static void assertSameBits(String what, Tensor expected, Tensor actual) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertThat(a.length).as(what + " length").isEqualTo(e.length);
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
                throw new AssertionError(what + "[" + i + "]: staged " + a[i] + ", tiled " + e[i]);
            }
        }
    }
}

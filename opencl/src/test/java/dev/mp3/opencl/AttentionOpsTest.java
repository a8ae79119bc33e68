package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.mp3.opencl.ClTestSupport.assertClose;
import static dev.mp3.opencl.ClTestSupport.cpu;
import static dev.mp3.opencl.ClTestSupport.normal;
import static dev.mp3.opencl.ClTestSupport.toCl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused attention kernels against the CPU backend's (materialised, per pair) attention:
 * fewer keys than queries (MP3's context set), more keys than queries, one token, several tiles,
 * with and without a bias. The device uses an online softmax and recomputes probabilities in the
 * backward pass, the CPU a two-pass softmax and matrix products, so they agree to rounding:
 * 1e-5 relative error for outputs and gradients (gradients sum N or M products of such values).
 */
class AttentionOpsTest {
    private static final double TOL = 1e-5;

    private static void check(int b, int h, int n, int m, int d, boolean withBias, long seed) {
        Rng rng = new Rng(seed);
        ClBackend cl = ClTestSupport.backend();
        Tensor q = normal(rng, b, h, n, d);
        Tensor k = normal(rng, b, h, m, d);
        Tensor v = normal(rng, b, h, m, d);
        Tensor bias = withBias ? normal(rng, h, n, m) : null;
        Tensor gOut = normal(rng, b, h, n, d);
        float scale = (float) (1 / Math.sqrt(d));
        String what = "attention B=" + b + " H=" + h + " N=" + n + " M=" + m + " d=" + d + (withBias ? " with bias" : "");
        Backend.AttentionOut ref = cpu().attention(q, k, v, bias, scale);
        Tensor dq = toCl(q);
        Tensor dk = toCl(k);
        Tensor dv = toCl(v);
        Tensor dbias = withBias ? toCl(bias) : null;
        Backend.AttentionOut got = cl.attention(dq, dk, dv, dbias, scale);
        assertClose(what + " out", ref.out(), got.out(), TOL);
        assertClose(what + " logSumExp", ref.logSumExp(), got.logSumExp(), TOL);
        Backend.AttentionGrads gref = cpu().attentionBackward(q, k, v, bias, scale, ref.out(), ref.logSumExp(), gOut);
        Backend.AttentionGrads ggot = cl.attentionBackward(dq, dk, dv, dbias, scale, got.out(), got.logSumExp(), toCl(gOut));
        assertClose(what + " dq", gref.dq(), ggot.dq(), TOL);
        assertClose(what + " dk", gref.dk(), ggot.dk(), TOL);
        assertClose(what + " dv", gref.dv(), ggot.dv(), TOL);
        if (withBias) {
            assertClose(what + " dbias", gref.dbias(), ggot.dbias(), TOL);
        } else {
            assertThat(ggot.dbias()).isNull();
        }
    }

    @Test
    void fewerKeysThanQueries() {
        check(2, 3, 33, 7, 8, false, 40);
        check(2, 3, 33, 7, 8, true, 41);
    }

    @Test
    void severalTilesOfQueriesAndKeys() {
        check(1, 2, 257, 40, 16, true, 42);
        check(2, 1, 7, 70, 16, false, 43);
    }

    @Test
    void singleTokens() {
        check(3, 1, 1, 1, 8, true, 44);
        check(1, 2, 5, 1, 8, false, 45);
    }
}

package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attention kernels read q, k, v and the output gradient where they lie: the heads of a
 * [B, N, H, D] projection permuted to [B, H, N, D], and a window of the keys (MP3's context rows
 * cut from a longer buffer), give bit for bit what dense copies of the same values give, forward
 * and backward, with and without a bias. The kernels do the same arithmetic in the same order
 * whatever the layout, so anything but equal bits is an indexing error.
 */
class AttentionViewsTest {

    @Test
    void permutedHeadsAndWindowsGiveTheBitsOfDenseCopies() {
        ClTestSupport.backend();
        Rng rng = new Rng(17);
        int b = 2, n = 7, m = 5, h = 3, d = 8;
        // Projections as models make them: [B, N, H*D], split into heads and permuted.
        Tensor qProj = ClTestSupport.toCl(ClTestSupport.normal(rng, b, n, h * d));
        Tensor kvLong = ClTestSupport.toCl(ClTestSupport.normal(rng, b, m + 4, h * d));
        Tensor vProj = ClTestSupport.toCl(ClTestSupport.normal(rng, b, m, h * d));
        Tensor gProj = ClTestSupport.toCl(ClTestSupport.normal(rng, b, n, h * d));
        Tensor q = qProj.reshape(b, n, h, d).permute(0, 2, 1, 3);
        Tensor k = kvLong.slice(1, 2, 2 + m).reshape(b, m, h, d).permute(0, 2, 1, 3);
        Tensor v = vProj.reshape(b, m, h, d).permute(0, 2, 1, 3);
        Tensor gOut = gProj.reshape(b, n, h, d).permute(0, 2, 1, 3);
        assertThat(q.isContiguous() || k.isContiguous() || gOut.isContiguous()).as("views, not dense").isFalse();

        for (Tensor bias : new Tensor[] {null, ClTestSupport.toCl(ClTestSupport.normal(rng, h, n, m))}) {
            Backend.AttentionOut viewed = Tensor.attention(q, k, v, bias, 0.35f);
            Backend.AttentionOut dense = Tensor.attention(q.copy(), k.copy(), v.copy(), bias, 0.35f);
            assertSameBits("out", dense.out(), viewed.out());
            assertSameBits("logSumExp", dense.logSumExp(), viewed.logSumExp());
            Backend.AttentionGrads gv = Tensor.attentionBackward(q, k, v, bias, 0.35f, viewed.out(),
                    viewed.logSumExp(), gOut);
            Backend.AttentionGrads gd = Tensor.attentionBackward(q.copy(), k.copy(), v.copy(), bias, 0.35f,
                    dense.out(), dense.logSumExp(), gOut.copy());
            assertSameBits("dq", gd.dq(), gv.dq());
            assertSameBits("dk", gd.dk(), gv.dk());
            assertSameBits("dv", gd.dv(), gv.dv());
            if (bias != null) {
                assertSameBits("dbias", gd.dbias(), gv.dbias());
            }
        }
    }

    private static void assertSameBits(String what, Tensor expected, Tensor actual) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertThat(Float.floatToRawIntBits(a[i])).as(what + "[" + i + "]").isEqualTo(Float.floatToRawIntBits(e[i]));
        }
    }
}

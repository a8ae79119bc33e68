import dev.mp3.autograd.Var;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;

/**
 * Attention's forward and backward alone at the demo model's shape (B 64, N 50, 4 heads of 32), the
 * packed projection's gradient written in one piece (Var.attention of a packed projection, HEAD)
 * against the parts taken as views (before: a zero-filled gradient, a copy and two additions), blocks
 * of ITERS iterations alternating, each in a MemoryScope as the trainer's steps are. Per-round ratios
 * packed / views. Usage: AttnPacked ROUNDS ITERS [B N H D CONTEXT] (CONTEXT 0: full attention; else
 * MP3's packed k, v of that many tokens, q apart).
 */
public class AttnPacked {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]);
        int iters = Integer.parseInt(x[1]);
        int b = x.length > 2 ? Integer.parseInt(x[2]) : 64;
        int n = x.length > 3 ? Integer.parseInt(x[3]) : 50;
        int h = x.length > 4 ? Integer.parseInt(x[4]) : 4;
        int d = x.length > 5 ? Integer.parseInt(x[5]) : 32;
        int m = x.length > 6 ? Integer.parseInt(x[6]) : 0;
        Rng rng = new Rng(1);
        int parts = m == 0 ? 3 : 2;
        int tokens = m == 0 ? n : m;
        Tensor packed = rng.normal(0f, 1f, b, tokens, parts * h * d);
        Tensor q = rng.normal(0f, 1f, b, h, n, d);
        Tensor seed = rng.normal(0f, 1f, b, h, n, d);
        double[][] t = new double[2][rounds];
        float[][] grads = new float[2][];
        for (int round = -3; round < rounds; round++) {
            for (int w0 = 0; w0 < 2; w0++) {
                int w = (round + w0) & 1;   // 0 views, 1 packed
                long t0 = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    try (MemoryScope scope = MemoryScope.open()) {
                        Var p = Var.param(packed);
                        Var inner = p.reshape(b, tokens, parts, h, d);   // an inner node, as the projection is
                        Var qv = m == 0 ? null : Var.constant(q);
                        Var y;
                        if (w == 1) {
                            y = Var.attention(qv, inner, null, 0.17f);
                        } else if (m == 0) {
                            y = Var.attention(heads(inner, 0), heads(inner, 1), heads(inner, 2), null, 0.17f);
                        } else {
                            y = Var.attention(qv, heads(inner, 0), heads(inner, 1), null, 0.17f);
                        }
                        y.mul(Var.constant(seed)).sum().backward();
                        if (i == 0) grads[w] = p.grad().toFloatArray();
                    }
                }
                if (round >= 0) t[w][round] = (System.nanoTime() - t0) / 1e6 / iters;
            }
        }
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) r[i] = t[1][i] / t[0][i];
        Arrays.sort(r);
        System.out.printf("B %d N %d H %d d %d %s: views %.3f ms, packed %.3f ms (medians of %d rounds of %d); packed/views median %.3f, quartiles %.3f-%.3f | same gradient bits: %b%n",
                b, n, h, d, m == 0 ? "full" : "context " + m, median(t[0]), median(t[1]), rounds, iters, r[rounds / 2], r[rounds / 4],
                r[3 * rounds / 4], Arrays.equals(grads[0], grads[1]));
    }

    static Var heads(Var packed, int part) {
        return packed.select(2, part).permute(0, 2, 1, 3);
    }

    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}

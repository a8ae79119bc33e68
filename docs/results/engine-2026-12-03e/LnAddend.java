import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;

/**
 * Layer norm's backward with an addend (the gradient the residual stream already holds): summed in
 * the kernel's pass (HEAD) against the backward then a separate addition into dx (before: what
 * CpuBackend did), blocks of ITERS calls alternating, each call in a MemoryScope as the trainer's
 * steps are; per-round ratios; dx compared bit for bit. Usage: LnAddend ROUNDS ITERS ROWS C
 */
public class LnAddend {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]);
        int iters = Integer.parseInt(x[1]);
        int rows = Integer.parseInt(x[2]);
        int c = Integer.parseInt(x[3]);
        Rng rng = new Rng(3);
        Tensor in = rng.normal(0f, 1f, rows, c);
        Tensor gy = rng.normal(0f, 1f, rows, c);
        Tensor addend = rng.normal(0f, 1f, rows, c);
        Tensor gamma = rng.normal(1f, 0.1f, c);
        Tensor beta = rng.normal(0f, 0.1f, c);
        var ln = in.layerNorm(gamma, beta, 1e-6f);
        double[][] t = new double[2][rounds];
        float[][] dx = new float[2][];
        for (int round = -3; round < rounds; round++) {
            for (int w0 = 0; w0 < 2; w0++) {
                int w = (round + w0) & 1;   // 0 apart, 1 fused
                long t0 = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    try (MemoryScope scope = MemoryScope.open()) {
                        Tensor d;
                        if (w == 1) {
                            d = in.layerNormBackward(gy, gamma, ln.mean(), ln.rstd(), addend).dx();
                        } else {
                            d = in.layerNormBackward(gy, gamma, ln.mean(), ln.rstd()).dx();
                            d.axpyInPlace(1f, addend);
                        }
                        if (i == 0) dx[w] = d.toFloatArray();
                    }
                }
                if (round >= 0) t[w][round] = (System.nanoTime() - t0) / 1e3 / iters;
            }
        }
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) r[i] = t[1][i] / t[0][i];
        Arrays.sort(r);
        System.out.printf("[%d, %d]: apart %.1f us, fused %.1f us (medians of %d rounds of %d); fused/apart median %.3f, quartiles %.3f-%.3f | same dx bits: %b%n",
                rows, c, median(t[0]), median(t[1]), rounds, iters, r[rounds / 2], r[rounds / 4], r[3 * rounds / 4], Arrays.equals(dx[0], dx[1]));
    }

    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}

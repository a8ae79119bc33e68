package dev.mp3.tensor.cpu;
import java.util.*;
/**
 * Weight gradients C [m, n] = A^T B through GemmKernels.gemm (KOuterGemm, A read in place) with
 * KOuterGemm's in-order read of each K block's A (HEAD) and without (before), alternating call by
 * call (needs read-toggle.diff); operands rotated through COPIES copies (8: from memory, as in a
 * step; 1: in cache). Per-round ratios with / without. Usage: Rd ROUNDS COPIES MxNxK...
 */
public class Rd {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]);
        int copies = Integer.parseInt(x[1]);
        for (int s = 2; s < x.length; s++) {
            String[] d = x[s].split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            Random r = new Random(s);
            float[][] a = new float[copies][k * m], b = new float[copies][k * n];
            for (int c = 0; c < copies; c++) {
                for (int i = 0; i < k * m; i++) a[c][i] = r.nextFloat() - 0.5f;
                for (int i = 0; i < k * n; i++) b[c][i] = r.nextFloat() - 0.5f;
            }
            float[][] cs = new float[2][m * n];
            double[][] rate = new double[2][rounds];
            int use = 0;
            boolean same = true;
            for (int rd = -20; rd < rounds; rd++) {
                int cp = use++ % copies;   // both ways of a round read the same copy
                for (int w0 = 0; w0 < 2; w0++) {
                    int w = (w0 + (rd & 1)) & 1;
                    KOuterGemm.READ_IN_ORDER = w == 1;
                    if (w0 == 1 && copies > 1) cp = use++ % copies;   // ... but the second from memory too
                    long t0 = System.nanoTime();
                    GemmKernels.gemm(1, m, n, k, a[cp], 0, 0, true, b[cp], 0, 0, false, cs[w], 0, 0);
                    long t = System.nanoTime() - t0;
                    if (rd >= 0) rate[w][rd] = 2.0 * m * n * k / t;
                }
                if (copies == 1) same &= Arrays.equals(cs[0], cs[1]);
            }
            double[] ratio = new double[rounds];
            for (int rd = 0; rd < rounds; rd++) ratio[rd] = rate[1][rd] / rate[0][rd];
            Arrays.sort(ratio);
            System.out.printf("%-14s copies %d: without %.1f, with %.1f GFLOP/s (medians); with/without median %.3f (quartiles %.3f-%.3f)%s%n",
                    x[s], copies, median(rate[0]), median(rate[1]), ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4],
                    copies == 1 ? " | same bits: " + same : "");
        }
    }
    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}

package dev.mp3.tensor.cpu;
import java.util.*;
/** The same product with B stored [K, N] (nB) and [N, K] (tB), blocks of calls alternating; medians of the rounds' tB / nB rates. */
public class TB {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]);
        for (int s = 1; s < x.length; s++) {
            String[] d = x[s].split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            Random r = new Random(s);
            float[] a = new float[m * k], b = new float[k * n], bt = new float[k * n], c0 = new float[m * n], c1 = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) { float v = r.nextFloat() - 0.5f; b[p * n + j] = v; bt[j * k + p] = v; }
            int calls = Math.max(2, (int) (1e10 / (2.0 * m * n * k)));
            double[][] rate = new double[2][rounds];
            for (int rd = -2; rd < rounds; rd++) {
                for (int q0 = 0; q0 < 2; q0++) {
                    int q = (q0 + Math.max(0, rd)) % 2;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < calls; i++) {
                        if (q == 0) GemmKernels.gemm(1, m, n, k, a, 0, 0, false, b, 0, 0, false, c0, 0, 0);
                        else GemmKernels.gemm(1, m, n, k, a, 0, 0, false, bt, 0, 0, true, c1, 0, 0);
                    }
                    long t = System.nanoTime() - t0;
                    if (rd >= 0) rate[q][rd] = 2.0 * m * n * k * calls / t;
                }
            }
            double[] ratio = new double[rounds];
            for (int rd = 0; rd < rounds; rd++) ratio[rd] = rate[1][rd] / rate[0][rd];
            Arrays.sort(ratio);
            System.out.printf("%-16s nB %6.1f  tB %6.1f GFLOP/s (medians)  tB/nB median %.3f (%.2f-%.2f)  %s / %s  same bits: %b%n", x[s],
                median(rate[0]), median(rate[1]), ratio[rounds / 2], ratio[0], ratio[rounds - 1],
                GemmKernels.kernelFor(m, n, k, false, false), GemmKernels.kernelFor(m, n, k, false, true), Arrays.equals(c0, c1));
        }
    }
    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}

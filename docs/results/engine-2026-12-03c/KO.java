package dev.mp3.tensor.cpu;
import java.util.*;
/**
 * Weight gradients C = A^T B (A [k, m], B [k, n]) through KOuterGemm three ways, blocks of calls rotating:
 * 6 x 48 reading A in place (d27fb6b's choice with 512-bit vectors), 6 x 48 packing A, 6 x 64 packing A.
 * Medians over rounds of each way's rate / the first's; outputs compared bit for bit.
 */
public class KO {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]);
        for (int s = 1; s < x.length; s++) {
            String[] d = x[s].split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            Random r = new Random(s);
            float[] a = new float[k * m], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
            MicroKernel[] ks = {MicroKernel.ROWS6_VEC3, MicroKernel.ROWS6_VEC3, MicroKernel.ROWS6_VEC4};
            boolean[] inPlace = {true, false, false};
            float[][] cs = new float[3][m * n];
            int calls = Math.max(2, (int) (1e10 / (2.0 * m * n * k)));
            double[][] rate = new double[3][rounds];
            for (int rd = -2; rd < rounds; rd++) {
                for (int q0 = 0; q0 < 3; q0++) {
                    int q = (q0 + Math.max(0, rd)) % 3;
                    GemmOperand ga = GemmOperand.of(a, 0, 0, true, m, k), gb = GemmOperand.of(b, 0, 0, false, k, n);
                    GemmOperand gc = GemmOperand.of(cs[q], 0, 0, false, m, n);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < calls; i++) KOuterGemm.gemm(ks[q], m, n, k, ga, gb, gc, null, inPlace[q]);
                    long t = System.nanoTime() - t0;
                    if (rd >= 0) rate[q][rd] = 2.0 * m * n * k * calls / t;
                }
            }
            StringBuilder sb = new StringBuilder(String.format("%-14s 6x48 in place %6.1f", x[s], median(rate[0])));
            String[] names = {"", "6x48 packed", "6x64 packed"};
            for (int q = 1; q < 3; q++) {
                double[] ratio = new double[rounds];
                for (int rd = 0; rd < rounds; rd++) ratio[rd] = rate[q][rd] / rate[0][rd];
                Arrays.sort(ratio);
                sb.append(String.format(" | %s %6.1f GFLOP/s, x%.3f (%.2f-%.2f)", names[q], median(rate[q]), ratio[rounds / 2], ratio[0], ratio[rounds - 1]));
            }
            sb.append(" | same bits: ").append(Arrays.equals(cs[0], cs[1]) && Arrays.equals(cs[0], cs[2]));
            System.out.println(sb);
        }
    }
    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}

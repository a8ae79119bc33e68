package dev.mp3.tensor.cpu;
import java.util.*;
/**
 * Weight gradients C [m, n] = A^T B (A [k, m], B [k, n]) through KOuterGemm both ways round: straight
 * (m rows of C from A read in place, B packed) and transposed (C^T = B^T A: n rows, A packed), each with
 * the 6 x 48 and 6 x 64 tiles; blocks of calls rotating, medians over rounds of each way's rate / the
 * first's (6 x 48 straight); outputs compared bit for bit. Prints which way GemmKernels.choose takes.
 */
public class Or {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]);
        for (int s = 1; s < x.length; s++) {
            String[] d = x[s].split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            Random r = new Random(s);
            float[] a = new float[k * m], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
            MicroKernel[] ks = {MicroKernel.ROWS6_VEC3, MicroKernel.ROWS6_VEC3, MicroKernel.ROWS6_VEC4, MicroKernel.ROWS6_VEC4};
            boolean[] tr = {false, true, false, true};
            String[] names = {"6x48 straight", "6x48 transposed", "6x64 straight", "6x64 transposed"};
            int ways = ks.length;
            float[][] cs = new float[ways][m * n];
            int calls = Math.max(2, (int) (1e10 / (2.0 * m * n * k)));
            double[][] rate = new double[ways][rounds];
            for (int rd = -2; rd < rounds; rd++) {
                for (int q0 = 0; q0 < ways; q0++) {
                    int q = (q0 + Math.max(0, rd)) % ways;
                    GemmOperand ga = GemmOperand.of(a, 0, 0, true, m, k), gb = GemmOperand.of(b, 0, 0, false, k, n);
                    GemmOperand gc = GemmOperand.of(cs[q], 0, 0, false, m, n);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < calls; i++) {
                        if (tr[q]) KOuterGemm.gemm(ks[q], n, m, k, gb.transposed(), ga.transposed(), gc.transposed(), null);
                        else KOuterGemm.gemm(ks[q], m, n, k, ga, gb, gc, null);
                    }
                    long t = System.nanoTime() - t0;
                    if (rd >= 0) rate[q][rd] = 2.0 * m * n * k * calls / t;
                }
            }
            StringBuilder sb = new StringBuilder(String.format("%-14s choose=%-18s %s %6.1f", x[s],
                    GemmKernels.choose(GemmKernels.MICRO_KERNEL, 1, m, n, k, GemmOperand.of(null, 0, 0, true, m, k),
                            GemmOperand.of(null, 0, 0, false, k, n)), names[0], median(rate[0])));
            for (int q = 1; q < ways; q++) {
                double[] ratio = new double[rounds];
                for (int rd = 0; rd < rounds; rd++) ratio[rd] = rate[q][rd] / rate[0][rd];
                Arrays.sort(ratio);
                sb.append(String.format(" | %s %6.1f, x%.3f (%.2f-%.2f)", names[q], median(rate[q]), ratio[rounds / 2], ratio[0], ratio[rounds - 1]));
            }
            boolean same = true;
            for (int q = 1; q < ways; q++) same &= Arrays.equals(cs[0], cs[q]);
            sb.append(" | same bits: ").append(same);
            System.out.println(sb);
        }
    }
    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}

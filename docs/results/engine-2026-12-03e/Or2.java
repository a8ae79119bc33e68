package dev.mp3.tensor.cpu;
import java.util.*;
/**
 * A weight gradient C [m, n] = A^T B (A [k, m], B [k, n]) through KOuterGemm (6 x 48, A read in place) both
 * ways round, alternating call by call: straight (A's m columns read in place, B's n columns copied per
 * K block) and transposed (C^T = B^T A). With COPIES > 1 the operands rotate through that many copies
 * (from L3 or memory, as in a training step). Prints each way's median rate and the median and quartiles
 * of the per-round ratios transposed / straight; outputs compared bit for bit.
 * Usage: Or2 ROUNDS COPIES MxNxK...
 */
public class Or2 {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]);
        int copies = Integer.parseInt(x[1]);
        // PACK=true: way 1 is the same orientation (GemmKernels.choose's) with A packed instead of read in place.
        boolean pack = Boolean.getBoolean("pack");
        MicroKernel kernel = MicroKernel.forColumnMajorA();
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
            int calls = Math.max(1, (int) (4e8 / (2.0 * m * n * k)));
            int use = 0;
            boolean same = true;
            for (int rd = -20; rd < rounds; rd++) {
                for (int w0 = 0; w0 < 2; w0++) {
                    int w = (w0 + (rd & 1)) & 1;
                    long t = 0;
                    for (int i = 0; i < calls; i++) {
                        int cp = use++ % copies;
                        GemmOperand ga = GemmOperand.of(a[cp], 0, 0, true, m, k), gb = GemmOperand.of(b[cp], 0, 0, false, k, n);
                        GemmOperand gc = GemmOperand.of(cs[w], 0, 0, false, m, n);
                        long t0 = System.nanoTime();
                        if (pack) KOuterGemm.gemm(kernel, m, n, k, ga, gb, gc, null, w == 0);
                        else if (w == 1) KOuterGemm.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(), null);
                        else KOuterGemm.gemm(kernel, m, n, k, ga, gb, gc, null);
                        t += System.nanoTime() - t0;
                    }
                    if (rd >= 0) rate[w][rd] = 2.0 * m * n * k * calls / t;
                }
                if (copies == 1) same &= Arrays.equals(cs[0], cs[1]);   // with more, the ways' last calls read other copies
            }
            double[] ratio = new double[rounds];
            for (int rd = 0; rd < rounds; rd++) ratio[rd] = rate[1][rd] / rate[0][rd];
            Arrays.sort(ratio);
            String first = pack ? "in place" : "straight (A " + m + " wide in place)";
            String second = pack ? "A packed" : "transposed (A " + n + " wide)";
            System.out.printf("%-14s copies %d: %s %6.1f GFLOP/s, %s %6.1f; second/first median %.3f (quartiles %.3f-%.3f)"
                    + " | choose=%s%s%n", x[s], copies, first, median(rate[0]), second, median(rate[1]), ratio[rounds / 2],
                    ratio[rounds / 4], ratio[3 * rounds / 4],
                    GemmKernels.choose(GemmKernels.MICRO_KERNEL, 1, m, n, k, GemmOperand.of(null, 0, 0, true, m, k),
                            GemmOperand.of(null, 0, 0, false, k, n)), copies == 1 ? " | same bits: " + same : "");
        }
    }
    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}

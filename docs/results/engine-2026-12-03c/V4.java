package dev.mp3.tensor.cpu;
import java.util.*;
/**
 * Blocks of calls through GemmKernels.gemm alternating the 6 x 48 (ROWS6_VEC3) and 6 x 64 (ROWS6_VEC4) register
 * tiles, per shape, two rounds of warm-up, then ABAB/BABA rounds; outputs compared bit for bit. Needs GemmKernels'
 * MICRO_KERNEL and K_OUTER_KERNEL non-final (nonfinal.diff). Args: rounds, GFLOP per block / 100, shapes MxNxK[:tA|:tB].
 */
public class V4 {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]);
        double budget = Double.parseDouble(x[1]);
        for (int s = 2; s < x.length; s++) {
            String[] f = x[s].split(":");
            String[] d = f[0].split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            boolean tA = f.length > 1 && f[1].equals("tA"), tB = f.length > 1 && f[1].equals("tB");
            Random r = new Random(s);
            float[] a = new float[m * k], b = new float[k * n], c3 = new float[m * n], c4 = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
            MicroKernel[] ks = {MicroKernel.ROWS6_VEC3, MicroKernel.ROWS6_VEC4};
            float[][] cs = {c3, c4};
            int calls = Math.max(2, (int) (budget * 100e9 / (2.0 * m * n * k)));
            double[][] rate = new double[2][rounds];
            for (int w = 0; w < 2; w++) for (int q = 0; q < 2; q++) time(ks[q], m, n, k, a, tA, b, tB, cs[q], calls);
            for (int rd = 0; rd < rounds; rd++) {
                int[] order = rd % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0};
                for (int q : order) rate[q][rd] = 2.0 * m * n * k * calls / time(ks[q], m, n, k, a, tA, b, tB, cs[q], calls);
            }
            double[] ratio = new double[rounds];
            for (int rd = 0; rd < rounds; rd++) ratio[rd] = rate[1][rd] / rate[0][rd];
            Arrays.sort(ratio);
            System.out.printf("%-18s %-18s 6x48 %6.1f  6x64 %6.1f GFLOP/s (means)  6x64/6x48 median %.3f range %.2f-%.2f  same bits: %b%n",
                x[s], GemmKernels.kernelFor(m, n, k, tA, tB), mean(rate[0]), mean(rate[1]), ratio[rounds / 2], ratio[0], ratio[rounds - 1], Arrays.equals(c3, c4));
        }
    }
    static double mean(double[] v) { double s = 0; for (double e : v) s += e; return s / v.length; }
    /** With -Dkouter=true the weight gradients' KOuterGemm tile is switched too (K_OUTER_KERNEL), else only PackedGemm's. */
    static final boolean KOUTER = Boolean.getBoolean("kouter");

    static long time(MicroKernel kern, int m, int n, int k, float[] a, boolean tA, float[] b, boolean tB, float[] c, int calls) {
        GemmKernels.MICRO_KERNEL = kern;
        if (KOUTER) {
            GemmKernels.K_OUTER_KERNEL = kern;
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) GemmKernels.gemm(1, m, n, k, a, 0, 0, tA, b, 0, 0, tB, c, 0, 0);
        return System.nanoTime() - t0;
    }
}

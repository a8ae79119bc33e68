package dev.mp3.tensor.cpu;
import java.util.*;
/** One product shape family m x n x k over several k, rounds interleaved; GFLOP/s medians. */
public class Kk {
    public static void main(String[] x) {
        int m = Integer.parseInt(x[0]), n = Integer.parseInt(x[1]), rounds = Integer.parseInt(x[2]);
        boolean tB = x[3].equals("tB");
        int[] ks = Arrays.stream(x[4].split(",")).mapToInt(Integer::parseInt).toArray();
        float[][] a = new float[ks.length][], b = new float[ks.length][];
        float[] c = new float[m * n];
        Random r = new Random(1);
        for (int q = 0; q < ks.length; q++) {
            a[q] = new float[m * ks[q]]; b[q] = new float[ks[q] * n];
            for (int i = 0; i < a[q].length; i++) a[q][i] = r.nextFloat();
            for (int i = 0; i < b[q].length; i++) b[q][i] = r.nextFloat();
        }
        double[][] rate = new double[ks.length][rounds];
        for (int rd = -2; rd < rounds; rd++) {
            for (int q = 0; q < ks.length; q++) {
                int k = ks[q];
                int calls = (int) Math.max(2, 1e9 / (2.0 * m * n * k));
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) GemmKernels.gemm(1, m, n, k, a[q], 0, 0, false, b[q], 0, 0, tB, c, 0, 0);
                long t = System.nanoTime() - t0;
                if (rd >= 0) rate[q][rd] = 2.0 * m * n * k * calls / t;
            }
        }
        for (int q = 0; q < ks.length; q++) {
            double[] v = rate[q].clone(); Arrays.sort(v);
            System.out.printf("%dx%dx%d%s  median %.1f GFLOP/s  range %.1f-%.1f%n", m, n, ks[q], tB ? ":tB" : "", v[rounds / 2], v[0], v[rounds - 1]);
        }
    }
}

package dev.mp3.tensor.cpu;
import java.util.*;
/**
 * TB with operands rotated through SETS sets (cold caches): the same product with B stored [K, N] (nB) and [N, K]
 * (tB), blocks alternating; medians of the rounds' tB / nB rates; plus B's packing alone, cold, both layouts.
 */
public class TBc {
    public static void main(String[] x) {
        int rounds = Integer.parseInt(x[0]), sets = Integer.parseInt(x[1]);
        for (int s = 2; s < x.length; s++) {
            String[] d = x[s].split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            Random r = new Random(s);
            float[][] a = new float[sets][m * k], b = new float[sets][k * n], bt = new float[sets][k * n];
            float[][] c = new float[sets][m * n];
            for (int q = 0; q < sets; q++) {
                for (int i = 0; i < a[q].length; i++) a[q][i] = r.nextFloat() - 0.5f;
                for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) { float v = r.nextFloat() - 0.5f; b[q][p * n + j] = v; bt[q][j * k + p] = v; }
            }
            int calls = Math.max(sets, (int) (1e10 / (2.0 * m * n * k)));
            double[][] rate = new double[2][rounds];
            for (int rd = -2; rd < rounds; rd++) {
                for (int q0 = 0; q0 < 2; q0++) {
                    int q = (q0 + Math.max(0, rd)) % 2;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < calls; i++) {
                        int o = i % sets;
                        GemmKernels.gemm(1, m, n, k, a[o], 0, 0, false, q == 0 ? b[o] : bt[o], 0, 0, q == 1, c[o], 0, 0);
                    }
                    long t = System.nanoTime() - t0;
                    if (rd >= 0) rate[q][rd] = 2.0 * m * n * k * calls / t;
                }
            }
            double[] ratio = new double[rounds];
            for (int rd = 0; rd < rounds; rd++) ratio[rd] = rate[1][rd] / rate[0][rd];
            Arrays.sort(ratio);
            // B's packing alone, cold (sets rotated), as PackedGemm packs it on one thread.
            MicroKernel kern = GemmKernels.MICRO_KERNEL;
            int nr = kern.cols, panels = (n + nr - 1) / nr, panelSize = (int) GemmPacking.oddLines((long) k * nr);
            float[] dst = new float[panels * panelSize];
            double[] packN = new double[5], packT = new double[5];
            for (int w = 0; w < 5; w++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    GemmOperand gb = GemmOperand.of(b[i % sets], 0, 0, false, k, n);
                    GemmPacking.packRowsOfB(gb, 0, n, 0, k, 0, nr, panelSize, dst, 0);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    GemmOperand gb = GemmOperand.of(bt[i % sets], 0, 0, true, k, n);
                    for (int j0 = 0; j0 < n; j0 += nr) GemmPacking.packB(gb, 0, k, n, j0, kern.narrowed(n - j0).cols, dst, (j0 / nr) * panelSize);
                }
                long t2 = System.nanoTime();
                packN[w] = (t1 - t0) / 200e3; packT[w] = (t2 - t1) / 200e3;
            }
            Arrays.sort(packN); Arrays.sort(packT);
            System.out.printf("%-14s %d sets: nB %6.1f  tB %6.1f GFLOP/s (medians)  tB/nB median %.3f (%.2f-%.2f); B packed alone (one thread, cold): rows %.1f us, transposed %.1f us%n",
                x[s], sets, median(rate[0]), median(rate[1]), ratio[rounds / 2], ratio[0], ratio[rounds - 1], packN[2], packT[2]);
        }
    }
    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}

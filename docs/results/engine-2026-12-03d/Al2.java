package dev.mp3.tensor.cpu;
import java.util.*;
/** 512^2 (or any square) with A packed (ALIASING_ROW_FLOATS 512) against A read in place (a value above the stride), blocks alternating; args size rounds. */
public class Al2 {
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]); boolean tb = args[3].equals("t"); int rounds = Integer.parseInt(args[4]);
        Parallel.setThreads(Integer.getInteger("threads", 2));
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[m * k], b = new float[k * n];
        float[][] c = new float[2][m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() - .5); for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() - .5);
        double[][] t = new double[2][rounds];
        int calls = Math.max(4, (int) (4e8 / (2.0 * m * n * k)));
        for (int round = -3; round < rounds; round++) {
            for (int w = 0; w < 2; w++) {
                int v = (round + w) & 1;
                PackedGemm.ALIASING_ROW_FLOATS = v == 0 ? 512 : 1 << 30;
                long[] times = new long[calls];
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    GemmKernels.gemm(1, m, n, k, a, 0, 0, false, b, 0, 0, tb, c[v], 0, 0);
                    times[i] = System.nanoTime() - t0;
                }
                Arrays.sort(times);
                if (round >= 0) t[v][round] = times[calls / 2] / 1e3;
            }
        }
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) ratio[i] = t[0][i] / t[1][i];
        Arrays.sort(ratio); Arrays.sort(t[0]); Arrays.sort(t[1]);
        System.out.printf("%dx%dx%d%s %s %d threads: packed A %.0f us, in place %.0f us (medians of %d rounds' median calls); packed/in-place per round: median %.3f (%.3f-%.3f); same bits %b%n",
            m, n, k, tb ? " tB" : "", GemmKernels.kernelFor(m, n, k, false, tb), Parallel.threads(), t[0][rounds / 2], t[1][rounds / 2], rounds, ratio[rounds / 2], ratio[0], ratio[rounds - 1], Arrays.equals(c[0], c[1]));
    }
}

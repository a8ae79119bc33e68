package dev.mp3.tensor.cpu;
import java.util.*;
/** 512^2 (or any square) with A packed (ALIASING_ROW_FLOATS 512) against A read in place (a value above the stride), blocks alternating; args size rounds. */
public class Al {
    public static void main(String[] args) {
        int s = Integer.parseInt(args[0]), rounds = Integer.parseInt(args[1]);
        Parallel.setThreads(Integer.getInteger("threads", 2));
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[s * s], b = new float[s * s];
        float[][] c = new float[2][s * s];
        for (int i = 0; i < a.length; i++) { a[i] = (float) (r.nextDouble() - .5); b[i] = (float) (r.nextDouble() - .5); }
        double[][] t = new double[2][rounds];
        int calls = Math.max(4, (int) (4e8 / (2.0 * s * s * s)));
        for (int round = -3; round < rounds; round++) {
            for (int w = 0; w < 2; w++) {
                int v = (round + w) & 1;
                PackedGemm.ALIASING_ROW_FLOATS = v == 0 ? 512 : 1 << 30;
                long[] times = new long[calls];
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    GemmKernels.gemm(1, s, s, s, a, 0, 0, false, b, 0, 0, false, c[v], 0, 0);
                    times[i] = System.nanoTime() - t0;
                }
                Arrays.sort(times);
                if (round >= 0) t[v][round] = times[calls / 2] / 1e3;
            }
        }
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) ratio[i] = t[0][i] / t[1][i];
        Arrays.sort(ratio); Arrays.sort(t[0]); Arrays.sort(t[1]);
        System.out.printf("%d^2 %d threads: packed A %.0f us, in place %.0f us (medians of %d rounds' median calls); packed/in-place per round: median %.3f (%.3f-%.3f); same bits %b%n",
            s, Parallel.threads(), t[0][rounds / 2], t[1][rounds / 2], rounds, ratio[rounds / 2], ratio[0], ratio[rounds - 1], Arrays.equals(c[0], c[1]));
    }
}

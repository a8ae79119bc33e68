import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;
import java.util.*;

/** One shape: A and C reused each call ("warm") against A and C rotated through 200 MB of buffers ("cold"), blocks alternating. */
public class Cold2 {
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]);
        boolean tB = args[3].equals("tB");
        Parallel.setThreads(Integer.parseInt(args[4]));
        int sets = (int) (200L * 1024 * 1024 / (4L * (m * k + m * n)));
        SplittableRandom r = new SplittableRandom(1);
        float[][] as = new float[sets][m * k], cs = new float[sets][m * n];
        float[] b = new float[k * n];
        for (float[] a : as) for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() - .5);
        for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() - .5);
        double[][] t = new double[2][30];
        int next = 0;
        for (int round = -5; round < 30; round++) {
            for (int w = 0; w < 2; w++) {
                int mode = (round + w) & 1;
                long t0 = System.nanoTime();
                for (int c = 0; c < 20; c++) {
                    int i = mode == 0 ? 0 : 1 + (next++ % (sets - 1));
                    GemmKernels.gemm(1, m, n, k, as[i], 0, 0, false, b, 0, 0, tB, cs[i], 0, 0);
                }
                if (round >= 0) t[mode][round] = 2.0 * m * n * k * 20 / (System.nanoTime() - t0);
            }
        }
        for (double[] x : t) Arrays.sort(x);
        System.out.printf("%s %d threads: warm %.1f GFLOP/s, cold %.1f (medians of 30 blocks of 20 calls; %d buffer sets)%n", String.join("x", Arrays.copyOf(args, 4)), Parallel.threads(), t[0][15], t[1][15], sets);
    }
}

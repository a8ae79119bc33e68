package dev.mp3.tensor.cpu;
import java.util.*;
/** One product shape, warm (the same A, B, C every call) against cold (A and C rotated through `sets` copies), blocks alternating; args m n k transB sets rounds. */
public class Cold {
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]);
        boolean tb = args[3].equals("t");
        int sets = Integer.parseInt(args[4]), rounds = Integer.parseInt(args[5]);
        Parallel.setThreads(Integer.getInteger("threads", 2));
        SplittableRandom r = new SplittableRandom(1);
        float[][] a = new float[sets][m * k], c = new float[sets][m * n];
        float[] b = new float[k * n];
        for (float[] x : a) for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() - .5);
        for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() - .5);
        double[] warm = new double[rounds], cold = new double[rounds];
        int calls = 12;
        for (int round = -3; round < rounds; round++) {
            for (int w = 0; w < 2; w++) {
                boolean isCold = ((round + w) & 1) == 1;
                long best = Long.MAX_VALUE, sum = 0;
                for (int i = 0; i < calls; i++) {
                    int s = isCold ? i % sets : 0;
                    long t0 = System.nanoTime();
                    GemmKernels.gemm(1, m, n, k, a[s], 0, 0, false, b, 0, 0, tb, c[s], 0, 0);
                    sum += System.nanoTime() - t0;
                }
                if (round >= 0) (isCold ? cold : warm)[round] = sum / 1e3 / calls;
            }
        }
        Arrays.sort(warm); Arrays.sort(cold);
        System.out.printf("%dx%dx%d%s %s: warm %.0f us, cold %.0f us (medians of %d rounds of %d calls), cold/warm %.3f, warm %.1f GFLOP/s%n",
            m, n, k, tb ? " tB" : "", GemmKernels.kernelFor(m, n, k, false, tb), warm[rounds / 2], cold[rounds / 2], rounds, calls, cold[rounds / 2] / warm[rounds / 2], 2.0 * m * n * k / warm[rounds / 2] / 1e3);
    }
}

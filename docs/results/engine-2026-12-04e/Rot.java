import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;
public class Rot {
    public static void main(String[] args) {
        Parallel.setThreads(2);
        int m = 6400, k = 192, n = 768;
        int copies = 6;
        java.util.Random r = new java.util.Random(1);
        float[][] as = new float[copies][m * k], cs = new float[copies][m * n];
        float[] b = new float[k * n];
        for (float[] a : as) for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        for (float[] c : cs) java.util.Arrays.fill(c, 1f);
        double f = 2.0 * m * n * k;
        for (int round = 0; round < 6; round++) {
            int reps = 30;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) GemmKernels.gemm(1, m, n, k, as[0], 0, 0, false, b, 0, 0, false, cs[0], 0, 0);
            long t1 = System.nanoTime();
            for (int i = 0; i < reps; i++) GemmKernels.gemm(1, m, n, k, as[0], 0, 0, false, b, 0, 0, false, cs[i % copies], 0, 0);
            long t2 = System.nanoTime();
            for (int i = 0; i < reps; i++) GemmKernels.gemm(1, m, n, k, as[i % copies], 0, 0, false, b, 0, 0, false, cs[i % copies], 0, 0);
            long t3 = System.nanoTime();
            System.out.printf("same C %.0f, rotating C %.0f, rotating A and C %.0f GFLOP/s%n", f * reps / (t1 - t0), f * reps / (t2 - t1), f * reps / (t3 - t2));
        }
    }
}

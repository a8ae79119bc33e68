import dev.mp3.tensor.cpu.GemmKernels;
import java.util.SplittableRandom;
public class Loop {
    public static void main(String[] a) {
        String[] s = a[0].split(":"); String[] d = s[0].split("x");
        int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
        boolean tA = s.length > 1 && s[1].equals("tA"), tB = s.length > 1 && s[1].equals("tB");
        double secs = Double.parseDouble(a[1]);
        float[] A = new float[m * k], B = new float[k * n], C = new float[m * n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < A.length; i++) A[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < B.length; i++) B[i] = (float) r.nextDouble(-1, 1);
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime(); int calls = 0;
            while (System.nanoTime() - t0 < secs * 1e9) { GemmKernels.gemm(1, m, n, k, A, 0, 0, tA, B, 0, 0, tB, C, 0, 0); calls++; }
            double el = (System.nanoTime() - t0) * 1e-9;
            System.out.printf("%s %s %.1f GFLOP/s%n", a[0], GemmKernels.kernelFor(m, n, k, tA, tB), 2.0 * m * n * k * calls / el / 1e9);
        }
    }
}

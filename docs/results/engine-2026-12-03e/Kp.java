import dev.mp3.tensor.cpu.GemmKernels;
import java.util.Random;
public class Kp {
    public static void main(String[] x) {
        int m = Integer.parseInt(x[0]), n = Integer.parseInt(x[1]), k = Integer.parseInt(x[2]);
        double secs = Double.parseDouble(x[3]);
        Random r = new Random(1);
        float[] a = new float[k * m], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        long end = System.nanoTime() + (long) (secs * 1e9);
        int calls = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() < end) { GemmKernels.gemm(1, m, n, k, a, 0, 0, true, b, 0, 0, false, c, 0, 0); calls++; }
        long t = System.nanoTime() - t0;
        System.out.printf("%dx%dx%d TN: %d calls, %.1f GFLOP/s%n", m, n, k, calls, 2.0 * m * n * k * calls / t);
    }
}

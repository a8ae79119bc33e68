package dev.mp3.tensor.cpu;
import java.util.*;
/** Squares through PackedGemmZ (HEAD's PackedGemm with L2_B_BYTES settable), settings alternating in blocks of calls. */
public class L2 {
    public static void main(String[] x) {
        int n = Integer.parseInt(x[0]), rounds = Integer.parseInt(x[1]);
        int[] kb = Arrays.stream(x[2].split(",")).mapToInt(Integer::parseInt).toArray();
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n], ref = new float[n * n];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        MicroKernel kern = GemmKernels.MICRO_KERNEL;
        GemmOperand ga = GemmOperand.of(a, 0, 0, false, n, n), gb = GemmOperand.of(b, 0, 0, false, n, n);
        PackedGemm.gemm(kern, 1, n, n, n, ga, gb, GemmOperand.of(ref, 0, 0, false, n, n));
        GemmOperand gc = GemmOperand.of(c, 0, 0, false, n, n);
        int calls = (int) Math.max(3, 0.05e11 / (2.0 * n * n * n));
        double[][] t = new double[kb.length][rounds];
        for (int rd = -2; rd < rounds; rd++) {
            for (int q0 = 0; q0 < kb.length; q0++) {
                int q = (q0 + Math.max(rd, 0)) % kb.length;
                PackedGemmZ.L2_B_BYTES = kb[q] * 1024;
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) PackedGemmZ.gemm(kern, 1, n, n, n, ga, gb, gc);
                if (rd >= 0) t[q][rd] = (System.nanoTime() - t0) / 1e3 / calls;
                if (!Arrays.equals(c, ref)) throw new AssertionError("bits differ");
            }
        }
        for (int q = 0; q < kb.length; q++) {
            double[] ratio = new double[rounds];
            for (int rd = 0; rd < rounds; rd++) ratio[rd] = t[0][rd] / t[q][rd];
            Arrays.sort(ratio);
            double[] v = t[q].clone(); Arrays.sort(v);
            System.out.printf("%d^2, B swept in parts of %d KB: median call %.1f us (%.1f GFLOP/s); speed vs %d KB, median of rounds %.3f (range %.2f-%.2f)%n",
                n, kb[q], v[rounds / 2], 2.0 * n * n * n / v[rounds / 2] / 1e3, kb[0], ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
        }
    }
}

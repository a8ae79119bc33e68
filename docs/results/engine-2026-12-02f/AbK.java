package dev.mp3.tensor.cpu;
import java.util.SplittableRandom;
/** In-process A/B: windows alternate ABBA between two settings of a static knob. */
public class AbK {
    static void set(String knob, int v) {
        switch (knob) {
            case "parts" -> KOuterGemm.partsPerThread = v;
            case "mode" -> KOuterGemm.mode = v;
            case "sweep" -> { KOuterGemm.mode = 1; KOuterGemm.sweep = v; }
            case "kc" -> { KOuterGemm.mode = 1; KOuterGemm.kcIn = v; }
            default -> throw new IllegalArgumentException(knob);
        }
    }
    public static void main(String[] args) throws Exception {
        String knob = args[0]; int va = Integer.parseInt(args[1]), vb = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        for (String sh : args[4].split(",")) {
            String[] s = sh.split(":"); String[] d = s[0].split("x");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            boolean tA = s.length > 1 && s[1].equals("tA"), tB = s.length > 1 && s[1].equals("tB");
            float[] A = new float[m * k], B = new float[k * n], C = new float[m * n], C2 = new float[m * n];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < A.length; i++) A[i] = (float) r.nextDouble(-1, 1);
            for (int i = 0; i < B.length; i++) B[i] = (float) r.nextDouble(-1, 1);
            double[] sum = new double[2]; double lo = 9, hi = 0;
            set(knob, va); GemmKernels.gemm(1, m, n, k, A, 0, 0, tA, B, 0, 0, tB, C, 0, 0);
            set(knob, vb); GemmKernels.gemm(1, m, n, k, A, 0, 0, tA, B, 0, 0, tB, C2, 0, 0);
            if (!java.util.Arrays.equals(C, C2)) throw new AssertionError("bits differ");
            for (int w = 0; w < 1 + rounds; w++) {
                double[] rate = new double[2];
                for (int h = 0; h < 2; h++) {
                    int which = (w % 2 == 0) == (h == 0) ? 0 : 1;
                    set(knob, which == 0 ? va : vb);
                    Thread.sleep(20);
                    long t0 = System.nanoTime(); int calls = 0;
                    while (System.nanoTime() - t0 < 250_000_000L) { GemmKernels.gemm(1, m, n, k, A, 0, 0, tA, B, 0, 0, tB, C, 0, 0); calls++; }
                    rate[which] = 2.0 * m * n * k * calls / (System.nanoTime() - t0);
                }
                if (w == 0) continue;  // warm-up
                sum[0] += rate[0]; sum[1] += rate[1];
                lo = Math.min(lo, rate[1] / rate[0]); hi = Math.max(hi, rate[1] / rate[0]);
            }
            System.out.printf("%-18s %s=%d %.1f  %s=%d %.1f GFLOP/s  B/A %.3f (rounds %.2f-%.2f)%n", sh, knob, va, sum[0] / rounds,
                    knob, vb, sum[1] / rounds, sum[1] / sum[0], lo, hi);
        }
    }
}

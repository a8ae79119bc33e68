package dev.mp3.tensor.cpu;
import java.util.*;
public class Tk {
    public static void main(String[] args) {
        String[] parts = args[0].split(":");
        String[] d = parts[0].split("x");
        int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
        boolean tA = true;
        Random r = new Random(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        int calls = Integer.parseInt(args[1]);
        for (int w = 0; w < 30; w++) GemmKernels.gemm(1, m, n, k, a, 0, 0, tA, b, 0, 0, false, c, 0, 0);
        for (int rep = 0; rep < 4; rep++) {
            KOuterGemm.timing = rep % 2 == 1;
            for (int q = 0; q < 16; q++) KOuterGemm.T.set(q, 0);
            long t0 = System.nanoTime();
            for (int w = 0; w < calls; w++) GemmKernels.gemm(1, m, n, k, a, 0, 0, tA, b, 0, 0, false, c, 0, 0);
            long t = System.nanoTime() - t0;
            double per = t / (double) calls;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s timing=%b: wall %.3f ms/call (%.0f GF/s);", args[0], KOuterGemm.timing, per / 1e6, 2.0 * m * n * k / per));
            if (KOuterGemm.timing) {
                String[] names = {"packA", "packB", "kernel t0", "kernel t1", "kernel rest", "sum"};
                for (int q = 0; q < 12; q += 2) {
                    long cnt = KOuterGemm.T.get(q + 1);
                    sb.append(String.format(Locale.ROOT, " %s %.1f us/call-of-gemm (thread time; %.0f ns each, %d)", names[q / 2], KOuterGemm.T.get(q) / 1e3 / calls, cnt == 0 ? 0 : (double) KOuterGemm.T.get(q) / cnt, cnt / calls));
                }
            }
            System.out.println(sb);
        }
    }
}

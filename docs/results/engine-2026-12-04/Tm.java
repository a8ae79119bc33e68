package dev.mp3.tensor.cpu;
import java.util.*;
public class Tm {
    public static void main(String[] args) {
        String[] d = args[0].split("x");
        int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
        Random r = new Random(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        for (int w = 0; w < 30; w++) GemmKernels.gemm(1, m, n, k, a, 0, 0, false, b, 0, 0, false, c, 0, 0);
        PackedGemm.probe = Integer.parseInt(args[1]); PackedGemm.TIMING = true; if (args.length > 2) PackedGemm.mcProbe = Integer.parseInt(args[2]);
        for (int rep = 0; rep < 3; rep++) {
            for (int q = 0; q < 8; q++) PackedGemm.TIMES.set(q, 0);
            long t0 = System.nanoTime();
            for (int w = 0; w < 20; w++) GemmKernels.gemm(1, m, n, k, a, 0, 0, false, b, 0, 0, false, c, 0, 0);
            long t = System.nanoTime() - t0;
            StringBuilder sb = new StringBuilder(String.format("wall %.2f ms/call;", t / 20e6));
            for (int q = 0; q < 8; q += 2) sb.append(String.format(" slot%d %.0f ns/call (%d calls)", q / 2, (double) PackedGemm.TIMES.get(q) / PackedGemm.TIMES.get(q + 1), PackedGemm.TIMES.get(q + 1)));
            System.out.println(sb);
        }
    }
}

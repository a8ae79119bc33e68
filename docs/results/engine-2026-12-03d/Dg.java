package dev.mp3.tensor.cpu;
import java.util.*;
/** DirectGemm.multiply alone: M N K, row-major A and B (or B transposed), many calls; GFLOP/s. */
public class Dg {
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]);
        boolean tb = args.length > 3 && args[3].equals("t");
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n], scratch = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble();
        GemmOperand ga = GemmOperand.of(a, 0, 0, false, m, k), gb = GemmOperand.of(b, 0, 0, tb, k, n), gc = GemmOperand.of(c, 0, 0, false, m, n);
        for (int rep = 0; rep < 8; rep++) {
            int calls = 20000;
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) DirectGemm.multiply(0, m, n, k, ga, gb, gc, scratch);
            long t1 = System.nanoTime();
            double us = (t1 - t0) / 1e3 / calls;
            System.out.printf("%dx%dx%d%s: %.2f us/call, %.1f GFLOP/s%n", m, n, k, tb ? " tB" : "", us, 2.0 * m * n * k / us / 1e3);
        }
    }
}

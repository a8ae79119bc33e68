package dev.mp3.tensor.cpu;
import dev.mp3.tensor.*;
import dev.mp3.autograd.Var;
public class AttAB {
    public static void main(String[] args) {
        Parallel.setThreads(Integer.parseInt(args[0]));
        int b = 128, h = 3, n = Integer.parseInt(args[1]), d = 64;
        Rng rng = new Rng(2);
        Tensor qkv = rng.normal(0f, 1f, b, n, 3, h, d);
        Tensor g = rng.normal(0f, 1f, b, h, n, d);
        double[][] f = new double[2][40], bw = new double[2][40];
        for (int round = 0; round < 44; round++) {
            for (int mode = 0; mode < 2; mode++) {
                DirectGemm.FAST = mode == 1;
                double tf = 0, tb = 0; int reps = 5;
                for (int r = 0; r < reps; r++) {
                    Var p = Var.param(qkv);
                    Var q = p.select(2, 0).permute(0, 2, 1, 3);
                    Var k = p.select(2, 1).permute(0, 2, 1, 3);
                    Var v = p.select(2, 2).permute(0, 2, 1, 3);
                    long t0 = System.nanoTime();
                    Var out = Var.attention(q, k, v, null, 0.125f);
                    long t1 = System.nanoTime();
                    out.backward(g);
                    long t2 = System.nanoTime();
                    tf += t1 - t0; tb += t2 - t1;
                }
                if (round >= 4) { f[mode][round - 4] = tf / reps / 1e6; bw[mode][round - 4] = tb / reps / 1e6; }
            }
        }
        for (int mode = 0; mode < 2; mode++) {
            java.util.Arrays.sort(f[mode]); java.util.Arrays.sort(bw[mode]);
            System.out.printf("%s: forward median %.3f ms, backward median %.3f ms%n", mode == 0 ? "scalar transposition" : "transpose16", f[mode][20], bw[mode][20]);
        }
        double[] rf = new double[40];
        System.out.printf("ratio of medians new/old: forward %.3f, backward %.3f%n", f[1][20] / f[0][20], bw[1][20] / bw[0][20]);
    }
}

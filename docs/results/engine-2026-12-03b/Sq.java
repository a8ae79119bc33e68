package dev.mp3.tensor.cpu;
import java.util.*;
/** Squares, two threads: PackedGemmV with grids forced (row blocks x nc), blocks of calls rotating in one JVM; medians. */
public class Sq {
    public static void main(String[] args) {
        int s = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<int[]> grids = new ArrayList<>();
        grids.add(null);
        for (int i = 2; i < args.length; i++) { String[] p = args[i].split(","); grids.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])}); }
        MicroKernel kernel = MicroKernel.forThisMachine();
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[s * s], b = new float[s * s];
        float[][] c = new float[grids.size()][s * s];
        for (int i = 0; i < a.length; i++) { a[i] = (float) (r.nextDouble() - .5); b[i] = (float) (r.nextDouble() - .5); }
        GemmOperand ga = GemmOperand.of(a, 0, 0, false, s, s), gb = GemmOperand.of(b, 0, 0, false, s, s);
        int calls = Math.max(1, (int) (3e8 / ((double) s * s * s)));
        double[][] t = new double[grids.size()][rounds];
        for (int round = -3; round < rounds; round++) {
            for (int w = 0; w < grids.size(); w++) {
                int v = (round + w) % grids.size();
                if (v < 0) v += grids.size();
                PackedGemmV.FORCE = grids.get(v);
                GemmOperand gc = GemmOperand.of(c[v], 0, 0, false, s, s);
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) PackedGemmV.gemm(kernel, 1, s, s, s, ga, gb, gc);
                if (round >= 0) t[v][round] = 2.0 * s * s * s * calls / (System.nanoTime() - t0);
            }
        }
        for (int v = 1; v < grids.size(); v++) if (!Arrays.equals(c[0], c[v])) throw new AssertionError();
        for (int v = 0; v < grids.size(); v++) {
            double[] x = t[v].clone(); Arrays.sort(x);
            System.out.printf("%d^2 grid %s: median %.1f GFLOP/s (vs default %.3f)%n", s, grids.get(v) == null ? "default" : grids.get(v)[0] + " rows x nc " + grids.get(v)[1], x[rounds / 2], x[rounds / 2] / sorted(t[0])[rounds / 2]);
        }
    }
    static double[] sorted(double[] x) { double[] y = x.clone(); Arrays.sort(y); return y; }
}

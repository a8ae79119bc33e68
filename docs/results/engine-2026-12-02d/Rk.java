package dev.mp3.tensor.cpu;
import dev.mp3.tensor.ReduceOp;
// sumTo's first pass ([B, T*D] over B) with column blocks of 256 / 1024 / 4096, alternating 0.3 s windows. args: threads rounds B,T,D ...
public class Rk {
  public static void main(String[] args) {
    Parallel.setThreads(Integer.parseInt(args[0])); int rounds = Integer.parseInt(args[1]);
    int[] cbs = {256, 4096, 0};
    for (int s = 2; s < args.length; s++) {
      String[] d = args[s].split(","); int b = Integer.parseInt(d[0]), t = Integer.parseInt(d[1]), dd = Integer.parseInt(d[2]);
      int copies = Math.max(2, (int) (64e6 / (4.0 * b * t * dd)));
      float[][] x = new float[copies][b * t * dd]; java.util.Random r = new java.util.Random(1);
      for (float[] xa : x) for (int i = 0; i < xa.length; i++) xa[i] = r.nextFloat();
      float[][] out = new float[cbs.length][t * dd]; double[] gbs = new double[cbs.length];
      for (int round = 0; round <= rounds; round++) for (int w = 0; w < cbs.length; w++) {
        int v = round % 2 == 0 ? w : cbs.length - 1 - w; ReduceKernels.COLUMN_BLOCK = cbs[v];
        long t0 = System.nanoTime(); long calls = 0;
        while (System.nanoTime() - t0 < 0.3e9) { ReduceKernels.reduce(ReduceOp.SUM, x[(int) (calls % copies)], 1, b, t * dd, out[v]); calls++; }
        if (round > 0) gbs[v] += 4.0 * b * t * dd * calls / (System.nanoTime() - t0);
      }
      for (int v = 0; v < cbs.length; v++) { ReduceKernels.COLUMN_BLOCK = cbs[v]; ReduceKernels.reduce(ReduceOp.SUM, x[0], 1, b, t * dd, out[v]); }
      System.out.printf("%s: GB/s read  cb256 %.1f  cb4096 %.1f  auto %.1f  same bits %s%n", args[s], gbs[0] / rounds, gbs[1] / rounds, gbs[2] / rounds,
        java.util.Arrays.equals(out[0], out[1]) && java.util.Arrays.equals(out[0], out[2]));
    }
  }
}

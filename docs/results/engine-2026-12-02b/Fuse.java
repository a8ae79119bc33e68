package dev.mp3.tensor.cpu;
// A linear layer's two backward products, dX = dY W and dW = dY^T X, on cold operands (ten sets in turn):
// (a) as now, one product after the other over all T tokens; (b) token block by token block (256 rows), each block's
// dX then its dW share, so dY's block is read from cache by the second product (timing only: (b) overwrites its dW
// per block instead of accumulating, the same traffic). Alternating 0.3 s windows. args: threads rounds T in out
public class Fuse {
  public static void main(String[] args) {
    Parallel.setThreads(Integer.parseInt(args[0])); int R = Integer.parseInt(args[1]);
    int T = Integer.parseInt(args[2]), in = Integer.parseInt(args[3]), out = Integer.parseInt(args[4]), blk = 256, sets = 6;
    float[][] dy = new float[sets][T * out], x = new float[sets][T * in], w = new float[sets][out * in], dx = new float[sets][T * in], dw = new float[sets][out * in];
    java.util.Random rnd = new java.util.Random(1);
    for (int s = 0; s < sets; s++) { for (int i = 0; i < dy[s].length; i++) dy[s][i] = rnd.nextFloat() - .5f; for (int i = 0; i < x[s].length; i++) x[s][i] = rnd.nextFloat() - .5f; for (int i = 0; i < w[s].length; i++) w[s][i] = rnd.nextFloat() - .5f; }
    double[] sum = new double[2];
    for (int r = 0; r < R; r++) { StringBuilder sb = new StringBuilder();
      for (int v = 0; v < 2; v++) {
        long t0 = System.nanoTime(); int calls = 0;
        while (System.nanoTime() - t0 < 300_000_000L) { int s = calls % sets;
          if (v == 0) {
            GemmKernels.gemm(1, T, in, out, dy[s], 0, 0, false, w[s], 0, 0, false, dx[s], 0, 0);
            GemmKernels.gemm(1, out, in, T, dy[s], 0, 0, true, x[s], 0, 0, false, dw[s], 0, 0);
          } else {
            for (int t0b = 0; t0b < T; t0b += blk) { int rows = Math.min(blk, T - t0b);
              GemmKernels.gemm(1, rows, in, out, dy[s], t0b * out, 0, false, w[s], 0, 0, false, dx[s], t0b * in, 0);
              // dY[block]^T X[block]: A = dY rows [t0b, t0b+rows) transposed, a [rows, out] matrix stored with row stride out
              GemmKernels.gemm(1, out, in, rows, dy[s], t0b * out, 0, true, x[s], t0b * in, 0, false, dw[s], 0, 0);
            }
          }
          calls++; }
        double ms = (System.nanoTime() - t0) / 1e6 / calls; if (r >= 2) sum[v] += ms; sb.append(String.format(" %7.2f", ms)); }
      System.out.println(sb); }
    System.out.printf("T %d in %d out %d: as now %.2f ms, by token blocks %.2f ms (%.2fx)%n", T, in, out, sum[0] / (R - 2), sum[1] / (R - 2), sum[0] / sum[1]);
  }
}

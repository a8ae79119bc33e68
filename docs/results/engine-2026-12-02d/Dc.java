package dev.mp3.tensor.cpu;
// Where a square product's single-thread time goes. M=K=N=n. Variants, alternating 0.4 s windows:
//  0 full: GemmKernels.gemm (Parallel threads = 1)
//  1 loops: PackedGemm.block's loop order (K blocks > 120-row tasks > L2 parts of B > A panels > B panels), operands pre-packed, real C
//  2 loops, C tile always the same 6 x 16 scratch (no C traffic)
//  3 loops, B panel always the same (B in L1)
//  4 loops, A panel always the same (A in L1)
public class Dc {
  public static void main(String[] args) {
    Parallel.setThreads(1);
    int n = Integer.parseInt(args[0]); int rounds = Integer.parseInt(args[1]);
    MicroKernel mk = GemmKernels.MICRO_KERNEL; int mr = mk.rows, nr = mk.cols;
    int kc = PackedGemm.KC, kBlocks = (n + kc - 1) / kc, lda = GemmPacking.packedARowStride(kc);
    int panels = (n + nr - 1) / nr, panelSize = (int) GemmPacking.oddLines((long) n * nr);
    int tiles = (n + mr - 1) / mr;
    float[] a = new float[n * n], b = new float[n * n], c = new float[n * n], c2 = new float[n * n];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
    // Packed A: per K block, all rows (tiles * mr) as a row-major block lda apart; packed B: panels of n steps.
    float[] pa = new float[kBlocks * tiles * mr * lda];
    GemmOperand ga = GemmOperand.of(a, 0, 0, false, n, n), gb = GemmOperand.of(b, 0, 0, false, n, n);
    for (int q = 0; q < kBlocks; q++) GemmPacking.packA(ga, 0, n, 0, mr, tiles, q * kc, Math.min(kc, n - q * kc), pa, q * tiles * mr * lda, lda);
    float[] pb = new float[panels * panelSize];
    GemmPacking.packRowsOfB(gb, 0, n, 0, n, nr, panelSize, pb, 0);
    float[] scratch = new float[mr * nr];
    int tasks = (tiles + 19) / 20;
    int step = PackedGemm.l2Columns(kc, nr, panels * nr) / nr;
    String[] names = {"full", "loops", "loops, C in L1", "loops, B in L1", "loops, A in L1"};
    double[] sum = new double[5];
    for (int round = 0; round <= rounds; round++) {
      for (int w = 0; w < 5; w++) {
        int v = round % 2 == 0 ? w : 4 - w;
        long t0 = System.nanoTime(); int calls = 0;
        while (System.nanoTime() - t0 < 0.4e9) {
          if (v == 0) GemmKernels.gemm(1, n, n, n, a, 0, 0, false, b, 0, 0, false, c, 0, 0);
          else {
            for (int q = 0; q < kBlocks; q++) { int p0 = q * kc, kb = Math.min(kc, n - p0);
              for (int task = 0; task < tasks; task++) { int t0_ = task * 20, t1_ = Math.min(tiles, t0_ + 20);
                for (int js = 0; js < panels; js += step) { int je = Math.min(panels, js + step);
                  for (int t = t0_; t < t1_; t++) {
                    int ai = v == 4 ? q * tiles * mr * lda : q * tiles * mr * lda + t * mr * lda;
                    for (int j = js; j < je; j++) {
                      int bi = (v == 3 ? 0 : j * panelSize) + p0 * nr;
                      if (t * mr + mr > n) continue;
                      if (v == 2) mk.run(kb, pa, ai, lda, pb, bi, scratch, 0, nr, q > 0);
                      else mk.run(kb, pa, ai, lda, pb, bi, c2, t * mr * n + j * nr, n, q > 0);
                    } } } } }
          }
          calls++; }
        if (round > 0) sum[v] += 2.0 * n * n * n * calls / ((System.nanoTime() - t0) / 1e9) / 1e9;
      }
    }
    for (int v = 0; v < 5; v++) System.out.printf("%-16s %6.1f GFLOP/s%n", names[v], sum[v] / rounds);


  }
}

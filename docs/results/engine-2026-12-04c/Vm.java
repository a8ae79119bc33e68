package dev.mp3.tensor.cpu;
import java.util.*;
/** The weight gradient C[M,N] = A^T B (A stored [K, M], B [K, N]) with VmKernel reading A in place and B from
 *  a contiguous copy of its K block's rows (row stride N + 16), against GemmKernels.gemm, alternating in one JVM.
 *  args: M K N kb order(0: column tiles outer, 1: row tiles outer) rounds */
public class Vm {
  static int M, K, N, KB, ORDER; static int TR = 16 * VmKernel.R, TC = VmKernel.C; static boolean PAD = !Boolean.getBoolean("inplace");
  static void ours(float[] a, float[] b, float[] c) { GemmKernels.gemm(1, M, N, K, a, 0, 0, true, b, 0, 0, false, c, 0, 0); }
  static float[] partial; static volatile float sink; static boolean PADA = Boolean.getBoolean("padA"); static boolean TOUCH = Boolean.getBoolean("touch"); static int SPANS = Integer.getInteger("spans", 2); static String PROBE = System.getProperty("probe", ""); static float[] HA, HB; static long[][] PH = new long[2][4];
  static void mine(float[] a, float[] b, float[] c) {
    int spans = SPANS, cs = N * M, ldb = PAD ? N + 16 : N;
    if (partial == null) partial = new float[spans * cs];
    Parallel.forEach(spans, (lo, hi) -> {
      float[] pad = new float[KB * ldb]; float[] apad = new float[KB * (M + 16)];
      for (int s = lo; s < hi; s++) {
        int k0 = s * K / spans, k1 = (s + 1) * K / spans;
        for (int p0 = k0; p0 < k1; p0 += KB) {
          int kb = Math.min(KB, k1 - p0);
          float[] bb = PAD ? pad : b; int bo = PAD ? 0 : p0 * N;
          long q0 = System.nanoTime();
          if (PAD) for (int p = 0; p < kb; p++) System.arraycopy(b, (p0 + p) * N, pad, p * ldb, N);
          long q1 = System.nanoTime(); float[] aa = a; int ab = p0 * M, la = M; if (PADA) { for (int p = 0; p < kb; p++) System.arraycopy(a, (p0 + p) * M, apad, p * (M + 16), M); aa = apad; ab = 0; la = M + 16; } if (TOUCH) { float t = 0; for (int i = p0 * M; i < (p0 + kb) * M; i += 16) t += a[i]; sink += t; }
          long q2 = System.nanoTime(); PH[s % 2][0] += q1 - q0; PH[s % 2][1] += q2 - q1;
          boolean acc = p0 > k0;
          if (ORDER == 0) {
            for (int jt = 0; jt < N / TC; jt++) for (int it = 0; it < M / TR; it++)
              { if (PROBE.isEmpty()) VmKernel.run(kb, aa, ab + it * TR, la, bb, bo + jt * TC, ldb, partial, s * cs + jt * TC * M + it * TR, M, acc); else VmKernel.run(kb, PROBE.contains("A") ? HA : a, PROBE.contains("A") ? 0 : p0 * M + it * TR, PROBE.contains("A") ? 32 : M, PROBE.contains("B") ? HB : bb, PROBE.contains("B") ? 0 : bo + jt * TC, PROBE.contains("B") ? 12 : ldb, partial, PROBE.contains("C") ? s * cs : s * cs + jt * TC * M + it * TR, M, acc); }
          } else {
            for (int it = 0; it < M / TR; it++) for (int jt = 0; jt < N / TC; jt++)
              { if (PROBE.isEmpty()) VmKernel.run(kb, aa, ab + it * TR, la, bb, bo + jt * TC, ldb, partial, s * cs + jt * TC * M + it * TR, M, acc); else VmKernel.run(kb, PROBE.contains("A") ? HA : a, PROBE.contains("A") ? 0 : p0 * M + it * TR, PROBE.contains("A") ? 32 : M, PROBE.contains("B") ? HB : bb, PROBE.contains("B") ? 0 : bo + jt * TC, PROBE.contains("B") ? 12 : ldb, partial, PROBE.contains("C") ? s * cs : s * cs + jt * TC * M + it * TR, M, acc); }
          }
          PH[s % 2][2] += System.nanoTime() - q2;
        }
      }
    });
    long q3 = System.nanoTime();
    Parallel.forRange(N, 16, (lo, hi) -> {   // spans summed into partial 0 (C^T rows lo..hi), in span order
      for (int q = 1; q < SPANS; q++) ElementwiseKernels.axpy(partial, lo * M, 1f, partial, q * cs + lo * M, (hi - lo) * M);
    });
    Parallel.forRange(M / 16, 1, (lo, hi) -> {   // C = partial 0 transposed, 16 x 16 blocks
      for (int ib = lo; ib < hi; ib++) for (int jb = 0; jb < N; jb += 16)
        for (int i = ib * 16; i < ib * 16 + 16; i++) for (int j = jb; j < jb + 16; j++) c[i * N + j] = partial[j * M + i];
    });
    PH[0][3] += System.nanoTime() - q3;
  }
  static float[] partialR;
  /** ORDER 2: A packed as the engine packs it, B's rows copied with stride N + 16, the 6 x 64 loop reading B at that stride; sweeps of SW panels as the engine's multiply(). */
  static void mine64(float[] a, float[] b, float[] c) {
    int spans = 2, cs = M * N, ldb = N + 16, lda = (int) GemmPacking.oddLines(KB), panels = N / 64, tiles = M / 6, sw = Integer.getInteger("sw", 2);
    if (partialR == null) partialR = new float[spans * cs];
    GemmOperand ao = GemmOperand.of(a, 0, 0, true, M, K);
    Parallel.forEach(spans, (lo, hi) -> {
      float[] pad = new float[KB * ldb]; float[] ablk = new float[tiles * 6 * lda];
      for (int s = lo; s < hi; s++) {
        int k0 = s * K / spans, k1 = (s + 1) * K / spans;
        for (int p0 = k0; p0 < k1; p0 += KB) {
          int kb = Math.min(KB, k1 - p0);
          long q0 = System.nanoTime();
          for (int p = 0; p < kb; p++) System.arraycopy(b, (p0 + p) * N, pad, p * ldb, N);
          long q1 = System.nanoTime();
          GemmPacking.packA(ao, 0, M, 0, 6, tiles, p0, kb, ablk, 0, lda);
          long q2 = System.nanoTime(); PH[s % 2][0] += q1 - q0; PH[s % 2][1] += q2 - q1;
          boolean acc = p0 > k0;
          for (int js = 0; js < panels; js += sw) for (int t = 0; t < tiles; t++) for (int j = js; j < Math.min(panels, js + sw); j++)
            K64S.run(kb, ablk, t * 6 * lda, lda, pad, j * 64, ldb, partialR, s * cs + t * 6 * N + j * 64, N, acc);
          PH[s % 2][2] += System.nanoTime() - q2;
        }
      }
    });
    long q3 = System.nanoTime();
    Parallel.forRange(M, 8, (lo, hi) -> { for (int i = lo; i < hi; i++) for (int j = 0; j < N; j++) c[i * N + j] = partialR[i * N + j] + partialR[cs + i * N + j]; });
    PH[0][3] += System.nanoTime() - q3;
  }
  public static void main(String[] x) {
    M = Integer.parseInt(x[0]); K = Integer.parseInt(x[1]); N = Integer.parseInt(x[2]); KB = Integer.parseInt(x[3]); ORDER = Integer.parseInt(x[4]);
    int rounds = Integer.parseInt(x[5]);
    Random r = new Random(1); HA = new float[KB * 32 + 64]; HB = new float[KB * 12 + 64];
    float[][] as = new float[3][], bs = new float[3][];   // rotate operands so that each call reads from memory
    for (int v = 0; v < 3; v++) { as[v] = new float[K * M]; bs[v] = new float[K * N]; for (int i = 0; i < K * M; i++) as[v][i] = r.nextFloat() - 0.5f; for (int i = 0; i < K * N; i++) bs[v][i] = r.nextFloat() - 0.5f; }
    float[] c1 = new float[M * N], c2 = new float[M * N];
    ours(as[0], bs[0], c1); if (ORDER == 2) mine64(as[0], bs[0], c2); else mine(as[0], bs[0], c2);
    double worst = 0; for (int i = 0; i < M * N; i++) worst = Math.max(worst, Math.abs(c1[i] - c2[i]));
    System.out.printf("threads %d, max |ours - mine| = %.3g%n", Parallel.threads(), worst);
    double flop = 2.0 * M * N * K;
    for (int round = 0; round < rounds; round++) {
      double[] t = new double[2];
      for (int side = 0; side < 2; side++) {
        int calls = 0; long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 300_000_000L) { int v = calls % 3; if (side == 0) ours(as[v], bs[v], c1); else if (ORDER == 2) mine64(as[v], bs[v], c2); else mine(as[v], bs[v], c2); calls++; }
        t[side] = (System.nanoTime() - t0) / 1e9 / calls;
      }
      double tot = PH[0][0]+PH[0][1]+PH[0][2]+PH[0][3]; System.out.printf("  mine thread 0: copy B %.1f%%, touch A %.1f%%, kernels %.1f%%, sum %.1f%%%n", 100*PH[0][0]/tot, 100*PH[0][1]/tot, 100*PH[0][2]/tot, 100*PH[0][3]/tot); PH = new long[2][4];
      System.out.printf("round %d: ours %.1f GFLOP/s, mine %.1f (x%.3f)%n", round, flop / t[0] / 1e9, flop / t[1] / 1e9, t[0] / t[1]);
    }
  }
}

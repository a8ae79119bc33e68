package dev.mp3.tensor.cpu;
import jdk.incubator.vector.*;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
/**
 * The real 6 x 64 kernel (MicroKernel.ROWS6_VEC4, A packed) at a weight gradient's pass geometry
 * (kc steps, 12 panels, 32 row tiles), its calls cut into pieces of `piece` steps (the chain
 * continues from C), with `chunk` floats of a next pass's B packed (rows of a [6400, 768] B read
 * in order, 64-float runs written to 12 panels) after each piece. Against: whole calls alone,
 * pieces alone, and whole calls with the same packing done after them (the committed order).
 * args: kc threads piece:chunk ...
 */
public class Chk {
  static final int N = 768, K = 6400, PANELS = 12, TILES = 32;
  static final class Work {
    final int kc, lda; final float[] a, b, c, src, dst; int row, col; // packing cursor
    Work(int kc, long seed) {
      this.kc = kc; lda = kc + 16;
      a = new float[TILES * 6 * lda]; b = new float[PANELS * kc * 64 + 64]; c = new float[TILES * 6 * PANELS * 64];
      src = new float[K * N]; dst = new float[PANELS * (kc * 64 + 16)];
      java.util.Random r = new java.util.Random(seed);
      for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
      for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
      for (int i = 0; i < src.length; i += 97) src[i] = i;
    }
    /** Packs the next `floats` floats of the source (in whole 64-float runs), wrapping around. */
    void pack(int floats) {
      int panelSize = kc * 64 + 16;
      for (int done = 0; done < floats; done += 64) {
        int from = row * N + col * 64;
        int to = col * panelSize + (row % kc) * 64;
        for (int v = 0; v < 64; v += L) FloatVector.fromArray(S, src, from + v).intoArray(dst, to + v);
        if (++col == PANELS) { col = 0; if (++row == K) row = 0; }
      }
    }
    /** One pass: every panel sweep of 2 panels, every tile; calls in pieces; packing after pieces. */
    void pass(int piece, int chunk, boolean packAfter) {
      int ldc = PANELS * 64;
      for (int js = 0; js < PANELS; js += 2)
        for (int t = 0; t < TILES; t++)
          for (int j = js; j < js + 2; j++)
            for (int p = 0; p < kc; p += piece) {
              int len = Math.min(piece, kc - p);
              MicroKernel.ROWS6_VEC4.rowMajorA(len, a, t * 6 * lda + p, lda, b, j * kc * 64 + p * 64, c, t * 6 * ldc + j * 64, ldc, true);
              if (chunk > 0 && !packAfter) pack(chunk);
            }
      if (packAfter) pack((int) ((long) chunk * PANELS * TILES * ((kc + piece - 1) / piece)));
    }
  }
  public static void main(String[] x) throws Exception {
    int kc = Integer.parseInt(x[0]); int threads = Integer.parseInt(x[1]);
    String[] modes = java.util.Arrays.copyOfRange(x, 2, x.length);
    Work[] w = new Work[threads]; for (int i = 0; i < threads; i++) w[i] = new Work(kc, i);
    double flops = 2.0 * 6 * 64 * kc * PANELS * TILES * threads;
    for (int round = 0; round < 8; round++) {
      StringBuilder sb = new StringBuilder("round " + round + ":");
      for (String m : modes) {
        String[] f = m.split(":"); int piece = Integer.parseInt(f[0]); int chunk = Integer.parseInt(f[1]);
        boolean after = f.length > 2;
        int passes = 80;
        long t0 = System.nanoTime();
        Thread[] th = new Thread[threads];
        for (int i = 0; i < threads; i++) { Work wi = w[i]; th[i] = new Thread(() -> { for (int q = 0; q < passes; q++) wi.pass(piece, chunk, after); }); th[i].start(); }
        for (Thread t : th) t.join();
        double s = (System.nanoTime() - t0) / 1e9;
        sb.append(String.format("  %s %.1f", m, flops * passes / s / 1e9));
      }
      System.out.println(sb);
    }
  }
}

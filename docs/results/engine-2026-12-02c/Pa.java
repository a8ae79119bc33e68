package dev.mp3.tensor.cpu;
// packA alone on the slabs a PACKED_TRANSPOSED weight gradient packs: X [k, m] row-major read as the column-major
// op(A) = X^T [m, k]; each task packs rows i0..i0+rows of op(A) for all K blocks. args: m k rowsPerTask copies seconds
public class Pa {
  public static void main(String[] a) {
    int m = Integer.parseInt(a[0]), k = Integer.parseInt(a[1]), rows = Integer.parseInt(a[2]), copies = Integer.parseInt(a[3]);
    double secs = Double.parseDouble(a[4]);
    float[][] x = new float[copies][m * k];
    for (float[] v : x) java.util.Arrays.fill(v, 1f);
    int kc = 256, lda = GemmPacking.packedARowStride(kc);
    float[] dst = new float[rows * lda];
    float[] row = new float[rows * kc];
    for (int w = 0; w < 4; w++) {
      for (int mode = 0; mode < 2; mode++) {
        long t0 = System.nanoTime(); long floats = 0; int q = 0;
        while (System.nanoTime() - t0 < secs * 1e9) {
          float[] src = x[q++ % copies];
          GemmOperand op = new GemmOperand(src, 0, 0, 1, m); // op(A)[i, p] = X[p, i]
          for (int i0 = 0; i0 + rows <= m; i0 += rows) {
            for (int p0 = 0; p0 < k; p0 += kc) {
              int kb = Math.min(kc, k - p0);
              if (mode == 0) GemmPacking.packA(op, 0, m, i0, 6, rows / 6, p0, kb, dst, 0, lda);
              else for (int p = 0; p < kb; p++) System.arraycopy(src, (p0 + p) * m + i0, row, p * rows, rows);
              floats += (long) rows * kb;
            }
          }
        }
        System.out.printf("%s: %.2f ns/float%n", mode == 0 ? "packA " : "rowcopy", (System.nanoTime() - t0) / (double) floats);
      }
    }
  }
}

package dev.mp3.tensor.cpu;
// packRowsOfB as KOuterGemm calls it (K blocks of 256 rows into two alternating blocks) vs row copies into a flat buffer.
// args: k n copies seconds
public class Pb {
  public static void main(String[] a) {
    int k = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]), copies = Integer.parseInt(a[2]); double secs = Double.parseDouble(a[3]);
    float[][] x = new float[copies][k * n]; for (float[] v : x) java.util.Arrays.fill(v, 1f);
    int kc = 256, nr = 16, panels = (n + 15) / 16, panelSize = (int) GemmPacking.oddLines(kc * nr), bBlock = panels * panelSize;
    float[] blocks = new float[2 * bBlock];
    for (int w = 0; w < 4; w++) for (int mode = 0; mode < 2; mode++) {
      long t0 = System.nanoTime(), floats = 0; int q = 0;
      while (System.nanoTime() - t0 < secs * 1e9) {
        float[] src = x[q++ % copies]; GemmOperand b = new GemmOperand(src, 0, 0, n, 1);
        for (int p0 = 0, blk = 0; p0 < k; p0 += kc, blk ^= 1) {
          int kb = Math.min(kc, k - p0), base = blk * bBlock;
          if (mode == 0) GemmPacking.packRowsOfB(b, 0, n, p0, p0 + kb, nr, panelSize, blocks, base - p0 * nr);
          else for (int p = p0; p < p0 + kb; p++) System.arraycopy(src, p * n, blocks, base + (p - p0) * n, n);
          floats += (long) kb * n;
        }
      }
      System.out.printf("%s %.2f ns/float%n", mode == 0 ? "packRowsOfB" : "arraycopy  ", (System.nanoTime() - t0) / (double) floats);
    }
  }
}

package dev.mp3.tensor.cpu;
// C [n, d] = P^T [n x n] dO [n, d] per item (attention's dV), DirectGemm.multiply, SMEAR on/off alternating 0.3 s. args: n d items rounds
public class Ta {
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]), d = Integer.parseInt(a[1]), items = Integer.parseInt(a[2]), rounds = Integer.parseInt(a[3]);
    float[] p = new float[items * n * n], g = new float[items * n * d], c0 = new float[items * n * d], c1 = new float[items * n * d];
    java.util.Random r = new java.util.Random(1); for (int i = 0; i < p.length; i++) p[i] = r.nextFloat(); for (int i = 0; i < g.length; i++) g[i] = r.nextFloat() - 0.5f;
    GemmOperand ga = GemmOperand.of(p, 0, n * n, true, n, n), gb = GemmOperand.of(g, 0, n * d, false, n, d);
    double[] us = new double[2];
    for (int round = 0; round <= rounds; round++) for (int w = 0; w < 2; w++) {
      int v = round % 2 == 0 ? w : 1 - w; DirectGemm.SMEAR = v == 1; float[] c = v == 1 ? c1 : c0; GemmOperand gc = GemmOperand.of(c, 0, n * d, false, n, d);
      long t0 = System.nanoTime(); long calls = 0;
      while (System.nanoTime() - t0 < 0.3e9) { for (int it = 0; it < items; it++) DirectGemm.multiply(it, n, d, n, ga, gb, gc, null); calls += items; }
      if (round > 0) us[v] += (System.nanoTime() - t0) / 1e3 / calls;
    }
    System.out.printf("P^T dO %dx%d, k %d: general %.2f us, smeared %.2f us per item: %.2fx; same bits %s%n", n, d, n, us[0] / rounds, us[1] / rounds, us[0] / us[1], java.util.Arrays.equals(c0, c1));
  }
}

package dev.mp3.tensor.cpu;
// Gelu.forwardRun / backwardRun ns per element, one thread, array of n floats (in cache), 0.3 s windows
public class Ge {
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]); int rounds = Integer.parseInt(args[1]);
    float[] x = new float[n], y = new float[n], g = new float[n];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < n; i++) { x[i] = (float) r.nextGaussian() * 2; g[i] = r.nextFloat(); }
    for (int round = 0; round < rounds; round++) {
      double[] ns = new double[2];
      for (int v = 0; v < 2; v++) {
        long t0 = System.nanoTime(); long el = 0;
        while (System.nanoTime() - t0 < 0.3e9) {
          if (v == 0) Gelu.forwardRun(x, 0, 1, y, 0, n); else Gelu.backwardRun(x, 0, 1, g, 0, 1, y, 0, n);
          el += n; }
        ns[v] = (System.nanoTime() - t0) / (double) el;
      }
      System.out.printf("forward %.3f ns/elem   backward %.3f ns/elem%n", ns[0], ns[1]);
    }
  }
}

package dev.mp3.tensor.cpu;
import jdk.incubator.vector.FloatVector;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
// sumLanes through a float[] (committed) against lane(i) extraction, in a row-sum loop like layerNorm's; alternating 0.2 s windows
public class Sl {
  static float viaArray(FloatVector v) { float[] lanes = new float[L]; v.intoArray(lanes, 0); float s = 0f; for (float x : lanes) s += x; return s; }
  static float viaLane(FloatVector v) { float s = 0f; for (int i = 0; i < L; i++) s += v.lane(i); return s; }
  static float rows(float[] x, int n, int w, boolean lane) {
    float total = 0f;
    for (int r = 0; r < n; r++) {
      FloatVector acc = FloatVector.zero(S);
      for (int j = 0; j < w; j += L) acc = FloatVector.fromArray(S, x, r * w + j).fma(FloatVector.fromArray(S, x, r * w + j), acc);
      total += lane ? viaLane(acc) : viaArray(acc);
    }
    return total;
  }
  public static void main(String[] a) {
    int w = Integer.parseInt(a[0]), n = 4096; float[] x = new float[n * w];
    for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.1);
    if (rows(x, n, w, true) != rows(x, n, w, false)) throw new AssertionError("bits differ");
    for (int rep = 0; rep < Integer.parseInt(a[1]); rep++) {
      double[] ns = new double[2]; float sink = 0;
      for (int v = 0; v < 2; v++) { long t0 = System.nanoTime(); long c = 0;
        while (System.nanoTime() - t0 < 200_000_000L) { sink += rows(x, n, w, v == 1); c += n; }
        ns[v] = (System.nanoTime() - t0) / (double) c; }
      System.out.printf("w=%d ns/row: array %.2f lane %.2f (lane/array %.3f) %s%n", w, ns[0], ns[1], ns[1] / ns[0], sink == 1 ? "" : "");
    }
  }
}

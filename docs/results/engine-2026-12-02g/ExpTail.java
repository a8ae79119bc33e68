package dev.mp3.tensor.cpu;
import jdk.incubator.vector.*;
import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
public class ExpTail {
  static float masked(float[] x, int xo, float shift, float[] y, int yo, int n) {
    FloatVector vs = FloatVector.broadcast(S, shift);
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector e = VectorMath.expLanes(FloatVector.fromArray(S, x, xo + i).sub(vs));
      e.intoArray(y, yo + i);
      acc = acc.add(e);
    }
    float sum = 0f;
    for (int l = 0; l < L; l++) sum += acc.lane(l);
    if (i < n) {
      VectorMask<Float> m = S.indexInRange(i, n);
      VectorMath.expLanes(FloatVector.fromArray(S, x, xo + i, m).sub(vs)).intoArray(y, yo + i, m);
      for (; i < n; i++) sum += y[yo + i];
    }
    return sum;
  }
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]), rows = 4096;
    float[] x = new float[rows * n]; for (int i=0;i<x.length;i++) x[i] = (float) Math.sin(i) * 3;
    float[] y1 = new float[rows * n], y2 = new float[rows * n];
    for (int rep = 0; rep < 10; rep++) {
      long t0 = System.nanoTime(); float s1 = 0, s2 = 0;
      for (int it = 0; it < 50; it++) for (int r = 0; r < rows; r++) s1 += VectorMath.expShifted(x, r * n, 1f, y1, r * n, n);
      long t1 = System.nanoTime();
      for (int it = 0; it < 50; it++) for (int r = 0; r < rows; r++) s2 += masked(x, r * n, 1f, y2, r * n, n);
      long t2 = System.nanoTime();
      boolean same = java.util.Arrays.equals(y1, y2) && Float.floatToIntBits(s1) == Float.floatToIntBits(s2);
      if (rep >= 7) System.out.printf("n=%d: today %.1f ns/row, masked tail %.1f ns/row, same bits %s%n", n, (t1-t0)/(50.0*rows), (t2-t1)/(50.0*rows), same);
    }
  }
}

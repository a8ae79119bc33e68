import jdk.incubator.vector.*;
public class L3 {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  static float sum(float[] big, int n) {
    FloatVector acc = FloatVector.zero(S), a1=acc,a2=acc,a3=acc;
    for (int i=0;i<n;i+=64) { acc = acc.add(FloatVector.fromArray(S, big, i)); a1=a1.add(FloatVector.fromArray(S, big, i+16)); a2=a2.add(FloatVector.fromArray(S, big, i+32)); a3=a3.add(FloatVector.fromArray(S, big, i+48)); }
    return acc.add(a1).add(a2).add(a3).lane(0);
  }
  public static void main(String[] x) {
    int[] mbs = {1, 4, 8, 12, 16, 20, 24, 28, 32, 40, 64, 128};
    float[] big = new float[128 << 18];
    for (int i=0;i<big.length;i++) big[i]=i&7;
    for (int w=0; w<200; w++) sum(big, 1<<18);
    for (int round=0; round<3; round++) {
      StringBuilder sb = new StringBuilder("round "+round+":");
      for (int mb : mbs) {
        int n = mb << 18; float s=0;
        long bytes=0; long t0=System.nanoTime();
        while (System.nanoTime()-t0 < 300_000_000L) { s+=sum(big, n); bytes += 4L*n; }
        double t=(System.nanoTime()-t0)/1e9;
        sb.append(String.format(" %dMB %.0f", mb, bytes/t/1e9)); if (s==-1) System.out.print("");
      }
      System.out.println(sb + " GB/s");
    }
  }
}

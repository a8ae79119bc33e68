import jdk.incubator.vector.*;
public class Rd {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  static float sum(float[] big, int from, int n) {
    FloatVector acc = FloatVector.zero(S), a1=acc,a2=acc,a3=acc;
    for (int i=from;i<from+n;i+=64) { acc = acc.add(FloatVector.fromArray(S, big, i)); a1=a1.add(FloatVector.fromArray(S, big, i+16)); a2=a2.add(FloatVector.fromArray(S, big, i+32)); a3=a3.add(FloatVector.fromArray(S, big, i+48)); }
    return acc.add(a1).add(a2).add(a3).lane(0);
  }
  public static void main(String[] x) throws Exception {
    if (x.length>0) { var pool = java.util.concurrent.Executors.newFixedThreadPool(1); pool.submit(() -> { try { run(); } catch (Exception e) { throw new RuntimeException(e);} }).get(); pool.shutdown(); return; }
    run();
  }
  static void run() {
    int copies = 6, len = 6400*768;
    float[][] arr = new float[copies][len];
    for (float[] c : arr) for (int i=0;i<c.length;i++) c[i]=i&7;
    float[] big = new float[128<<18]; for (int i=0;i<big.length;i++) big[i]=i&7;
    int[] chunks = {len, 400*768, 100*768};
    for (int w=0; w<300; w++) sum(big, 0, 1<<16);
    for (int round=0; round<4; round++) {
      StringBuilder sb = new StringBuilder("round "+round+":");
      for (int chunk : chunks) {
        float s=0; long bytes=0; long t0=System.nanoTime();
        while (System.nanoTime()-t0 < 400_000_000L) { for (int c=0;c<copies;c++) for (int p=0;p+chunk<=len;p+=chunk) { s+=sum(arr[c], p, chunk); bytes+=4L*chunk; } }
        sb.append(String.format(" copies/chunk %d: %.1f", chunk, bytes/((System.nanoTime()-t0)/1e9)/1e9));
        s=0; bytes=0; t0=System.nanoTime();
        while (System.nanoTime()-t0 < 400_000_000L) { for (int p=0;p+chunk<=big.length;p+=chunk) { s+=sum(big, p, chunk); bytes+=4L*chunk; } }
        sb.append(String.format(" big/chunk: %.1f |", bytes/((System.nanoTime()-t0)/1e9)/1e9));
        if (s==-1) System.out.print("");
      }
      System.out.println(sb + " GB/s");
    }
  }
}

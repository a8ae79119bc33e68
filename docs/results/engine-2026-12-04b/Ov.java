package dev.mp3.tensor.cpu;
import jdk.incubator.vector.*;
public class Ov {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  static FloatVector acc = FloatVector.broadcast(S, 1f);
  // ~n*24 FMAs on registers
  static float work(int n, float seed) {
    FloatVector a = FloatVector.broadcast(S, seed), b = FloatVector.broadcast(S, 0.9999f);
    FloatVector c0=a,c1=a,c2=a,c3=a,c4=a,c5=a,c6=a,c7=a,c8=a,c9=a,c10=a,c11=a,c12=a,c13=a,c14=a,c15=a,c16=a,c17=a,c18=a,c19=a,c20=a,c21=a,c22=a,c23=a;
    for (int i=0;i<n;i++){ c0=c0.fma(b,a);c1=c1.fma(b,a);c2=c2.fma(b,a);c3=c3.fma(b,a);c4=c4.fma(b,a);c5=c5.fma(b,a);c6=c6.fma(b,a);c7=c7.fma(b,a);c8=c8.fma(b,a);c9=c9.fma(b,a);c10=c10.fma(b,a);c11=c11.fma(b,a);c12=c12.fma(b,a);c13=c13.fma(b,a);c14=c14.fma(b,a);c15=c15.fma(b,a);c16=c16.fma(b,a);c17=c17.fma(b,a);c18=c18.fma(b,a);c19=c19.fma(b,a);c20=c20.fma(b,a);c21=c21.fma(b,a);c22=c22.fma(b,a);c23=c23.fma(b,a);}
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).add(c16).add(c17).add(c18).add(c19).add(c20).add(c21).add(c22).add(c23).lane(3);
  }
  public static void main(String[] x) {
    int workN = Integer.parseInt(x[0]);   // FMA steps per call (~12 cycles per step)
    float[] src = new float[64 << 20];    // 256 MB
    for (int i=0;i<src.length;i+=1024) src[i]=i;
    float[] dst = new float[300_000];
    int[] chunks = {0, 256, 512, 1024, 2048, 4096};
    for (int round=0; round<6; round++) {
      for (int chunk : chunks) {
        int calls = 20000; int at = (round * 7919 * 1024) % (src.length/2);
        float s=0;
        long t0=System.nanoTime();
        for (int c=0;c<calls;c++) {
          s += work(workN, s*1e-9f+1f);
          if (chunk>0) {
            int d = (c*chunk) % (dst.length - chunk);
            for (int j=0;j<chunk;j+=16) FloatVector.fromArray(S, src, at+j).intoArray(dst, d+j);
            at += chunk; if (at + chunk > src.length) at = 0;
          }
        }
        double t=(System.nanoTime()-t0)/1e3/calls;
        // copy alone
        long t1=System.nanoTime(); int at2 = (at + 1234567) % (src.length/2);
        for (int c=0;c<calls && chunk>0;c++) { int d=(c*chunk)%(dst.length-chunk); for (int j=0;j<chunk;j+=16) FloatVector.fromArray(S, src, at2+j).intoArray(dst, d+j); at2+=chunk; if (at2+chunk>src.length) at2=0;}
        double tc=(System.nanoTime()-t1)/1e3/calls;
        System.out.printf("round %d chunk %5d floats (%5d B): %.3f us/call combined, copy alone %.3f us (%.1f GB/s) %s%n", round, chunk, chunk*4, t, tc, chunk*4/(tc*1e3), s==0?"!":"");
      }
    }
  }
}

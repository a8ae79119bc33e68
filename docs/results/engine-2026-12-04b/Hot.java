package dev.mp3.tensor.cpu;
import jdk.incubator.vector.*;
public class Hot {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  static float peak(int n) {
    FloatVector[] z = new FloatVector[1];
    FloatVector a = FloatVector.broadcast(S, 1.0001f), b = FloatVector.broadcast(S, 0.9999f);
    FloatVector c0=a,c1=a,c2=a,c3=a,c4=a,c5=a,c6=a,c7=a,c8=a,c9=a,c10=a,c11=a,c12=a,c13=a,c14=a,c15=a,c16=a,c17=a,c18=a,c19=a,c20=a,c21=a,c22=a,c23=a;
    for (int i=0;i<n;i++){ c0=c0.fma(b,a);c1=c1.fma(b,a);c2=c2.fma(b,a);c3=c3.fma(b,a);c4=c4.fma(b,a);c5=c5.fma(b,a);c6=c6.fma(b,a);c7=c7.fma(b,a);c8=c8.fma(b,a);c9=c9.fma(b,a);c10=c10.fma(b,a);c11=c11.fma(b,a);c12=c12.fma(b,a);c13=c13.fma(b,a);c14=c14.fma(b,a);c15=c15.fma(b,a);c16=c16.fma(b,a);c17=c17.fma(b,a);c18=c18.fma(b,a);c19=c19.fma(b,a);c20=c20.fma(b,a);c21=c21.fma(b,a);c22=c22.fma(b,a);c23=c23.fma(b,a);}
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).add(c16).add(c17).add(c18).add(c19).add(c20).add(c21).add(c22).add(c23).reduceLanes(VectorOperators.ADD);
  }
  public static void main(String[] x) {
    int kc = Integer.parseInt(x[0]); int panels = Integer.parseInt(x[1]); int tiles = Integer.parseInt(x[2]);
    MicroKernel k = MicroKernel.ROWS6_VEC4;
    int lda = kc + 16;
    float[] a = new float[tiles*6*lda]; float[] b = new float[panels*kc*64+64]; float[] c = new float[tiles*6*panels*64];
    java.util.Random r = new java.util.Random(1);
    for (int i=0;i<a.length;i++) a[i]=r.nextFloat(); for (int i=0;i<b.length;i++) b[i]=r.nextFloat();
    int ldc = panels*64;
    for (int round=0; round<12; round++) {
      long t0=System.nanoTime(); int reps=0; long flops=0;
      while (System.nanoTime()-t0 < 300_000_000L) {
        for (int j=0;j<panels;j++) for (int t=0;t<tiles;t++) k.run(kc, a, t*6*lda, lda, 1, b, j*kc*64, c, t*6*ldc + j*64, ldc, true);
        reps++;
      }
      double kt = (System.nanoTime()-t0)/1e9; double kg = 2.0*kc*64*6*panels*tiles*reps/kt/1e9;
      long t1=System.nanoTime(); int n=20_000_000; float s=peak(n); double pt=(System.nanoTime()-t1)/1e9; double pg=2.0*24*16*(double)n/pt/1e9;
      System.out.printf("kernel %.1f GFLOP/s  peak-loop %.1f  ratio %.3f %s%n", kg, pg, kg/pg, s==0?"":"");
    }
  }
}

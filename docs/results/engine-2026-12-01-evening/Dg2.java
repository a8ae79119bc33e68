package dev.mp3.tensor.cpu;
public class Dg2 {
  public static void main(String[] args) {
    int[][] shapes = {{50,50,64,1},{50,64,50,0},{64,64,64,0},{48,48,64,0}};
    for (int rep = 0; rep < 3; rep++) for (int[] s : shapes) {
      int m=s[0], n=s[1], k=s[2]; boolean tB = s[3]==1;
      float[] a = new float[m*k], b = new float[k*n], c = new float[m*n], c2 = new float[m*n], scratch = new float[k*n];
      for (int i=0;i<a.length;i++) a[i]=(i%7)*0.37f; for (int i=0;i<b.length;i++) b[i]=(i%5)*0.53f;
      GemmOperand ga = GemmOperand.of(a,0,0,false,m,k);
      GemmOperand gb = tB ? GemmOperand.of(b,0,0,true,k,n) : GemmOperand.of(b,0,0,false,k,n);
      GemmOperand gc = GemmOperand.of(c,0,0,false,m,n);
      DirectGemm.multiply(0,m,n,k,ga,gb,GemmOperand.of(c2,0,0,false,m,n),scratch);
      long t0=System.nanoTime(); long calls=0;
      while (System.nanoTime()-t0 < 500_000_000L) { PackedGemm.gemm(GemmKernels.MICRO_KERNEL,1,m,n,k,ga,gb,gc); calls++; }
      double sec=(System.nanoTime()-t0)*1e-9;
      System.out.printf("packed %dx%dx%d%s: %.1f GFLOP/s, %.2f us/call, same bits %b%n", m,k,n, tB?":tB":"", 2.0*m*n*k*calls/sec*1e-9, sec/calls*1e6, java.util.Arrays.equals(c,c2));
    }
  }
}

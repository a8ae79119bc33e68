package dev.mp3.tensor.cpu;
// alternate: full gemm of shape vs the bare microkernel loop (19 tiles x 16 panels, kc 256), 1 thread
public class Em3 {
  public static void main(String[] args) throws Exception {
    Parallel.setThreads(Integer.parseInt(args[0]));
    MicroKernel mk = MicroKernel.forThisMachine();
    int mr = mk.rows, nr = mk.cols;
    String[] shapes = args[1].split(",");
    int tiles=19,panels=16,kc=256,lda=272,ps=4112,ldc=1024;
    float[] a0=new float[tiles*mr*lda], b0=new float[panels*ps], c0=new float[tiles*mr*ldc];
    for (int i=0;i<a0.length;i++) a0[i]=(i%7)*0.01f; for (int i=0;i<b0.length;i++) b0[i]=(i%5)*0.01f;
    for (String s : shapes) {
      String[] p=s.split(":"); String[] d=p[0].split("x");
      int m=Integer.parseInt(d[0]),k=Integer.parseInt(d[1]),n=Integer.parseInt(d[2]);
      boolean tA=p.length>1&&p[1].equals("tA"), tB=p.length>1&&p[1].equals("tB");
      float[] a=new float[m*k], b=new float[k*n], c=new float[m*n];
      for(int i=0;i<a.length;i++)a[i]=(i%7)*0.1f; for(int i=0;i<b.length;i++)b[i]=(i%5)*0.1f;
      double bg=0,bk=0,sg=0,sk=0; int R=10;
      for (int r=0;r<R;r++) {
        long t0=System.nanoTime(); long calls=0;
        while (System.nanoTime()-t0 < 250_000_000L) { GemmKernels.gemm(1,m,n,k,a,0,0,tA,b,0,0,tB,c,0,0); calls++; }
        double g=2.0*m*n*k*calls/((System.nanoTime()-t0)*1e-9)*1e-9;
        t0=System.nanoTime(); calls=0;
        while (System.nanoTime()-t0 < 250_000_000L) { for (int t=0;t<tiles;t++) for (int j=0;j<panels;j++) mk.run(kc, a0, t*mr*lda, lda, b0, j*ps, c0, t*mr*ldc + j*nr, ldc, true); calls+=tiles*panels; }
        double kg=2.0*mr*nr*kc*calls/((System.nanoTime()-t0)*1e-9)*1e-9;
        if (r>=2){bg=Math.max(bg,g);bk=Math.max(bk,kg);sg+=g;sk+=kg;}
      }
      System.out.printf("%s (%s): gemm best %.1f mean %.1f | kernel loop best %.1f mean %.1f | ratio of means %.2f%n", s, GemmKernels.kernelFor(m,n,k,tA,tB), bg, sg/(R-2), bk, sk/(R-2), sg/sk);
    }
  }
}

package dev.mp3.tensor.cpu;
// bare micro-kernel loop, B panels starting at float offsets 0 and 4 and 8 (of a large array), alternating 0.1 s windows, one thread
public class Mk3 {
  public static void main(String[] args) {
    MicroKernel mk = MicroKernel.forThisMachine();
    int mr = mk.rows, nr = mk.cols;
    int tiles=19,panels=16,kc=256,lda=272,ps=4112,ldc=1024;
    float[] a0=new float[tiles*mr*lda+64], b0=new float[panels*ps+64], c0=new float[tiles*mr*ldc+64];
    for (int i=0;i<a0.length;i++) a0[i]=(i%7)*0.01f; for (int i=0;i<b0.length;i++) b0[i]=(i%5)*0.01f;
    int[] offs={0,4,8,12}; double[] sum=new double[offs.length]; int R=Integer.parseInt(args[0]);
    for (int rep=0; rep<R; rep++) { StringBuilder sb=new StringBuilder();
      for (int v=0; v<offs.length; v++) { int bo=offs[v];
        long t0=System.nanoTime(); long calls=0;
        while (System.nanoTime()-t0 < 100_000_000L) { for (int t=0;t<tiles;t++) for (int j=0;j<panels;j++) mk.run(kc, a0, t*mr*lda, lda, b0, bo+j*ps, c0, t*mr*ldc + j*nr, ldc, true); calls+=tiles*panels; }
        double g=2.0*mr*nr*kc*calls/(System.nanoTime()-t0); if(rep>=3) sum[v]+=g; sb.append(String.format(" %5.1f", g)); }
      if (rep < 6) System.out.println(sb); }
    StringBuilder sb=new StringBuilder("means:"); for(int v=0;v<offs.length;v++) sb.append(String.format(" off%d %.1f (%.3f);", offs[v], sum[v]/(R-3), sum[v]/sum[0])); System.out.println(sb); } }

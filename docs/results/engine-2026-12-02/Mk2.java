package dev.mp3.tensor.cpu;
// bare micro-kernel loop (19 tiles x 16 panels, kc 256), one thread, variants alternating in 0.2 s windows
public class Mk2 {
  public static void main(String[] args) {
    MicroKernel mk = MicroKernel.forThisMachine();
    int mr = mk.rows, nr = mk.cols;
    int tiles=19,panels=16,kc=256,lda=272,ps=4112;
    float[] a0=new float[tiles*mr*lda+64], b0=new float[panels*ps+64];
    for (int i=0;i<a0.length;i++) a0[i]=(i%7)*0.01f; for (int i=0;i<b0.length;i++) b0[i]=(i%5)*0.01f;
    int[] ldcs={1024,1024,264,768,576};
    boolean[] accs={true,false,true,true,true};
    String[] names={"acc ldc1024","noacc ldc1024","acc ldc264","acc ldc768","acc ldc576"};
    float[][] cs=new float[ldcs.length][]; for(int v=0;v<ldcs.length;v++) cs[v]=new float[tiles*mr*ldcs[v]+64];
    double[] sum=new double[ldcs.length]; int R=Integer.parseInt(args[0]);
    for (int rep=0; rep<R; rep++) { StringBuilder sb=new StringBuilder();
      for (int v=0; v<ldcs.length; v++) { int ldc=ldcs[v]; float[] c0=cs[v]; boolean acc=accs[v];
        long t0=System.nanoTime(); long calls=0;
        while (System.nanoTime()-t0 < 200_000_000L) { for (int t=0;t<tiles;t++) for (int j=0;j<panels;j++) mk.run(kc, a0, t*mr*lda, lda, b0, j*ps, c0, t*mr*ldc + j*nr, ldc, acc); calls+=tiles*panels; }
        double g=2.0*mr*nr*kc*calls/(System.nanoTime()-t0); if(rep>=2) sum[v]+=g; sb.append(String.format(" %5.1f", g)); }
      System.out.println(sb); }
    StringBuilder sb=new StringBuilder("means:"); for(int v=0;v<ldcs.length;v++) sb.append(String.format(" %s %.1f (%.2f);", names[v], sum[v]/(R-2), sum[v]/sum[0])); System.out.println(sb); } }

package dev.mp3.tensor.cpu;
// bare micro-kernel loop (19 tiles x 16 panels, kc 256), one thread, with B (and/or C, A) starting at float offsets 0..15
public class Mk {
  public static void main(String[] args) {
    MicroKernel mk = MicroKernel.forThisMachine();
    int mr = mk.rows, nr = mk.cols;
    int tiles=19,panels=16,kc=256,lda=272,ps=4112,ldc=1024;
    String w = args.length > 0 ? args[0] : "B";
    float[] a0=new float[tiles*mr*lda+64], b0=new float[panels*ps+64], c0=new float[tiles*mr*ldc+64];
    for (int i=0;i<a0.length;i++) a0[i]=(i%7)*0.01f; for (int i=0;i<b0.length;i++) b0[i]=(i%5)*0.01f;
    int[] offs={0,2,4,6,8,10,12,14};
    for (int rep=0; rep<4; rep++) { StringBuilder sb=new StringBuilder(w+":");
      for (int off : offs) {
        int ao = w.contains("A")?off:0, bo = w.contains("B")?off:0, co = w.contains("C")?off:0;
        double best=0;
        for (int r=0;r<3;r++){ long t0=System.nanoTime(); long calls=0;
          while (System.nanoTime()-t0 < 100_000_000L) { for (int t=0;t<tiles;t++) for (int j=0;j<panels;j++) mk.run(kc, a0, ao+t*mr*lda, lda, b0, bo+j*ps, c0, co+t*mr*ldc + j*nr, ldc, true); calls+=tiles*panels; }
          best=Math.max(best, 2.0*mr*nr*kc*calls/(System.nanoTime()-t0)); }
        sb.append(String.format(" %5.1f", best)); }
      System.out.println(sb); } } }

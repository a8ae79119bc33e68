package dev.mp3.tensor.cpu;
// bare kernel loop on 1 vs 2 threads concurrently (each its own buffers), alternating
public class Em4 {
  static double loop(MicroKernel mk, float[] a0, float[] b0, float[] c0, long ns) {
    int mr = mk.rows, nr = mk.cols; int tiles=19,panels=16,kc=256,lda=272,ps=4112,ldc=1024;
    long t0=System.nanoTime(); long calls=0;
    while (System.nanoTime()-t0 < ns) { for (int t=0;t<tiles;t++) for (int j=0;j<panels;j++) mk.run(kc, a0, t*mr*lda, lda, b0, j*ps, c0, t*mr*ldc + j*nr, ldc, true); calls+=tiles*panels; }
    return 2.0*mr*nr*kc*calls/((System.nanoTime()-t0)*1e-9)*1e-9;
  }
  public static void main(String[] args) throws Exception {
    MicroKernel mk = MicroKernel.forThisMachine();
    int mr = mk.rows; int tiles=19,panels=16,lda=272,ps=4112,ldc=1024;
    float[][] a=new float[2][tiles*mr*lda], b=new float[2][panels*ps], c=new float[2][tiles*mr*ldc];
    for (int q=0;q<2;q++){for (int i=0;i<a[q].length;i++) a[q][i]=(i%7)*0.01f; for (int i=0;i<b[q].length;i++) b[q][i]=(i%5)*0.01f;}
    for (int r=0;r<10;r++) {
      double one = loop(mk, a[0], b[0], c[0], 300_000_000L);
      double[] two = new double[2];
      Thread t = new Thread(() -> two[1] = loop(mk, a[1], b[1], c[1], 300_000_000L));
      t.start(); two[0] = loop(mk, a[0], b[0], c[0], 300_000_000L); t.join();
      System.out.printf("one %.1f  two %.1f + %.1f = %.1f  (%.2fx)%n", one, two[0], two[1], two[0]+two[1], (two[0]+two[1])/one);
    }
  }
}

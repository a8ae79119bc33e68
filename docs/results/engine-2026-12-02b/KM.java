import jdk.incubator.vector.*;
// bare 6x16 kernels: row-major A (current), k-major A (stride 6), k-major A (stride 8); alternating 0.1 s windows, one thread
public class KM {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_256; static final int L = 8;
  static void rowA(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc) {
    FloatVector c00,c01,c10,c11,c20,c21,c30,c31,c40,c41,c50,c51;
    c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L);
    c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L);
    c20 = FloatVector.fromArray(S, c, ci + 2*ldc); c21 = FloatVector.fromArray(S, c, ci + 2*ldc + L);
    c30 = FloatVector.fromArray(S, c, ci + 3*ldc); c31 = FloatVector.fromArray(S, c, ci + 3*ldc + L);
    c40 = FloatVector.fromArray(S, c, ci + 4*ldc); c41 = FloatVector.fromArray(S, c, ci + 4*ldc + L);
    c50 = FloatVector.fromArray(S, c, ci + 5*ldc); c51 = FloatVector.fromArray(S, c, ci + 5*ldc + L);
    int a0=ai,a1=ai+lda,a2=ai+2*lda,a3=ai+3*lda,a4=ai+4*lda,a5=ai+5*lda;
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * (2 * L);
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector av = FloatVector.broadcast(S, a[a0 + p]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[a1 + p]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[a2 + p]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[a3 + p]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[a4 + p]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[a5 + p]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, ci); c01.intoArray(c, ci + L); c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2*ldc); c21.intoArray(c, ci + 2*ldc + L); c30.intoArray(c, ci + 3*ldc); c31.intoArray(c, ci + 3*ldc + L);
    c40.intoArray(c, ci + 4*ldc); c41.intoArray(c, ci + 4*ldc + L); c50.intoArray(c, ci + 5*ldc); c51.intoArray(c, ci + 5*ldc + L);
  }
  static void kA(int kc, float[] a, int ai, int W, float[] b, int bi, float[] c, int ci, int ldc) {
    FloatVector c00,c01,c10,c11,c20,c21,c30,c31,c40,c41,c50,c51;
    c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L);
    c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L);
    c20 = FloatVector.fromArray(S, c, ci + 2*ldc); c21 = FloatVector.fromArray(S, c, ci + 2*ldc + L);
    c30 = FloatVector.fromArray(S, c, ci + 3*ldc); c31 = FloatVector.fromArray(S, c, ci + 3*ldc + L);
    c40 = FloatVector.fromArray(S, c, ci + 4*ldc); c41 = FloatVector.fromArray(S, c, ci + 4*ldc + L);
    c50 = FloatVector.fromArray(S, c, ci + 5*ldc); c51 = FloatVector.fromArray(S, c, ci + 5*ldc + L);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * (2 * L); int ap = ai + p * 6;
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector av = FloatVector.broadcast(S, a[ap]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + 1]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 2]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 3]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ap + 4]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ap + 5]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, ci); c01.intoArray(c, ci + L); c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2*ldc); c21.intoArray(c, ci + 2*ldc + L); c30.intoArray(c, ci + 3*ldc); c31.intoArray(c, ci + 3*ldc + L);
    c40.intoArray(c, ci + 4*ldc); c41.intoArray(c, ci + 4*ldc + L); c50.intoArray(c, ci + 5*ldc); c51.intoArray(c, ci + 5*ldc + L);
  }
  static void kA1(int kc, float[] a, int ai, int rs, float[] b, int bi, float[] c, int ci, int ldc) {
    FloatVector c00,c01,c10,c11,c20,c21,c30,c31,c40,c41,c50,c51;
    c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L);
    c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L);
    c20 = FloatVector.fromArray(S, c, ci + 2*ldc); c21 = FloatVector.fromArray(S, c, ci + 2*ldc + L);
    c30 = FloatVector.fromArray(S, c, ci + 3*ldc); c31 = FloatVector.fromArray(S, c, ci + 3*ldc + L);
    c40 = FloatVector.fromArray(S, c, ci + 4*ldc); c41 = FloatVector.fromArray(S, c, ci + 4*ldc + L);
    c50 = FloatVector.fromArray(S, c, ci + 5*ldc); c51 = FloatVector.fromArray(S, c, ci + 5*ldc + L);
    int a0=ai,a1=ai+rs,a2=ai+2*rs,a3=ai+3*rs,a4=ai+4*rs,a5=ai+5*rs;
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * (2 * L); int ap = p * 6;
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector av = FloatVector.broadcast(S, a[a0 + ap]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[a1 + ap]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[a2 + ap]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[a3 + ap]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[a4 + ap]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[a5 + ap]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, ci); c01.intoArray(c, ci + L); c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2*ldc); c21.intoArray(c, ci + 2*ldc + L); c30.intoArray(c, ci + 3*ldc); c31.intoArray(c, ci + 3*ldc + L);
    c40.intoArray(c, ci + 4*ldc); c41.intoArray(c, ci + 4*ldc + L); c50.intoArray(c, ci + 5*ldc); c51.intoArray(c, ci + 5*ldc + L);
  }
  static void kA8(int kc, float[] a, int ai, int W, float[] b, int bi, float[] c, int ci, int ldc) {
    FloatVector c00,c01,c10,c11,c20,c21,c30,c31,c40,c41,c50,c51;
    c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L);
    c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L);
    c20 = FloatVector.fromArray(S, c, ci + 2*ldc); c21 = FloatVector.fromArray(S, c, ci + 2*ldc + L);
    c30 = FloatVector.fromArray(S, c, ci + 3*ldc); c31 = FloatVector.fromArray(S, c, ci + 3*ldc + L);
    c40 = FloatVector.fromArray(S, c, ci + 4*ldc); c41 = FloatVector.fromArray(S, c, ci + 4*ldc + L);
    c50 = FloatVector.fromArray(S, c, ci + 5*ldc); c51 = FloatVector.fromArray(S, c, ci + 5*ldc + L);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * (2 * L); int ap = ai + p * 12;
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector av = FloatVector.broadcast(S, a[ap]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + 2]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 4]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 6]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ap + 8]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ap + 10]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, ci); c01.intoArray(c, ci + L); c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2*ldc); c21.intoArray(c, ci + 2*ldc + L); c30.intoArray(c, ci + 3*ldc); c31.intoArray(c, ci + 3*ldc + L);
    c40.intoArray(c, ci + 4*ldc); c41.intoArray(c, ci + 4*ldc + L); c50.intoArray(c, ci + 5*ldc); c51.intoArray(c, ci + 5*ldc + L);
  }
  static void r4v3(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc) {
    FloatVector c00,c01,c02,c10,c11,c12,c20,c21,c22,c30,c31,c32;
    c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + L); c02 = FloatVector.fromArray(S, c, ci + 2*L);
    c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + L); c12 = FloatVector.fromArray(S, c, ci + ldc + 2*L);
    c20 = FloatVector.fromArray(S, c, ci + 2*ldc); c21 = FloatVector.fromArray(S, c, ci + 2*ldc + L); c22 = FloatVector.fromArray(S, c, ci + 2*ldc + 2*L);
    c30 = FloatVector.fromArray(S, c, ci + 3*ldc); c31 = FloatVector.fromArray(S, c, ci + 3*ldc + L); c32 = FloatVector.fromArray(S, c, ci + 3*ldc + 2*L);
    int a0=ai,a1=ai+lda,a2=ai+2*lda,a3=ai+3*lda;
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * (3 * L);
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2*L);
      FloatVector av = FloatVector.broadcast(S, a[a0 + p]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
      av = FloatVector.broadcast(S, a[a1 + p]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
      av = FloatVector.broadcast(S, a[a2 + p]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
      av = FloatVector.broadcast(S, a[a3 + p]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
    }
    c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2*L);
    c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2*L);
    c20.intoArray(c, ci + 2*ldc); c21.intoArray(c, ci + 2*ldc + L); c22.intoArray(c, ci + 2*ldc + 2*L);
    c30.intoArray(c, ci + 3*ldc); c31.intoArray(c, ci + 3*ldc + L); c32.intoArray(c, ci + 3*ldc + 2*L);
  }
  static int ONE = 1;
  public static void main(String[] args) {
    int tiles=19,panels=16,kc=256,lda=272,ps=4112,ldc=1024, mr=6, nr=16;
    float[] a0=new float[tiles*mr*lda+64], ak=new float[tiles*12*kc+64], b0=new float[panels*ps+64], c0=new float[tiles*mr*ldc+64];
    for (int i=0;i<a0.length;i++) a0[i]=(i%7)*0.01f; for (int i=0;i<ak.length;i++) ak[i]=(i%7)*0.01f; for (int i=0;i<b0.length;i++) b0[i]=(i%5)*0.01f;
    String[] names={"rowA","kA6","kA12","kA1","r4v3"}; double[] sum=new double[5]; int R=Integer.parseInt(args[0]);
    for (int rep=0; rep<R; rep++) { StringBuilder sb=new StringBuilder();
      for (int v=0; v<5; v++) {
        long t0=System.nanoTime(); long calls=0;
        while (System.nanoTime()-t0 < 100_000_000L) { for (int t=0;t<tiles;t++) for (int j=0;j<panels;j++) {
            if (v==0) rowA(kc, a0, t*mr*lda, lda, b0, j*ps, c0, t*mr*ldc + j*nr, ldc);
            else if (v==1) kA(kc, ak, t*6*kc, 6, b0, j*ps, c0, t*mr*ldc + j*nr, ldc);
            else if (v==2) kA8(kc, ak, t*12*kc, 12, b0, j*ps, c0, t*mr*ldc + j*nr, ldc); else if (v==3) kA1(kc, ak, t*6*kc, ONE, b0, j*ps, c0, t*mr*ldc + j*nr, ldc); else if (j < 10) r4v3(kc, a0, t*mr*lda, lda, b0, j*ps*3/2, c0, t*mr*ldc + j*24, ldc); }
          calls+=tiles*panels; }
        if (v==4) calls = calls * 10 / 16 * 4 * 24 / (6 * 16);
        double g=2.0*mr*nr*kc*calls/(System.nanoTime()-t0); if(rep>=3) sum[v]+=g; sb.append(String.format(" %5.1f", g)); }
      if (rep < 6) System.out.println(sb); }
    StringBuilder sb=new StringBuilder("means:"); for(int v=0;v<5;v++) sb.append(String.format(" %s %.1f (%.3f);", names[v], sum[v]/(R-3), sum[v]/sum[0])); System.out.println(sb); } }

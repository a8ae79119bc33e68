public class Pk {
  static final int M=576, K=6400, KC=256, MC=120, LDA=272;
  // src: column-major A[i,p] at src[p*M + i]
  static void cur(float[] src, float[] dst, int i0, int h, int p0) {
    for (int p = 0; p < KC; p++) { int from = p0*M + p*M + i0;
      for (int r = 0, to = p; r < h; r++, to += LDA) dst[to] = src[from + r]; }
  }
  static void blocked(float[] src, float[] dst, int i0, int h, int p0, int PB) {
    for (int pb = 0; pb < KC; pb += PB) {
      for (int r = 0; r < h; r++) { int to = r*LDA + pb; int from = (p0+pb)*M + i0 + r;
        for (int p = 0; p < PB; p++) dst[to + p] = src[from + p*M]; }
    }
  }
  static void blocked4r(float[] src, float[] dst, int i0, int h, int p0) {
    // 4 rows x 8 steps at a time, unrolled
    for (int pb = 0; pb < KC; pb += 8) {
      for (int r = 0; r < h; r++) { int to = r*LDA + pb; int f = (p0+pb)*M + i0 + r;
        dst[to]=src[f]; dst[to+1]=src[f+M]; dst[to+2]=src[f+2*M]; dst[to+3]=src[f+3*M];
        dst[to+4]=src[f+4*M]; dst[to+5]=src[f+5*M]; dst[to+6]=src[f+6*M]; dst[to+7]=src[f+7*M]; }
    }
  }
  public static void main(String[] a) {
    float[] src = new float[M*K]; for (int i=0;i<src.length;i++) src[i]=i;
    float[] dst = new float[MC*LDA]; float[] ref = new float[MC*LDA];
    cur(src, ref, 120, 120, 512); blocked(src,dst,120,120,512,16); System.out.println("ok "+java.util.Arrays.equals(ref,dst));
    blocked4r(src,dst,120,120,512); System.out.println("ok "+java.util.Arrays.equals(ref,dst));
    for (int rep=0; rep<5; rep++) for (int v=0; v<5; v++) {
      long t0=System.nanoTime(); int n=0;
      while (System.nanoTime()-t0 < 300_000_000L) {
        for (int p0=0;p0<K;p0+=KC) for (int i0=0;i0<M;i0+=MC) {
          int h=Math.min(MC,M-i0); switch (v) { case 0 -> cur(src,dst,i0,h,p0); case 1 -> blocked(src,dst,i0,h,p0,8); case 2 -> blocked(src,dst,i0,h,p0,16);
            case 3 -> blocked4r(src,dst,i0,h,p0); default -> blocked(src,dst,i0,h,p0,32);} }
        n++;
      }
      double ms=(System.nanoTime()-t0)/1e6/n;
      System.out.printf("v%d %.2f ms per whole A (%.2f ns/float)%n", v, ms, ms*1e6/(M*(double)K));
    }
  }
}

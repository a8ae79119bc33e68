public class Stream {
  public static void main(String[] a) throws Exception {
    int n = 1<<24; // 64 MB per array
    int th = Integer.parseInt(a[0]);
    float[][] x = new float[th][n], y = new float[th][n];
    for (int r=0;r<5;r++){
      Thread[] ts = new Thread[th];
      long t0=System.nanoTime();
      for(int t=0;t<th;t++){ final int q=t; ts[t]=new Thread(()->{ float[] xx=x[q], yy=y[q]; for(int rep=0;rep<4;rep++) for(int i=0;i<n;i++) yy[i]=xx[i]*1.5f+yy[i];}); ts[t].start();}
      for(Thread t:ts) t.join();
      double s=(System.nanoTime()-t0)*1e-9;
      System.out.printf("threads %d: %.1f GB/s (read x,y write y)%n", th, th*4.0*n*12/s*1e-9);
    }
  }
}

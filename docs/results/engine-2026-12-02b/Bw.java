public class Bw { public static void main(String[] a) { float[] x = new float[32 << 20]; float[] y = new float[32 << 20]; for (int i=0;i<x.length;i++) x[i]=i%7;
  for (int r=0;r<8;r++){ long t0=System.nanoTime(); float s=0; for (int i=0;i<x.length;i++) s+=x[i]; long t1=System.nanoTime(); System.arraycopy(x,0,y,0,x.length); long t2=System.nanoTime();
  System.out.printf("sum %.2f ns/float (%.1f GB/s)  copy %.2f ns/float (%.1f GB/s read) %s%n",(t1-t0)/(double)x.length, 4.0*x.length/(t1-t0),(t2-t1)/(double)x.length,4.0*x.length/(t2-t1), s>0?"":" ");} } }

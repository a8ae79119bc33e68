package dev.mp3.tensor.cpu;
public class GeluBench {
  public static void main(String[] a) {
    int n = 6400*768; float[] x = new float[n], y = new float[n], g = new float[n], o = new float[n];
    java.util.Random r = new java.util.Random(1); for (int i=0;i<n;i++){x[i]=(float)r.nextGaussian(); g[i]=r.nextFloat();}
    int run = Integer.getInteger("run", 768);
    for (int rep=0; rep<6; rep++) {
      long t0=System.nanoTime();
      for (int s=0; s<n; s+=run) Gelu.forwardRun(x, s, 1, y, s, run);
      long t1=System.nanoTime();
      for (int s=0; s<n; s+=run) Gelu.backwardRun(x, s, 1, g, s, 1, o, s, run);
      long t2=System.nanoTime();
      for (int s=0; s<n; s+=run) VectorMath.expInPlace(y, s, run);
      long t3=System.nanoTime();
      System.out.printf("fwd %.2f ns/elem, bwd %.2f ns/elem, exp %.2f ns/elem%n", (t1-t0)/(double)n, (t2-t1)/(double)n, (t3-t2)/(double)n);
    }
  }
}

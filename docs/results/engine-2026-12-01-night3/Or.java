package dev.mp3.tensor.cpu;
// weight-gradient orientation: gemmPacked(false) vs gemmPacked(true), alternating 0.25 s windows
public class Or { public static void main(String[] a) { Parallel.setThreads(Integer.parseInt(a[0]));
 for (String s : a[1].split(",")) { String[] d=s.split(":")[0].split("x"); boolean tA=s.endsWith("tA"), tB=s.endsWith("tB");
 int m=Integer.parseInt(d[0]),k=Integer.parseInt(d[1]),n=Integer.parseInt(d[2]); float[] x=new float[m*k], y=new float[k*n], c=new float[m*n];
 for(int i=0;i<x.length;i++)x[i]=(i%7)*0.1f; for(int i=0;i<y.length;i++)y[i]=(i%5)*0.1f;
 double[] sum=new double[2]; StringBuilder sb=new StringBuilder();
 for (int r=0;r<10;r++) for (int v=0;v<2;v++) { long t0=System.nanoTime(); long calls=0;
   while(System.nanoTime()-t0<250_000_000L){GemmKernels.gemmPacked(v==1,m,n,k,x,tA,y,tB,c);calls++;}
   double g=2.0*m*n*k*calls/(System.nanoTime()-t0); if (r>=2) sum[v]+=g; }
 System.out.printf("%s (choose: %s): as is %.1f, transposed %.1f GFLOP/s (means of 8)%n", s, GemmKernels.kernelFor(m,n,k,tA,tB), sum[0]/8, sum[1]/8); } } }

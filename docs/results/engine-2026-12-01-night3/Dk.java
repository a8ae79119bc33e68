package dev.mp3.tensor.cpu;
// DirectGemm.multiply NN, m x n x k, data in L1/L2, one thread
public class Dk { public static void main(String[] a) {
  for (int rep=0; rep<2; rep++) for (String s : a[0].split(",")) { String[] d=s.split("x"); int m=Integer.parseInt(d[0]),n=Integer.parseInt(d[1]),k=Integer.parseInt(d[2]);
    boolean tA = d.length > 3 && d[3].equals("tA"), tB = d.length > 3 && d[3].equals("tB");
    float[] x=new float[m*k], y=new float[k*n], c=new float[m*n], scratch=new float[k*n]; for(int i=0;i<x.length;i++)x[i]=i%7; for(int i=0;i<y.length;i++)y[i]=i%5;
    GemmOperand A=GemmOperand.of(x,0,0,tA,m,k), B=GemmOperand.of(y,0,0,tB,k,n), C=GemmOperand.of(c,0,0,false,m,n);
    double best=0; for (int r=0;r<6;r++){ long t0=System.nanoTime(); long calls=0; while(System.nanoTime()-t0<200_000_000L){DirectGemm.multiply(0,m,n,k,A,B,C,scratch);calls++;}
      best=Math.max(best,2.0*m*n*k*calls/(System.nanoTime()-t0)); }
    if (rep==1) System.out.printf("%s: %.1f GFLOP/s%n", s, best); } } }

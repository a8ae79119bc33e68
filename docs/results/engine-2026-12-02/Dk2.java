package dev.mp3.tensor.cpu;
// DirectGemm.multiply NN/tA/tB on one shape, operands at float offsets 0..7 inside larger arrays, one thread
public class Dk2 { public static void main(String[] a) {
  String[] d=a[0].split("x"); int m=Integer.parseInt(d[0]),n=Integer.parseInt(d[1]),k=Integer.parseInt(d[2]);
  boolean tA = d.length > 3 && d[3].equals("tA"), tB = d.length > 3 && d[3].equals("tB");
  float[] x=new float[m*k+64], y=new float[k*n+64], c=new float[m*n+64], scratch=new float[16384]; for(int i=0;i<x.length;i++)x[i]=i%7; for(int i=0;i<y.length;i++)y[i]=i%5;
  for (int rep=0; rep<3; rep++) { StringBuilder sb=new StringBuilder(rep==2?"":"warm ");
   for (int off=0; off<8; off++) {
    String w=System.getProperty("which","ABC"); GemmOperand A=GemmOperand.of(x,w.contains("A")?off:0,0,tA,m,k), B=GemmOperand.of(y,w.contains("B")?off:0,0,tB,k,n), C=GemmOperand.of(c,w.contains("C")?off:0,0,false,m,n);
    double best=0; for (int r=0;r<3;r++){ long t0=System.nanoTime(); long calls=0; while(System.nanoTime()-t0<100_000_000L){DirectGemm.multiply(0,m,n,k,A,B,C,scratch);calls++;}
      best=Math.max(best,2.0*m*n*k*calls/(System.nanoTime()-t0)); }
    sb.append(String.format(" %5.1f", best)); }
   System.out.println(a[0]+sb); } } }

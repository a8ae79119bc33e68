package dev.mp3.tensor.cpu;
public class Ex { static volatile float sink; public static void main(String[] a) { int n=Integer.parseInt(a[0]); int rows=2500/n+1; float[] x=new float[rows*n], y=new float[rows*n]; for(int i=0;i<x.length;i++) x[i]=(float)Math.sin(i)*3;
 for (int r=0;r<8;r++){ long t0=System.nanoTime(); long el=0; float s=0; while(System.nanoTime()-t0<200_000_000L){ for(int i=0;i<rows;i++) s+=VectorMath.expShifted(x,i*n,0.5f,y,i*n,n); el+=(long)rows*n;} sink=s;
  if(r>=4) System.out.printf("n=%d: %.3f ns/element%n", n, (System.nanoTime()-t0)/(double)el); } } }

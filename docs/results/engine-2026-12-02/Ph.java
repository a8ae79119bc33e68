// an FMA loop's rate in 100 ms windows: does this host run in phases?
import jdk.incubator.vector.*;
public class Ph {
  static float run(long iters) { var S=FloatVector.SPECIES_256;
    FloatVector a0=FloatVector.broadcast(S,1),a1=a0,a2=a0,a3=a0,a4=a0,a5=a0,a6=a0,a7=a0,a8=a0,a9=a0,a10=a0,a11=a0;
    FloatVector x=FloatVector.broadcast(S,1.0000001f), y=FloatVector.broadcast(S,0.9999999f);
    for(long r=0;r<iters;r++){ a0=a0.fma(x,y);a1=a1.fma(x,y);a2=a2.fma(x,y);a3=a3.fma(x,y);a4=a4.fma(x,y);a5=a5.fma(x,y);a6=a6.fma(x,y);a7=a7.fma(x,y);a8=a8.fma(x,y);a9=a9.fma(x,y);a10=a10.fma(x,y);a11=a11.fma(x,y);}
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(VectorOperators.ADD); }
  public static void main(String[] a) {
  int secs=Integer.parseInt(a[0]); StringBuilder sb=new StringBuilder(); long end=System.nanoTime()+secs*1_000_000_000L; float s=0;
  while(System.nanoTime()<end){ long t0=System.nanoTime(); long n=0;
    while(System.nanoTime()-t0<100_000_000L){ s+=run(10000); n+=10000; }
    sb.append(String.format("%.0f ", 12*16.0*n/(System.nanoTime()-t0))); }
  System.out.println(sb); System.err.println(s); } }

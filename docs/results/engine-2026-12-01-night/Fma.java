import jdk.incubator.vector.*;
public class Fma {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static float run(long iters) {
    FloatVector a0=FloatVector.broadcast(S,1f),a1=a0,a2=a0,a3=a0,a4=a0,a5=a0,a6=a0,a7=a0,a8=a0,a9=a0,a10=a0,a11=a0;
    FloatVector x=FloatVector.broadcast(S,0.999999f), y=FloatVector.broadcast(S,1e-7f);
    for (long i=0;i<iters;i++){
      a0=x.fma(y,a0);a1=x.fma(y,a1);a2=x.fma(y,a2);a3=x.fma(y,a3);a4=x.fma(y,a4);a5=x.fma(y,a5);
      a6=x.fma(y,a6);a7=x.fma(y,a7);a8=x.fma(y,a8);a9=x.fma(y,a9);a10=x.fma(y,a10);a11=x.fma(y,a11);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(VectorOperators.ADD);
  }
  public static void main(String[] a) throws Exception {
    long it=200_000_000L; run(1000000); run(1000000);
    for (int rep=0;rep<3;rep++){
    for (int t: new int[]{1,2}) {
      Thread[] th=new Thread[t]; long t0=System.nanoTime();
      for(int i=0;i<t;i++){th[i]=new Thread(()->run(it));th[i].start();}
      for(Thread x:th)x.join();
      double s=(System.nanoTime()-t0)/1e9;
      System.out.printf("threads %d: %.1f GFLOP/s total%n", t, t*it*12.0*S.length()*2/s/1e9);
    }}
  }
}

import java.lang.invoke.*;
import java.net.*;
import java.nio.file.Path;
// attention forward+backward (B 64, H 4, N = M = n, d) for several builds, each in its own class loader, alternating 0.3 s windows; thread CPU time
public class At3 { public static void main(String[] a) throws Throwable {
  int threads=Integer.parseInt(a[0]); int rounds=Integer.parseInt(a[1]); int N=Integer.parseInt(a[2]), d=Integer.parseInt(a[3]); int nb=a.length-4;
  Class<?>[] harness=new Class<?>[nb];
  MethodHandle[] run=new MethodHandle[nb];
  for (int v=0;v<nb;v++){ ClassLoader cl=new URLClassLoader(new URL[]{Path.of(a[4+v]).toUri().toURL(), Path.of(System.getProperty("at3h", "at3h")).toUri().toURL()}, At3.class.getClassLoader().getParent());
    Class<?> h=Class.forName("dev.mp3.tensor.cpu.At3H",true,cl); h.getMethod("setup",int.class,int.class,int.class).invoke(null,threads,N,d);
    run[v]=MethodHandles.publicLookup().findStatic(h,"step",MethodType.methodType(void.class)); }
  double flops=2.0*64*4*N*N*d*7; double[] sum=new double[nb]; int cnt=0;
  for (int r=0;r<rounds;r++){ StringBuilder sb=new StringBuilder();
    for (int v=0;v<nb;v++){ long t0=System.nanoTime(); int n=0; while(System.nanoTime()-t0<300_000_000L){run[v].invokeExact();n++;} double g=flops*n/(System.nanoTime()-t0); if(r>=2){sum[v]+=g;} sb.append(String.format(" %6.1f",g)); }
    if (r>=2) cnt++; System.out.println(sb); }
  StringBuilder sb=new StringBuilder("means:"); for(int v=0;v<nb;v++) sb.append(String.format(" %s %.1f (%.2f)", Path.of(a[4+v]).getFileName(), sum[v]/cnt, sum[v]/sum[0])); System.out.println(sb);
} }

import java.lang.invoke.*;
import java.net.*;
import java.nio.file.Path;
public class Cpu {
  public static void main(String[] args) throws Throwable {
    int threads=Integer.parseInt(args[0]);
    ClassLoader cl = new URLClassLoader(new URL[]{Path.of(args[2]).toUri().toURL()}, Cpu.class.getClassLoader().getParent());
    Class<?> par = Class.forName("dev.mp3.tensor.cpu.Parallel", true, cl);
    par.getMethod("setThreads", int.class).invoke(null, threads);
    Class<?> g = Class.forName("dev.mp3.tensor.cpu.GemmKernels", true, cl);
    MethodHandle h = MethodHandles.publicLookup().findStatic(g, "gemm", MethodType.methodType(void.class,
      int.class, int.class, int.class, int.class, float[].class, int.class, int.class, boolean.class,
      float[].class, int.class, int.class, boolean.class, float[].class, int.class, int.class));
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (String s : args[1].split(",")) {
      String[] p=s.split(":"); String[] d=p[0].split("x");
      int m=Integer.parseInt(d[0]),k=Integer.parseInt(d[1]),n=Integer.parseInt(d[2]);
      boolean tA=p.length>1&&p[1].equals("tA"), tB=p.length>1&&p[1].equals("tB");
      float[] a=new float[m*k], b=new float[k*n], c=new float[m*n];
      for(int i=0;i<a.length;i++)a[i]=(i%7)*0.1f; for(int i=0;i<b.length;i++)b[i]=(i%5)*0.1f;
      for (int r=0;r<4;r++){
        long t0=System.nanoTime(), c0=os.getProcessCpuTime(); int calls=0;
        while(System.nanoTime()-t0<1_000_000_000L){ h.invokeExact(1,m,n,k,a,0,0,tA,b,0,0,tB,c,0,0); calls++; }
        double w=(System.nanoTime()-t0)*1e-9, cp=(os.getProcessCpuTime()-c0)*1e-9;
        System.out.printf("%s: %.1f GFLOP/s wall, cpu/wall %.2f, per-cpu-second %.1f GFLOP%n", s, 2.0*m*n*k*calls/w*1e-9, cp/w, 2.0*m*n*k*calls/cp*1e-9);
      }
    }
  }
}

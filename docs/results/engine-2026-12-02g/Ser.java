package dev.mp3.bench;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.Parallel;
import java.lang.management.*;
import java.util.Map;
public class Ser {
  static long gc(){long t=0; for (var b: ManagementFactory.getGarbageCollectorMXBeans()) t+=b.getCollectionTime(); return t;}
  public static void main(String[] a) {
    Map<String,String> opt = StepBench.parse(java.util.Arrays.copyOfRange(a,1,a.length));
    Parallel.setThreads(2);
    ViTConfig base = StepBench.config(opt);
    int batch = Integer.parseInt(opt.getOrDefault("batch","128"));
    StepBench.StepRunner r = new StepBench.StepRunner(base, a[0], batch, Device.CPU);
    for (int i=0;i<5;i++) r.step();
    ThreadMXBean tb = ManagementFactory.getThreadMXBean();
    for (int rep=0; rep<3; rep++) {
      java.util.Arrays.fill(Parallel.STATS,0);
      long c0 = tb.getCurrentThreadCpuTime(); long g0=gc(); var st=(com.sun.management.ThreadMXBean)tb; long a0=st.getCurrentThreadAllocatedBytes();
      long t0=System.nanoTime(); int steps=10;
      for (int i=0;i<steps;i++) r.step();
      long T=System.nanoTime()-t0; long C=tb.getCurrentThreadCpuTime()-c0; long G=gc()-g0; long A=st.getCurrentThreadAllocatedBytes()-a0;
      long[] s=Parallel.STATS;
      double ms=1e6*steps;
      System.out.printf("%s step %.1f ms (caller cpu %.1f): pooled ops %.1f ms (%d/step), inline ops %.1f ms (%d/step), outside ops %.1f ms; helper busy %.1f ms; caller waits for helper %.1f ms; gc %.1f ms; alloc %.1f MB/step; pool hits %.1f MB, misses %.1f MB%n",
        a[0], T/ms, C/ms, s[2]/ms, s[3]/steps, s[0]/ms, s[1]/steps, (T-s[0]-s[2])/ms, s[4]/ms, s[5]/ms, G*1e6/ms, A/1e6/steps, s[6]/1e6/steps, s[7]/1e6/steps);
    }
  }
}

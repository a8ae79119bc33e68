package dev.mp3.bench;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.cpu.*;
import java.util.*;
public class Alt {
  public static void main(String[] a) {
    Map<String,String> opt = StepBench.parse(Arrays.copyOfRange(a,2,a.length));
    Parallel.setThreads(2);
    double share = Double.parseDouble(a[1]);
    StepBench.StepRunner r = new StepBench.StepRunner(StepBench.config(opt), a[0], Integer.parseInt(opt.getOrDefault("batch","128")), Device.CPU);
    for (int i=0;i<3;i++) r.step();
    List<Double> ra = new ArrayList<>(), rb = new ArrayList<>();
    for (int round=0; round<8; round++) {
      for (int cfg=0; cfg<2; cfg++) {
        if (cfg==0) { MemoryScope.RECLAIM=false; ArrayPool.configure(0.25);} else { MemoryScope.RECLAIM=true; ArrayPool.configure(share);}
        r.step(); r.step();
        long t0=System.nanoTime(); for (int i=0;i<6;i++) r.step(); double t=(System.nanoTime()-t0)/6e6;
        (cfg==0?ra:rb).add(t);
      }
      System.out.printf("round %d: A %.1f ms  B %.1f ms  B/A %.3f%n", round, ra.get(round), rb.get(round), rb.get(round)/ra.get(round));
    }
    double[] q = new double[8]; for (int i=0;i<8;i++) q[i]=rb.get(i)/ra.get(i); Arrays.sort(q);
    System.out.printf("%s B/A median %.3f range %.3f-%.3f%n", a[0], (q[3]+q[4])/2, q[0], q[7]);
  }
}

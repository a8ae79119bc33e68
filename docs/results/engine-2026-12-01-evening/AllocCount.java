package dev.mp3.bench;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.Parallel;
import java.util.List;
public class AllocCount {
  public static void main(String[] a) throws Exception {
    Parallel.setThreads(2);
    var base = StepBench.config(StepBench.parse(new String[0]));
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (String mode : List.of("supervised", "mp3-eta0.75")) {
      var r = new StepBench.StepRunner(base, mode, 128, Device.parse("cpu"));
      for (int i = 0; i < 8; i++) {
      long b0 = mx.getTotalThreadAllocatedBytes(); long m0 = mx.getCurrentThreadAllocatedBytes();
      double t = r.step();
      System.out.printf("%s step %d: %.3f s, %.0f MB allocated (all threads), %.0f MB by the main thread%n", mode, i, t,
        (mx.getTotalThreadAllocatedBytes() - b0) / 1e6, (mx.getCurrentThreadAllocatedBytes() - m0) / 1e6);
      }
    }
  }
}

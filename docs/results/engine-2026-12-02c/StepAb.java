package dev.mp3.bench;

import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;
import java.util.Map;

// One JVM: steps alternate between KOUTER_ON true/false (ABBA); args: mode pairs [StepBench model args]
public class StepAb {
  public static void main(String[] args) {
    String mode = args[0]; int pairs = Integer.parseInt(args[1]);
    String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
    Map<String, String> opt = StepBench.parse(rest);
    int batch = Integer.parseInt(opt.getOrDefault("batch", "128"));
    Parallel.setThreads(2);
    ViTConfig base = StepBench.config(opt);
    StepBench.StepRunner r = new StepBench.StepRunner(base, mode, batch, Device.CPU);
    for (int i = 0; i < 4; i++) { GemmKernels.KOUTER_ON = i % 2 == 0; r.step(); }
    double on = 0, off = 0; StringBuilder sb = new StringBuilder();
    for (int p = 0; p < pairs; p++) {
      double a, b;
      if (p % 2 == 0) { GemmKernels.KOUTER_ON = true; a = r.step(); GemmKernels.KOUTER_ON = false; b = r.step(); }
      else { GemmKernels.KOUTER_ON = false; b = r.step(); GemmKernels.KOUTER_ON = true; a = r.step(); }
      on += a; off += b; sb.append(String.format(" %.2f", a / b));
    }
    System.out.printf("%s: k-outer %.4f s/step, packed %.4f s/step, on/off %.3f; pairs:%s%n", mode, on / pairs, off / pairs, on / off, sb);
  }
}

package dev.mp3.bench;

import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.GemmKernels;
import dev.mp3.tensor.cpu.Parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measurement build only: one StepBench model and mode, the weight gradients through a8d06b4's
 * KOuterGemm (A) and through the spans (B) switched inside one JVM, 6 timed steps each per round
 * after 2 untimed, 8 rounds; B/A per round. java ... dev.mp3.bench.AltK MODE [StepBench options]
 */
public class AltK {
    public static void main(String[] args) {
        Map<String, String> opt = StepBench.parse(Arrays.copyOfRange(args, 1, args.length));
        Parallel.setThreads(2);
        StepBench.StepRunner r = new StepBench.StepRunner(StepBench.config(opt), args[0],
                Integer.parseInt(opt.getOrDefault("batch", "128")), Device.CPU);
        for (int i = 0; i < 3; i++) {
            r.step();
        }
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        int rounds = 8;
        for (int round = 0; round < rounds; round++) {
            for (int cfg = 0; cfg < 2; cfg++) {
                GemmKernels.OLD_K_OUTER = cfg == 0;
                r.step();
                r.step();
                long t0 = System.nanoTime();
                for (int i = 0; i < 6; i++) {
                    r.step();
                }
                (cfg == 0 ? ta : tb).add((System.nanoTime() - t0) / 6e6);
            }
            System.out.printf("round %d: A %.1f ms  B %.1f ms  B/A %.3f%n", round, ta.get(round), tb.get(round),
                    tb.get(round) / ta.get(round));
        }
        double[] q = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            q[i] = tb.get(i) / ta.get(i);
        }
        Arrays.sort(q);
        System.out.printf("%s B/A median %.3f range %.3f-%.3f%n", args[0], (q[3] + q[4]) / 2, q[0], q[rounds - 1]);
    }
}

package dev.mp3.bench;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.Parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measurement build only: one StepBench model and mode, a view's backward starting from fresh zeros
 * (A, Var.RECYCLE false) or from recycled zero-filled arrays (B), switched inside one JVM; per round
 * 1 untimed and T timed steps each; B/A per round. java ... dev.mp3.bench.AltW MODE ROUNDS T [StepBench options]
 */
public class AltW {
    public static void main(String[] args) {
        Map<String, String> opt = StepBench.parse(Arrays.copyOfRange(args, 3, args.length));
        int rounds = Integer.parseInt(args[1]);
        int timed = Integer.parseInt(args[2]);
        Parallel.setThreads(2);
        StepBench.StepRunner r = new StepBench.StepRunner(StepBench.config(opt), args[0],
                Integer.parseInt(opt.getOrDefault("batch", "128")), Device.CPU);
        for (int i = 0; i < 3; i++) {
            r.step();
        }
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int c = 0; c < 2; c++) {
                boolean b = (c == 0) == (round % 2 == 1);   // ABBA
                Var.RECYCLE = b;
                r.step();
                long t0 = System.nanoTime();
                for (int i = 0; i < timed; i++) {
                    r.step();
                }
                (b ? tb : ta).add((System.nanoTime() - t0) / (timed * 1e6));
            }
            System.out.printf("round %d: A %.1f ms  B %.1f ms  B/A %.3f%n", round, ta.get(round), tb.get(round),
                    tb.get(round) / ta.get(round));
        }
        double[] q = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            q[i] = tb.get(i) / ta.get(i);
        }
        Arrays.sort(q);
        System.out.printf("%s B/A median %.3f range %.3f-%.3f%n", args[0], rounds % 2 == 0 ? (q[rounds / 2 - 1] + q[rounds / 2]) / 2 : q[rounds / 2], q[0], q[rounds - 1]);
    }
}

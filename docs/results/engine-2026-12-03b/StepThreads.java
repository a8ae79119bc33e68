package dev.mp3.bench;

import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.OpProfile;
import dev.mp3.tensor.cpu.Parallel;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.*;
import java.util.regex.*;

/** One mode's step, 1 and 2 threads alternating in blocks of steps in one JVM, OpProfile per thread count. */
public final class StepThreads {
    public static void main(String[] args) {
        Map<String, String> opt = StepBench.parse(args);
        int batch = Integer.parseInt(opt.getOrDefault("batch", "64"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "6"));
        String mode = opt.getOrDefault("mode", "mp3-eta0.75");
        ViTConfig base = StepBench.config(opt);
        StepBench.StepRunner runner = new StepBench.StepRunner(base, mode, batch, Device.CPU);
        Map<String, double[]> ms = new LinkedHashMap<>();
        double[] stepTotal = new double[3];
        Pattern line = Pattern.compile("^(\\s*\\S.*?)\\s{2,}([\\d.]+)\\s+(\\d+)\\s+([\\d.]+)%");
        for (int round = -1; round < rounds; round++) {
            for (int w = 0; w < 2; w++) {
                int threads = ((round + w) & 1) + 1;
                Parallel.setThreads(threads);
                runner.step();
                OpProfile.reset();
                long t0 = System.nanoTime();
                runner.step();
                runner.step();
                long total = System.nanoTime() - t0;
                if (round < 0) continue;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                OpProfile.print(new PrintStream(bytes), total, 2);
                for (String l : bytes.toString().split("\n")) {
                    Matcher m = line.matcher(l);
                    if (m.find()) ms.computeIfAbsent(m.group(1), k -> new double[3])[threads] += Double.parseDouble(m.group(2)) / rounds;
                }
                stepTotal[threads] += total / 2e6 / rounds;
            }
        }
        System.out.printf("%s, batch %d: step %.1f ms (1 thread), %.1f ms (2 threads), speed-up %.2f; %d rounds of 2 steps each%n",
                mode, batch, stepTotal[1], stepTotal[2], stepTotal[1] / stepTotal[2], rounds);
        System.out.println("op, ms/step 1 thread, 2 threads, speed-up, 2-thread ms over half the 1-thread ms");
        ms.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[2] - b.getValue()[1] / 2, a.getValue()[2] - a.getValue()[1] / 2))
                .limit(30).forEach(e -> System.out.printf("%-62s %8.2f %8.2f %5.2f %7.2f%n", e.getKey(), e.getValue()[1], e.getValue()[2],
                        e.getValue()[1] / e.getValue()[2], e.getValue()[2] - e.getValue()[1] / 2));
    }
}

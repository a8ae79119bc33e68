package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.nn.Adam;
import dev.mp3.nn.Losses;
import dev.mp3.method.PositionMask;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.speech.SpeechData;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.speech.TinySpeech;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.cpu.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The speech training step time (batch 256 by default): one update of the paper's speech
 * Transformer (forward, cross entropy, backward, Adam, loss read back), supervised and MP3, median
 * of the timed steps after warm-up, fresh random features each step; then the training front end
 * (augmentation + MFCC of one batch); then, in the same invocation, the PyTorch twin
 * (speech_step.py, Debian's python3-torch at /usr/bin/python3) on the same shapes and threads.
 * Skipped unless -Dspeech.bench=true:
 *
 * <pre>
 * mvn -q -pl mp3 -am test -Dtest=SpeechStepBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dspeech.bench=true [-Dspeech.bench.batch=256] [-Dspeech.bench.steps=7] [-Dspeech.bench.threads=2]
 * </pre>
 */
class SpeechStepBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void stepTime() throws Exception {
        assumeTrue(Boolean.getBoolean("speech.bench"), "speech step benchmark: run with -Dspeech.bench=true");
        int batch = Integer.getInteger("speech.bench.batch", 256);
        int steps = Integer.getInteger("speech.bench.steps", 7);
        int warmup = Integer.getInteger("speech.bench.warmup", 3);
        int threads = Integer.getInteger("speech.bench.threads", 2);
        Parallel.setThreads(threads);
        SpeechConfig paper = SpeechConfig.paper().withFrames(98);
        System.out.printf("speech step benchmark: batch %d, %d threads, median of %d steps after %d warm-up%n", batch,
                threads, steps, warmup);
        Map<String, Double> ours = new LinkedHashMap<>();
        ours.put("supervised", ourStep(paper, false, batch, warmup, steps));
        ours.put("mp3", ourStep(PositionPrediction.pretrainingModel(paper), true, batch, warmup, steps));
        ours.forEach((mode, s) -> System.out.printf("  ours    %-10s %.3f s/step  %.0f clips/s%n", mode, s, batch / s));

        SpeechSplit train = SpeechData.load(TinySpeech.write(dir.resolve("speech")),
                dev.mp3.speech.SpeechDataConfig.TC_RESNET, 0).train();
        int[] indices = new int[batch];
        for (int i = 0; i < batch; i++) {
            indices[i] = i % train.size();
        }
        double[] front = new double[warmup + steps];
        for (int i = 0; i < front.length; i++) {
            long t0 = System.nanoTime();
            train.batch(indices, new Rng(i));
            front[i] = (System.nanoTime() - t0) / 1e9;
        }
        System.out.printf("  ours    front end  %.3f s/batch (augmentation + MFCC)%n",
                median(Arrays.copyOfRange(front, warmup, front.length)));

        Path script = dir.resolve("speech_step.py");
        try (var in = getClass().getResourceAsStream("speech_step.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--batch", String.valueOf(batch),
                "--steps", String.valueOf(steps), "--warmup", String.valueOf(warmup), "--threads",
                String.valueOf(threads)).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && ours.containsKey(f[0])) {
                    double s = Double.parseDouble(f[1]);
                    System.out.printf("  pytorch %-10s %.3f s/step  %.0f clips/s  (ours / pytorch = %.1f)%n", f[0], s,
                            batch / s, ours.get(f[0]) / s);
                } else {
                    System.out.println("  pytorch: " + line);
                }
            }
        }
        p.waitFor();
    }

    private static double ourStep(SpeechConfig config, boolean mp3, int batch, int warmup, int steps) {
        SpeechTransformer model = new SpeechTransformer(config, new Rng(1));
        Adam adam = new Adam(model.namedParameters(), Adam.Config.adam());
        Rng rng = new Rng(2);
        Tensor labels = Tensor.ofInts(new int[batch], batch);
        double[] times = new double[warmup + steps];
        for (int i = 0; i < times.length; i++) {
            Tensor x = rng.normal(0f, 1f, batch, config.frames(), config.features());
            Tensor mask = mp3 ? PositionMask.sample(rng, batch, config.frames(), 0.05f) : null;
            long t0 = System.nanoTime();
            Var loss = mp3 ? PositionPrediction.loss(PositionPrediction.logits(model, x, mask),
                    PositionPrediction.targets(batch, config.frames(), Device.CPU), 0f)
                    : Losses.crossEntropy(model.classify(x, mask), labels, 0.1f);
            assertThat(Double.isFinite(loss.item())).isTrue();
            loss.backward();
            adam.step(1e-3f);
            adam.zeroGrad();
            times[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(Arrays.copyOfRange(times, warmup, times.length));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

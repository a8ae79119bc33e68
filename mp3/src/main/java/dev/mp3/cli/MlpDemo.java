package dev.mp3.cli;

import dev.mp3.autograd.Grad;
import dev.mp3.autograd.Var;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A first run of the engine: a two-layer GELU MLP learns three interleaved spirals (generated
 * points, so nothing to download) with plain gradient descent, printing the loss as it falls.
 */
@Command(name = "mlp-demo", mixinStandardHelpOptions = true, description = "Train a small MLP on generated spirals and print the loss falling.")
final class MlpDemo implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--steps", defaultValue = "600", description = "Gradient steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden width (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--lr", defaultValue = "0.5", description = "Learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    private static final int CLASSES = 3;
    private static final int PER_CLASS = 200;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Rng rng = new Rng(seed);
        int n = CLASSES * PER_CLASS;
        float[] points = new float[n * 2];
        int[] labels = new int[n];
        float[] noise = rng.normal(0f, 0.2f, n).toFloatArray();
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < PER_CLASS; i++) {
                int k = c * PER_CLASS + i;
                double r = (double) i / PER_CLASS;
                double theta = c * 2 * Math.PI / CLASSES + 4 * r + noise[k];
                points[2 * k] = (float) (r * Math.cos(theta));
                points[2 * k + 1] = (float) (r * Math.sin(theta));
                labels[k] = c;
            }
        }
        Var x = Var.constant(Tensor.of(points, n, 2));
        Tensor y = Tensor.ofInts(labels, n);

        Var w1 = Var.param(rng.normal(0f, (float) Math.sqrt(2.0 / 2), hidden, 2));
        Var b1 = Var.param(Tensor.zeros(hidden));
        Var w2 = Var.param(rng.normal(0f, (float) Math.sqrt(1.0 / hidden), CLASSES, hidden));
        Var b2 = Var.param(Tensor.zeros(CLASSES));
        List<Var> params = List.of(w1, b1, w2, b2);

        out.printf("MLP 2 -> %d -> %d on %d spiral points, %d steps of gradient descent (lr %.2f)%n",
                hidden, CLASSES, n, steps, lr);
        long start = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            Var loss = x.linear(w1, b1).gelu().linear(w2, b2).crossEntropy(y, 0f).mean();
            loss.backward();
            for (Var p : params) {
                p.value().axpyInPlace(-lr, p.grad());
                p.zeroGrad();
            }
            if (step == 1 || step % 50 == 0 || step == steps) {
                out.printf("step %4d  loss %.4f%n", step, loss.item());
            }
        }
        float accuracy;
        try (var off = Grad.disabled()) {
            int[] predicted = x.linear(w1, b1).gelu().linear(w2, b2).value().argmax(-1).toIntArray();
            int correct = 0;
            for (int i = 0; i < n; i++) {
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
            accuracy = (float) correct / n;
        }
        out.printf("training accuracy %.1f%%, %.1f s%n", 100 * accuracy, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}

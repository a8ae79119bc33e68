package dev.mp3.autograd;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks the gradients of a function against central finite differences. The function's output is
 * projected onto a fixed random direction r, L(x) = sum_i f(x)_i r_i, accumulated in double
 * precision; each input element is perturbed by ±h and (L(x+h) - L(x-h)) / 2h is compared with the
 * analytic gradient from {@link Var#backward(Tensor)} seeded with r.
 *
 * <pre>{@code
 * GradCheck.of(in -> in.get(0).matmul(in.get(1)), a, b).check();
 * }</pre>
 * Inputs may live on any device; the check itself reads values back to the host.
 */
public final class GradCheck {
    private final Function<List<Var>, Var> f;
    private final Tensor[] inputs;
    private double step = 1e-2;
    private double rtol = 1e-2;
    private double atol = 1e-3;
    private long seed = 7;

    private GradCheck(Function<List<Var>, Var> f, Tensor[] inputs) {
        this.f = f;
        this.inputs = inputs;
    }

    public static GradCheck of(Function<List<Var>, Var> f, Tensor... inputs) {
        return new GradCheck(f, inputs);
    }

    /** Finite-difference step h. */
    public GradCheck step(double h) {
        this.step = h;
        return this;
    }

    /** Passes when |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|). */
    public GradCheck tolerance(double rtol, double atol) {
        this.rtol = rtol;
        this.atol = atol;
        return this;
    }

    public GradCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Runs the check; throws AssertionError naming the input, element and both values on failure. */
    public void check() {
        List<Var> vars = new ArrayList<>();
        for (Tensor t : inputs) {
            vars.add(Var.param(t));
        }
        Var out = f.apply(vars);
        Tensor direction = new Rng(seed).uniform(-1f, 1f, out.shape()).to(out.value().device());
        out.backward(direction);
        float[] r = direction.toFloatArray();

        for (int k = 0; k < inputs.length; k++) {
            Tensor g = vars.get(k).grad();
            float[] analytic = g == null ? new float[inputs[k].numel()] : g.toFloatArray();
            float[] x = inputs[k].toFloatArray();
            for (int i = 0; i < x.length; i++) {
                // The float inputs cannot hold x ± h exactly: divide by the step actually taken.
                double actual = (double) (float) (x[i] + step) - (double) (float) (x[i] - step);
                double numeric = (project(k, x, i, step, r) - project(k, x, i, -step, r)) / actual;
                double err = Math.abs(analytic[i] - numeric);
                if (err > atol + rtol * Math.max(Math.abs(analytic[i]), Math.abs(numeric))) {
                    throw new AssertionError(String.format(
                            "gradient check failed for input %d %s at flat index %d: analytic %.6g, numeric %.6g (|diff| %.3g)",
                            k, inputs[k], i, analytic[i], numeric, err));
                }
            }
        }
    }

    /** L with input k's element i shifted by delta, in double precision. */
    private double project(int k, float[] x, int i, double delta, float[] r) {
        float[] shifted = x.clone();
        shifted[i] = (float) (x[i] + delta);
        List<Var> vars = new ArrayList<>();
        for (int j = 0; j < inputs.length; j++) {
            Tensor t = j == k ? Tensor.of(shifted, inputs[j].shape()).to(inputs[j].device()) : inputs[j];
            vars.add(Var.constant(t));
        }
        float[] y;
        try (var off = Grad.disabled()) {
            y = f.apply(vars).value().toFloatArray();
        }
        double sum = 0;
        for (int j = 0; j < y.length; j++) {
            sum += (double) y[j] * r[j];
        }
        return sum;
    }
}

package dev.mp3.nn;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019). With decoupled weight decay
 * (AdamW) each decayed parameter shrinks by lr * weightDecay before the Adam step; otherwise (Adam)
 * weightDecay * param is added to the gradient. Parameters whose {@link Parameter#weightDecay()} is
 * false (biases, norms, cls token, position tables) get no decay, as in timm's param groups.
 *
 * <p>{@link #step} (and {@link #queue}, its form that does not wait for the device) is the single path
 * from gradients to weights: the {@link GradientHook} (a future all-reduce), then clipping and the
 * update of all parameters in one {@link Tensor#adamStep}: on the CPU exactly {@link GradClip} and
 * one fused Adam kernel per parameter, on OpenCL a few multi-tensor kernels with no read-back. The moment
 * estimates and the step count are exported by {@link #stateDict} so a resumed run continues
 * exactly.
 */
public final class Adam implements Optimizer {

    /**
     * @param beta1       first-moment decay (0.9)
     * @param beta2       second-moment decay (0.999; MAE-style recipes use 0.95)
     * @param eps         added to the denominator (1e-8)
     * @param weightDecay decay coefficient
     * @param decoupled   true for AdamW, false for Adam with L2 folded into the gradient
     * @param maxGradNorm clip the total gradient norm to this; 0 for no clipping
     */
    public record Config(float beta1, float beta2, float eps, float weightDecay, boolean decoupled, float maxGradNorm) {
        public Config {
            Require.that(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, () -> "Adam: betas (" + beta1 + ", " + beta2
                    + ") must lie in [0, 1)");
            Require.that(eps > 0 && weightDecay >= 0 && maxGradNorm >= 0, "Adam: eps must be positive and weight decay"
                    + " and gradient clipping non-negative");
        }

        /** Plain Adam with PyTorch's defaults, as the paper's speech experiments. */
        public static Config adam() {
            return new Config(0.9f, 0.999f, 1e-8f, 0f, false, 0f);
        }

        /** AdamW with the given decoupled weight decay. */
        public static Config adamW(float weightDecay) {
            return new Config(0.9f, 0.999f, 1e-8f, weightDecay, true, 0f);
        }

        public Config withBetas(float b1, float b2) {
            return new Config(b1, b2, eps, weightDecay, decoupled, maxGradNorm);
        }

        public Config withClipping(float maxNorm) {
            return new Config(beta1, beta2, eps, weightDecay, decoupled, maxNorm);
        }
    }

    private final Map<String, Parameter> params;
    private final Config config;
    private final Map<String, Tensor> expAvg = new LinkedHashMap<>();
    private final Map<String, Tensor> expAvgSq = new LinkedHashMap<>();
    private GradientHook hook = GradientHook.NONE;
    private long steps;

    /** Optimises the given parameters, usually {@code model.namedParameters()}. */
    public Adam(Map<String, Parameter> params, Config config) {
        this.params = new LinkedHashMap<>(params);
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public void setGradientHook(GradientHook hook) {
        this.hook = hook;
    }

    @Override
    public long steps() {
        return steps;
    }

    /**
     * One update with learning rate lr: hook, clipping (if configured), then Adam on every parameter
     * that has a gradient. Returns the gradient norm before clipping (NaN when clipping is off, to
     * spare the read-back); a norm that is not finite leaves every parameter as it was and throws.
     */
    public double step(float lr) {
        Update update = queue(lr, null);
        if (config.maxGradNorm() <= 0) {
            return Double.NaN;
        }
        update.read();
        return update.checkedNorm();
    }

    /**
     * The update of {@link #step}, queued on the parameters' device without waiting for it (one
     * {@link Tensor#adamStep} for all parameters): on a device backend nothing comes back to the host
     * until {@link Update#read}. With a {@code guard} (usually the loss, one element) the update
     * applies only when the guard is finite, and {@link Update#read} brings its value back with the
     * gradient norm in the same read; a norm or guard that is not finite leaves every parameter as
     * it was (the step count still advances).
     */
    @Override
    public Update queue(float lr, Tensor guard) {
        hook.apply(params);
        steps++;
        float bias1 = (float) (1.0 - Math.pow(config.beta1(), steps));
        float bias2 = (float) (1.0 - Math.pow(config.beta2(), steps));
        List<Tensor> values = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        List<Tensor> ms = new ArrayList<>();
        List<Tensor> vs = new ArrayList<>();
        List<Boolean> decays = new ArrayList<>();
        for (var e : params.entrySet()) {
            Parameter p = e.getValue();
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            Tensor value = p.value();
            values.add(value);
            grads.add(g);
            ms.add(moments(expAvg, e.getKey(), value));
            vs.add(moments(expAvgSq, e.getKey(), value));
            decays.add(p.weightDecay());
        }
        if (values.isEmpty()) {
            // Nothing to update: the norm of no gradient is 0, as GradClip.totalNorm says.
            float norm = config.maxGradNorm() > 0 ? 0f : Float.NaN;
            return new Update(Tensor.of(new float[] {norm, guard == null ? Float.NaN : guard.item()}, 2),
                    config.maxGradNorm() > 0);
        }
        boolean[] decayed = new boolean[decays.size()];
        for (int i = 0; i < decayed.length; i++) {
            decayed[i] = decays.get(i);
        }
        return new Update(Tensor.adamStep(values, grads, ms, vs, decayed, lr, config.beta1(), config.beta2(), config.eps(),
                config.weightDecay(), config.decoupled(), bias1, bias2, config.maxGradNorm(), guard), config.maxGradNorm() > 0);
    }

    /**
     * A parameter's moment estimate, created as zeros, and kept on the parameter's device (models move).
     * It outlives the step's {@link MemoryScope} that creates it in the first update.
     */
    private static Tensor moments(Map<String, Tensor> state, String name, Tensor value) {
        Tensor t = state.get(name);
        if (t == null) {
            t = MemoryScope.keep(value.zerosLike());
        } else if (!t.device().equals(value.device())) {
            t = MemoryScope.keep(t.to(value.device()));
        }
        state.put(name, t);
        return t;
    }

    @Override
    public void zeroGrad() {
        for (Parameter p : params.values()) {
            p.zeroGrad();
        }
    }

    // ---------------------------------------------------------------- checkpoint state

    /**
     * "step" (I32 [1]) and, for each parameter that has been updated, "{name}.exp_avg" and
     * "{name}.exp_avg_sq" (PyTorch's names for the moments). The tensors are the live state.
     */
    @Override
    public Map<String, Tensor> stateDict() {
        Require.that(steps <= Integer.MAX_VALUE, () -> "Adam: step count " + steps + " does not fit the I32 state");
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("step", Tensor.ofInts(new int[] {(int) steps}, 1));
        for (String name : params.keySet()) {
            if (expAvg.containsKey(name)) {
                out.put(name + ".exp_avg", expAvg.get(name));
                out.put(name + ".exp_avg_sq", expAvgSq.get(name));
            }
        }
        return out;
    }

    /** Restores {@link #stateDict}; every moment must name a parameter of this optimizer and match its shape. */
    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        Tensor step = state.get("step");
        Require.that(step != null && step.dtype() == DType.I32 && step.numel() == 1,
                "Adam.loadStateDict: missing or malformed 'step' (expected an I32 tensor of one element)");
        Map<String, Tensor> m = new LinkedHashMap<>();
        Map<String, Tensor> v = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            String key = e.getKey();
            if (key.equals("step")) {
                continue;
            }
            boolean first = key.endsWith(".exp_avg");
            boolean second = key.endsWith(".exp_avg_sq");
            Require.that(first || second, () -> "Adam.loadStateDict: unexpected entry '" + key + "'");
            String name = key.substring(0, key.length() - (first ? ".exp_avg" : ".exp_avg_sq").length());
            Parameter p = params.get(name);
            Require.that(p != null, () -> "Adam.loadStateDict: '" + key + "' names no parameter of this optimizer");
            Require.that(Arrays.equals(e.getValue().shape(), p.shape()) && e.getValue().dtype() == DType.F32,
                    () -> "Adam.loadStateDict: '" + key + "' has shape " + Shape.str(e.getValue().shape()) + " "
                            + e.getValue().dtype() + ", parameter '" + name + "' needs F32 " + Shape.str(p.shape()));
            Tensor copy = MemoryScope.keep(e.getValue().to(p.value().device()).copy());
            (first ? m : v).put(name, copy);
        }
        Require.that(m.keySet().equals(v.keySet()), "Adam.loadStateDict: exp_avg and exp_avg_sq name different parameters");
        expAvg.clear();
        expAvg.putAll(m);
        expAvgSq.clear();
        expAvgSq.putAll(v);
        steps = step.toIntArray()[0];
    }
}

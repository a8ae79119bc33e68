package dev.mp3.nn;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, as PyTorch's {@code torch.optim.SGD}
 * (dampening 0, not Nesterov) and TensorFlow's {@code MomentumOptimizer} with an L2 regulariser of
 * the weights compute it (TC-ResNet's recipe):
 *
 * <pre>
 *   d   = grad + weightDecay * param      (decay only where {@link Parameter#weightDecay()})
 *   buf = momentum * buf + d              (buf = d at the first update)
 *   param -= lr * buf
 * </pre>
 *
 * <p>Built from the tensor's in-place operations, so it runs on every backend. The guard (the loss)
 * is read on the host before anything changes: a loss that is not finite leaves the weights and
 * the momentum as they were (the step count still advances, as {@link Adam}'s does).
 */
public final class Sgd implements Optimizer {

    /**
     * @param momentum    0.9 in TC-ResNet's recipe; 0 is plain SGD
     * @param weightDecay L2 coefficient folded into the gradient (TC-ResNet: 1e-3)
     */
    public record Config(float momentum, float weightDecay) {
        public Config {
            Require.that(momentum >= 0 && momentum < 1 && weightDecay >= 0, () -> "SGD: momentum must lie in [0, 1) and"
                    + " weight decay be non-negative, got " + momentum + " and " + weightDecay);
        }
    }

    private final Map<String, Parameter> params;
    private final Config config;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private GradientHook hook = GradientHook.NONE;
    private long steps;

    /** Optimises the given parameters, usually {@code model.namedParameters()}. */
    public Sgd(Map<String, Parameter> params, Config config) {
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

    @Override
    public Update queue(float lr, Tensor guard) {
        hook.apply(params);
        steps++;
        float g = guard == null ? Float.NaN : guard.item();
        Update update = new Update(Tensor.of(new float[] {Float.NaN, g}, 2), false);
        if (guard != null && !Float.isFinite(g)) {
            return update;
        }
        for (var e : params.entrySet()) {
            Parameter p = e.getValue();
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            Tensor value = p.value();
            Tensor d = config.weightDecay() > 0 && p.weightDecay() ? grad.add(value.mul(config.weightDecay())) : grad;
            Tensor buf = buffers.get(e.getKey());
            if (config.momentum() == 0) {
                value.axpyInPlace(-lr, d);
                continue;
            }
            if (buf == null) {
                buf = MemoryScope.keep(d.copy());  // state: outlives the step's memory scope
            } else {
                if (!buf.device().equals(value.device())) {
                    buf = MemoryScope.keep(buf.to(value.device()));
                }
                buf.scaleInPlace(config.momentum());
                buf.axpyInPlace(1f, d);
            }
            buffers.put(e.getKey(), buf);
            value.axpyInPlace(-lr, buf);
        }
        return update;
    }

    @Override
    public void zeroGrad() {
        for (Parameter p : params.values()) {
            p.zeroGrad();
        }
    }

    /** "step" (I32 [1]) and "{name}.momentum_buffer" for each parameter updated so far (PyTorch's name). */
    @Override
    public Map<String, Tensor> stateDict() {
        Require.that(steps <= Integer.MAX_VALUE, () -> "SGD: step count " + steps + " does not fit the I32 state");
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("step", Tensor.ofInts(new int[] {(int) steps}, 1));
        for (var e : buffers.entrySet()) {
            out.put(e.getKey() + ".momentum_buffer", e.getValue());
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        Tensor step = state.get("step");
        Require.that(step != null && step.dtype() == DType.I32 && step.numel() == 1,
                "SGD.loadStateDict: missing or malformed 'step' (expected an I32 tensor of one element)");
        Map<String, Tensor> loaded = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            String key = e.getKey();
            if (key.equals("step")) {
                continue;
            }
            Require.that(key.endsWith(".momentum_buffer"), () -> "SGD.loadStateDict: unexpected entry '" + key
                    + "' (an SGD state holds 'step' and '{parameter}.momentum_buffer'; is this an Adam checkpoint?)");
            String name = key.substring(0, key.length() - ".momentum_buffer".length());
            Parameter p = params.get(name);
            Require.that(p != null, () -> "SGD.loadStateDict: '" + key + "' names no parameter of this optimizer");
            Require.that(Arrays.equals(e.getValue().shape(), p.shape()) && e.getValue().dtype() == DType.F32,
                    () -> "SGD.loadStateDict: '" + key + "' has shape " + Shape.str(e.getValue().shape()) + " "
                            + e.getValue().dtype() + ", parameter '" + name + "' needs F32 " + Shape.str(p.shape()));
            loaded.put(name, MemoryScope.keep(e.getValue().to(p.value().device()).copy()));
        }
        buffers.clear();
        buffers.putAll(loaded);
        steps = step.toIntArray()[0];
    }
}

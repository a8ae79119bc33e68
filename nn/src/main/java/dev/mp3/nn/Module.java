package dev.mp3.nn;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or model: named parameters and buffers of its own, named child modules, and a training
 * flag. Full names join the path with dots, in PyTorch's order (a module's own tensors first, then
 * each child's in registration order), so {@code blocks.3.attn.qkv.weight} here is the same tensor
 * as in timm and a state dict maps one to one.
 *
 * <p>Forward methods are not part of this class: each layer has its own signature.
 */
public abstract class Module {
    private final Map<String, Parameter> own = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private Rng noise;

    // ---------------------------------------------------------------- registration (constructors)

    protected final Parameter parameter(String name, Tensor init, boolean weightDecay) {
        return register(name, Parameter.trainable(init, weightDecay));
    }

    protected final Parameter buffer(String name, Tensor value) {
        return register(name, Parameter.buffer(value));
    }

    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private Parameter register(String name, Parameter p) {
        checkName(name);
        own.put(name, p);
        return p;
    }

    private void checkName(String name) {
        Require.that(!name.isEmpty() && !name.contains(".") && !own.containsKey(name) && !children.containsKey(name),
                () -> getClass().getSimpleName() + ": bad or duplicate member name '" + name + "'");
    }

    // ---------------------------------------------------------------- traversal

    /** Trainable parameters by full name, in PyTorch's order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, true);
        return Collections.unmodifiableMap(out);
    }

    /** Parameters and buffers by full name: what a checkpoint holds. */
    public final Map<String, Parameter> namedTensors() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, false);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Parameter> out, boolean trainableOnly) {
        own.forEach((name, p) -> {
            if (p.trainable() || !trainableOnly) {
                out.put(prefix + name, p);
            }
        });
        children.forEach((name, m) -> m.collect(prefix + name + ".", out, trainableOnly));
    }

    /** This module and all below it, depth first. */
    private List<Module> modules() {
        List<Module> out = new ArrayList<>();
        out.add(this);
        for (Module m : children.values()) {
            out.addAll(m.modules());
        }
        return out;
    }

    /** Total number of trainable elements. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    // ---------------------------------------------------------------- mode and randomness

    /** Training mode for this module and all below it, drawing dropout masks from {@code noise}. */
    public final Module train(Rng noise) {
        for (Module m : modules()) {
            m.training = true;
            m.noise = noise;
        }
        return this;
    }

    /** Training mode, keeping the noise source set last (models set one when they are built). */
    public final Module train() {
        return train(noise);
    }

    /** Evaluation mode: dropout and drop-path become the identity. */
    public final Module eval() {
        for (Module m : modules()) {
            m.training = false;
        }
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Where stochastic layers draw their masks. One generator is shared by a whole model, so a
     * training loop that owns it (and stores its counter in a checkpoint) resumes exactly.
     */
    protected final Rng noise() {
        if (noise == null) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + ": training mode needs a noise source for its random masks; call train(Rng) first");
        }
        return noise;
    }

    // ---------------------------------------------------------------- devices and gradients

    /** Moves every parameter and buffer to a device (gradients are dropped). */
    public Module to(Device device) {
        for (Parameter p : namedTensors().values()) {
            p.moveTo(device);
        }
        return this;
    }

    public final void zeroGrad() {
        for (Parameter p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    // ---------------------------------------------------------------- state dict

    /** Every parameter and buffer by full name (the live tensors, not copies). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedTensors().forEach((name, p) -> out.put(name, p.value()));
        return out;
    }

    /** Names the model has but the state dict lacked, and names the state dict had that the model lacks. */
    public record LoadResult(List<String> missing, List<String> unexpected) {}

    /**
     * Copies tensors into this model's parameters and buffers by name. Shapes and dtypes must match
     * exactly; a mismatch names the tensor and both shapes. With {@code strict}, any missing or
     * unexpected name is an error as well; otherwise they are returned (finetuning loads a
     * pretrained encoder without its position head into a model with a classifier).
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Parameter> mine = namedTensors();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (String name : mine.keySet()) {
            if (!state.containsKey(name)) {
                missing.add(name);
            }
        }
        for (String name : state.keySet()) {
            if (!mine.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (strict && !(missing.isEmpty() && unexpected.isEmpty())) {
            throw new IllegalArgumentException("loadStateDict: " + getClass().getSimpleName()
                    + " state does not match; missing " + missing + ", unexpected " + unexpected);
        }
        // Check everything before changing anything, so a bad checkpoint leaves the model intact.
        for (var e : mine.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) {
                continue;
            }
            int[] expected = e.getValue().shape();
            if (!Arrays.equals(t.shape(), expected)) {
                throw new IllegalArgumentException("loadStateDict: tensor '" + e.getKey() + "' has shape "
                        + Shape.str(t.shape()) + " in the state dict, but the model expects " + Shape.str(expected));
            }
            if (t.dtype() != DType.F32) {
                throw new IllegalArgumentException("loadStateDict: tensor '" + e.getKey() + "' is " + t.dtype()
                        + " in the state dict, but the model expects F32");
            }
        }
        for (var e : mine.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t != null) {
                e.getValue().load(t);
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }
}

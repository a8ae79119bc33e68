package dev.mp3.nn;

import dev.mp3.autograd.GradCheck;
import dev.mp3.autograd.Var;
import dev.mp3.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finite-difference check of a module's gradients with respect to its input and every trainable
 * parameter: the parameters are bound to the Vars GradCheck perturbs, then restored.
 */
final class ModuleGradCheck {
    private ModuleGradCheck() {}

    static void check(Module module, Function<Var, Var> forward, Tensor input) {
        List<Parameter> params = new ArrayList<>(module.namedParameters().values());
        Tensor[] inputs = new Tensor[params.size() + 1];
        inputs[0] = input;
        List<Var> originals = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            inputs[i + 1] = params.get(i).value().copy();
            originals.add(params.get(i).var());
        }
        try {
            GradCheck.of(in -> {
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).bind(in.get(i + 1));
                }
                return forward.apply(in.get(0));
            }, inputs).check();
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).bind(originals.get(i));
            }
        }
    }
}

package dev.mp3.nn;

import java.util.Map;

/**
 * Runs on the gradients after backward and before clipping and the update: the one place where
 * data-parallel training would all-reduce them across devices or processes.
 */
@FunctionalInterface
public interface GradientHook {
    GradientHook NONE = params -> { };

    /** May replace or modify each parameter's gradient in place. */
    void apply(Map<String, Parameter> params);
}

package dev.mp3.tensor;

import java.util.function.Supplier;

/**
 * Preconditions on arguments: shapes, ranges, settings. A failed one is an
 * {@link IllegalArgumentException} whose message names the operation, what was wrong and what was
 * expected, in one line.
 *
 * <p>A message assembled from values is passed as a {@link Supplier}, built only when the check
 * fails: the checks run on every op of a training step, and building their messages eagerly
 * (shapes formatted into strings, then dropped) cost about 1.5 % of the step at the demo's model
 * size, serial time on the caller thread (JFR, BENCHMARKS.md "2026-12-02 (later)").
 */
public final class Require {
    private Require() {}

    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public static void that(boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new IllegalArgumentException(message.get());
        }
    }
}

package dev.mp3.tensor;

/**
 * Preconditions on arguments: shapes, ranges, settings. A failed one is an
 * {@link IllegalArgumentException} whose message names the operation, what was wrong and what was
 * expected, in one line.
 */
public final class Require {
    private Require() {}

    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

package dev.mp3.autograd;

/**
 * Whether ops record the graph on this thread. Evaluation code turns recording off:
 * <pre>{@code try (var off = Grad.disabled()) { logits = model.forward(x); } }</pre>
 */
public final class Grad {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private Grad() {}

    public static boolean enabled() {
        return ENABLED.get();
    }

    /** A scope without graph recording; closing it restores the previous state. */
    public static Scope disabled() {
        boolean previous = ENABLED.get();
        ENABLED.set(Boolean.FALSE);
        return () -> ENABLED.set(previous);
    }

    /** An AutoCloseable whose close() does not throw. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

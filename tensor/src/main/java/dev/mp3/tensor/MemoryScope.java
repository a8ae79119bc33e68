package dev.mp3.tensor;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Explicit lifetime for device memory: the storages a device backend allocates on this thread while
 * a scope is open are released together when it closes, not when the garbage collector finds them
 * unreachable. A training step opens one ({@code try (MemoryScope step = MemoryScope.open()) {...}});
 * its batch, activations, gradients and scratch tensors give their device buffers back at the end of
 * the step, so memory stays flat without a collection.
 *
 * <p>Tensors that must outlive the scope (optimizer state made in the first step, caches, copies of
 * the best weights) are {@link #keep kept}: they leave every scope and are reclaimed, as tensors made
 * outside any scope are, by the garbage collector. A released tensor used again throws an
 * {@link IllegalStateException} naming it; its memory is never read after another tensor took it.
 *
 * <p>A scope bounds a storage's lifetime from above: one that becomes unreachable earlier may still be
 * reclaimed earlier by the garbage collector (the backend's fallback near its memory limit). What the
 * collector takes before the scope closes can still come back at the close: a storage may leave a
 * {@link Storage#reclaimer reclaimer} that does not hold it, and the scope runs it for every storage
 * the collector has taken. (The CPU backend's arrays come back this way: a step's short-lived
 * outputs, unreachable long before the step ends, are most of its arrays.)
 *
 * <p>Scopes are confined to the thread that opened them and nest: a storage belongs to the innermost
 * scope open when it was allocated, and scopes close innermost first. On the CPU backend only large op
 * outputs (arrays the op overwrites entirely) join: their arrays go back to a pool for the next step's
 * outputs of the same length, which spares the JVM's zeroing of fresh arrays. Small CPU tensors,
 * uploads and zero-filled allocations never join and behave exactly as without scopes.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope parent;
    private final Thread thread;
    /** Weakly held: a storage that becomes unreachable inside the scope may still go back early through
     *  the backend's garbage-collector fallback; the scope releases the rest at once when it closes,
     *  and runs the reclaimers of those the collector took. */
    private final List<Member> storages = new ArrayList<>();
    private boolean closed;

    /** A storage of this scope, weakly held, and what gives its memory back if the collector takes it. */
    private static final class Member extends WeakReference<Storage> {
        final Runnable reclaimer;

        Member(Storage storage) {
            super(storage);
            this.reclaimer = storage.reclaimer();
        }
    }

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
        this.thread = Thread.currentThread();
    }

    /** Opens a scope on this thread, nested in the one already open (if any). */
    public static MemoryScope open() {
        MemoryScope scope = new MemoryScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** The innermost scope open on this thread, or null. */
    public static MemoryScope current() {
        return CURRENT.get();
    }

    /**
     * Takes {@code tensor}'s storage (and so every view of it) out of the scope that would release
     * it: it lives until it is unreachable, like a tensor made outside any scope. Returns the tensor;
     * a no-op for storages in no scope.
     */
    public static Tensor keep(Tensor tensor) {
        tensor.storage().scope = null;
        return tensor;
    }

    /** Called by a device storage as it is created: it joins this thread's innermost open scope, if any. */
    static void register(Storage storage) {
        MemoryScope scope = CURRENT.get();
        if (scope != null) {
            storage.scope = scope;
            scope.storages.add(new Member(storage));
        }
    }

    /** How many storages this scope would release if it closed now (those not kept). */
    public int size() {
        int n = 0;
        for (Member member : storages) {
            Storage s = member.get();
            n += s != null && s.scope == this ? 1 : 0;
        }
        return n;
    }

    /**
     * Releases every storage allocated in this scope and not kept, runs the reclaimers of those the
     * collector has taken, and makes the enclosing scope current again. Closing twice does nothing;
     * closing on another thread, or while a scope opened inside this one is still open, throws.
     *
     * <p>A taken storage's memory is safe to hand out again here: nothing can reach the storage, so no
     * tensor will read it again; only an operation still running could (its arrays in hand), and the
     * thread whose scope this is, which made the storage, is between operations.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("MemoryScope: closed on thread " + Thread.currentThread().getName()
                    + " but opened on " + thread.getName() + "; a scope belongs to the thread that opened it");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("MemoryScope: closed while a scope opened inside it is still open;"
                    + " close the inner scope first (try-with-resources does)");
        }
        closed = true;
        if (parent == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(parent);
        }
        for (Member member : storages) {
            Storage s = member.get();
            if (s != null && s.scope == this) {
                s.scope = null;
                s.release();
            } else if (s == null && member.reclaimer != null) {
                member.reclaimer.run();
            }
        }
        storages.clear();
    }
}

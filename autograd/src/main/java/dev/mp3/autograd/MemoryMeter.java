package dev.mp3.autograd;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Storage;
import dev.mp3.tensor.Tensor;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the bytes of a set of tensor storages, each storage once, however many tensors (views) or
 * graph nodes refer to it: a deterministic measure of memory, computed from the engine's own
 * objects rather than from the garbage collector (whose "bytes not yet collected" depends on when
 * it last ran) or from a device's buffer pool (which gets buffers back only after a collection).
 *
 * <p><b>What the step's peak is taken to be.</b> A tensor is counted as live while it is reachable
 * from the training step's variables. In reverse-mode AD the step's memory peaks when the forward
 * pass ends and backward starts: every activation a backward rule needs is still held by the graph,
 * on top of the model's state. {@link #addGraph(Var)} therefore adds everything the graph below a
 * loss holds at that point:
 * <ul>
 *   <li>the value of every node and leaf reachable through the parents (activations, parameters,
 *       inputs, masks, targets), and any gradient already present on them;</li>
 *   <li>the tensors captured by the nodes' backward rules (layer norm's mean and reciprocal standard
 *       deviation, attention's log-sum-exp, contiguous copies of q, k, v, index tensors, ...), found by
 *       reading the fields of each rule object (a lambda) with reflection: tensors, Vars, records,
 *       arrays and collections of them, and other objects of this project's packages.</li>
 * </ul>
 * A training step adds to that the model's parameters, the optimizer's moments and, after
 * backward, the parameters' gradients ({@link #add(Tensor)}), giving "parameters + gradients +
 * optimizer state + activations kept for backward". This leaves out the short-lived temporaries
 * inside an op (workspaces, a rule's intermediate results, interior gradients during backward,
 * which are released as backward walks the graph), so it is the memory a step needs to hold, not
 * a high-water mark of an allocator; it is the same number on every device and every run.
 *
 * <p>Nothing here is on the hot path: ops and backward() do no accounting. A meter costs one walk
 * of the graph (and reflection on each rule) when someone asks for it, and holds references to the
 * storages it counted until it is dropped.
 */
public final class MemoryMeter {

    private final Set<Storage> storages = Collections.newSetFromMap(new IdentityHashMap<>());
    private long bytes;

    /** The bytes of one storage: elements times the element size. */
    public static long bytes(Storage s) {
        return (long) s.size() * s.dtype().bytes();
    }

    /** Adds a tensor's whole storage (a view counts its storage, once); null is ignored. */
    public MemoryMeter add(Tensor t) {
        if (t != null) {
            addStorage(t.storage());
        }
        return this;
    }

    /** Adds each tensor's storage. */
    public MemoryMeter addAll(Collection<Tensor> tensors) {
        for (Tensor t : tensors) {
            add(t);
        }
        return this;
    }

    /** Adds a Var's value and its gradient, if it has one; not the graph below it. */
    public MemoryMeter add(Var v) {
        if (v != null) {
            add(v.value());
            add(v.grad());
        }
        return this;
    }

    /**
     * Adds everything the graph below {@code root} holds (see the class comment): values and
     * gradients of every node and leaf it reaches, and the tensors its backward rules captured.
     * After backward() only the root's own value (and leaves still referenced elsewhere) remain, since
     * backward releases the graph.
     */
    public MemoryMeter addGraph(Var root) {
        new Walk().run(root);
        return this;
    }

    /** The bytes of the storages added so far, each counted once. */
    public long bytes() {
        return bytes;
    }

    /** How many distinct storages were added. */
    public int storages() {
        return storages.size();
    }

    private void addStorage(Storage s) {
        if (s != null && storages.add(s)) {
            bytes += bytes(s);
        }
    }

    /** One graph walk: Vars to visit, and objects already scanned (rules share captured objects). */
    private final class Walk {
        private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private final ArrayDeque<Object> pending = new ArrayDeque<>();

        void run(Var root) {
            pending.push(root);
            while (!pending.isEmpty()) {
                scan(pending.pop());
            }
        }

        private void scan(Object o) {
            if (o == null || !seen.add(o)) {
                return;
            }
            switch (o) {
                case Tensor t -> addStorage(t.storage());
                case Storage s -> addStorage(s);
                case Var v -> {
                    add(v.value());
                    add(v.grad());
                    Var[] parents = v.meterParents();
                    if (parents != null) {
                        Collections.addAll(pending, parents);
                    }
                    push(v.meterRule());
                }
                case Backend b -> { }
                case Object[] array -> {
                    for (Object e : array) {
                        push(e);
                    }
                }
                case Collection<?> c -> c.forEach(this::push);
                case Map<?, ?> m -> m.values().forEach(this::push);
                default -> {
                    if (ownObject(o)) {
                        for (Object field : fields(o)) {
                            push(field);
                        }
                    }
                }
            }
        }

        private void push(Object o) {
            if (o != null && !seen.contains(o)) {
                pending.push(o);
            }
        }
    }

    /** Objects whose fields may hold tensors: this project's classes (rules are lambdas of Var) and records. */
    private static boolean ownObject(Object o) {
        Class<?> c = o.getClass();
        if (c.isEnum() || c.isPrimitive() || c.isArray()) {
            return false;
        }
        return c.getName().startsWith("dev.mp3.") || c.isRecord();
    }

    /** The values of an object's instance fields that are objects (the captured variables, for a lambda). */
    private static List<Object> fields(Object o) {
        List<Object> out = new ArrayList<>();
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    out.add(f.get(o));
                } catch (InaccessibleObjectException | IllegalAccessException e) {
                    throw new IllegalStateException("MemoryMeter: cannot read " + f + " of a backward rule to count the"
                            + " tensors it holds", e);
                }
            }
        }
        return out;
    }
}

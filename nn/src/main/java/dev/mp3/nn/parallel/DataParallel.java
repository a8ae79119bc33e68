package dev.mp3.nn.parallel;

import dev.mp3.autograd.Var;
import dev.mp3.nn.GradientHook;
import dev.mp3.nn.Parameter;
import dev.mp3.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * Data-parallel gradients: every rank of a {@link Collective} computes the gradient of its shard
 * of the global batch (the mean loss over its B / N examples), and this hook replaces each
 * parameter's gradient by the mean over the ranks: the gradient of the mean loss over all B
 * examples, the one a single process with batch B would compute (up to float summation order).
 *
 * <p>Gradients travel in buckets, as in PyTorch's DistributedDataParallel: the parameters, in the
 * reverse of the model's order (the order backward completes them, head first), are cut into
 * groups of about {@code bucketBytes}, each summed with one call. With overlap on, a bucket's sum
 * starts (non-blocking) the moment backward has completed its last gradient ({@link #ready}, wired
 * to {@link Var#backward(java.util.function.Consumer)}), so communication runs while backward
 * computes the earlier layers; every later {@link #ready} lets the started sums progress (an MPI
 * without a progress thread advances only inside MPI calls). {@link #apply}, the optimizer's
 * gradient hook, starts what is left, waits for everything and writes the means back.
 *
 * <p>One object serves every step: {@link #ready} calls of a step must be followed by
 * {@link #apply} before the next step's. A parameter no gradient reached on this rank sends zeros;
 * it gets the mean of the others only if some rank had a gradient for it (every rank runs the same
 * graph, so in practice a parameter has a gradient everywhere or nowhere, and nowhere keeps it
 * without one, as a single process would).
 */
public final class DataParallel implements GradientHook, AutoCloseable {

    /** The measured cost of the communication so far: see {@link #stats}. */
    public record Stats(long steps, double exposedSeconds, double packSeconds, long bytesPerStep, int buckets) {
        /** Seconds per step the training thread spent in {@link #apply}: communication backward did not hide. */
        public double exposedPerStep() {
            return steps == 0 ? Double.NaN : exposedSeconds / steps;
        }
    }

    private record Slot(Parameter param, Var var, int bucket, long offset, int numel) {}

    private final class Bucket {
        final MemorySegment floats;
        final List<Slot> slots = new ArrayList<>();
        int waiting;
        Collective.Pending pending;

        Bucket(MemorySegment floats) {
            this.floats = floats;
        }
    }

    private final Collective group;
    private final boolean overlap;
    private final Arena arena = Arena.ofShared();
    private final List<Bucket> buckets = new ArrayList<>();
    private final Map<Var, Slot> slots = new IdentityHashMap<>();
    private final long totalBytes;
    private long steps;
    private double exposedSeconds;
    private double packSeconds;

    /**
     * @param group       the ranks to average over
     * @param params      the model's trainable parameters (its {@code namedParameters()})
     * @param bucketBytes about how many bytes of gradients one sum carries (the last parameter of a
     *                    bucket may take it past; a parameter larger than this is a bucket alone)
     * @param overlap     start each bucket's sum during backward; false sums every bucket after it
     */
    public DataParallel(Collective group, Map<String, Parameter> params, long bucketBytes, boolean overlap) {
        if (bucketBytes <= 0) {
            throw new IllegalArgumentException("data parallel: bucket size must be positive, got " + bucketBytes + " bytes");
        }
        this.group = group;
        this.overlap = overlap;
        List<Parameter> order = new ArrayList<>(params.values());
        java.util.Collections.reverse(order);
        List<List<Parameter>> groups = new ArrayList<>();
        List<Parameter> current = new ArrayList<>();
        long bytes = 0;
        long total = 0;
        for (Parameter p : order) {
            current.add(p);
            bytes += 4L * p.value().numel();
            total += 4L * p.value().numel();
            if (bytes >= bucketBytes) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        for (List<Parameter> g : groups) {
            long n = 0;
            for (Parameter p : g) {
                n += p.value().numel();
            }
            Bucket b = new Bucket(arena.allocate(JAVA_FLOAT, n));
            long offset = 0;
            for (Parameter p : g) {
                Slot s = new Slot(p, p.var(), buckets.size(), offset, (int) p.value().numel());
                b.slots.add(s);
                slots.put(p.var(), s);
                offset += s.numel;
            }
            b.waiting = b.slots.size();
            buckets.add(b);
        }
        this.totalBytes = total;
    }

    /** The group this hook averages over. */
    public Collective group() {
        return group;
    }

    /**
     * Backward has completed {@code leaf}'s gradient: with overlap on, the leaf's bucket starts its
     * sum once it is the bucket's last, and the sums already started progress.
     */
    public void ready(Var leaf) {
        if (!overlap) {
            return;
        }
        Slot s = slots.get(leaf);
        if (s != null) {
            Bucket b = buckets.get(s.bucket);
            if (--b.waiting == 0 && b.pending == null) {
                start(b);
            }
        }
        for (Bucket b : buckets) {
            if (b.pending != null) {
                b.pending.test();
            }
        }
    }

    /** Replaces every gradient by its mean over the ranks (the optimizer calls this before clipping). */
    @Override
    public void apply(Map<String, Parameter> params) {
        long t0 = System.nanoTime();
        for (Bucket b : buckets) {
            if (b.pending == null) {
                start(b);
            }
        }
        float scale = 1f / group.size();
        for (Bucket b : buckets) {
            b.pending.await();
            b.pending = null;
            b.waiting = b.slots.size();
            long u0 = System.nanoTime();
            for (Slot s : b.slots) {
                Parameter p = s.param;
                float[] mean = new float[s.numel];
                MemorySegment.copy(b.floats, JAVA_FLOAT, s.offset * 4, mean, 0, s.numel);
                boolean any = false;
                for (int i = 0; i < mean.length; i++) {
                    mean[i] *= scale;
                    any |= mean[i] != 0f;
                }
                Tensor grad = p.grad();
                if (grad != null) {
                    grad.copyFrom(Tensor.of(mean, p.value().shape()).to(grad.device()));
                } else if (any) {
                    p.setGrad(Tensor.of(mean, p.value().shape()).to(p.value().device()));
                }
            }
            packSeconds += (System.nanoTime() - u0) / 1e9;
        }
        steps++;
        exposedSeconds += (System.nanoTime() - t0) / 1e9;
    }

    /** The mean of one number (say, the loss) over the ranks. */
    public double mean(double value) {
        float[] s = group.sum(new float[] {(float) value});
        return s[0] / group.size();
    }

    /** Communication measured since construction. */
    public Stats stats() {
        return new Stats(steps, exposedSeconds, packSeconds, totalBytes, buckets.size());
    }

    /** Frees the buckets' native memory. */
    @Override
    public void close() {
        arena.close();
    }

    /** Copies the bucket's gradients (zeros where none) into its native buffer and starts their sum. */
    private void start(Bucket b) {
        long t0 = System.nanoTime();
        for (Slot s : b.slots) {
            Tensor g = s.param.grad();
            if (g == null) {
                b.floats.asSlice(s.offset * 4, s.numel * 4L).fill((byte) 0);
            } else {
                MemorySegment.copy(g.toFloatArray(), 0, b.floats, JAVA_FLOAT, s.offset * 4, s.numel);
            }
        }
        packSeconds += (System.nanoTime() - t0) / 1e9;
        b.pending = group.startSumInPlace(b.floats);
    }
}

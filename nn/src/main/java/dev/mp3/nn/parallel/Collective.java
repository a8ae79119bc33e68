package dev.mp3.nn.parallel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The few collective operations data-parallel training needs, over a group of processes ("ranks")
 * that each hold a replica of the model: rank and size, a barrier, a broadcast, and sums of float
 * buffers across the group, blocking or started now and awaited later.
 *
 * <p>Buffers are {@link MemorySegment}s in native memory (an {@link Arena}'s), the kind a native
 * library such as MPI can read and write while the caller goes on: a non-blocking sum keeps using
 * its buffer until {@link Pending#await()} returns. {@link #single()} is the group of one process,
 * where every operation leaves the data as it is; the engine runs on it unchanged when no MPI is
 * installed. The Open MPI implementation is {@code dev.mp3.mpi.MpiCollective}.
 */
public interface Collective extends AutoCloseable {

    /** This process's number in the group, 0 to size() - 1. Rank 0 writes files and reports. */
    int rank();

    /** The number of processes in the group. */
    int size();

    /** This process's number among those on the same machine (which GPU it takes). */
    int localRank();

    /** The number of processes on this machine (how many share its cores and memory). */
    int localSize();

    /** Returns once every rank has called it. */
    void barrier();

    /** Replaces {@code bytes} on every rank by root's. */
    void broadcast(MemorySegment bytes, int root);

    /** Replaces {@code floats} (F32, native byte order) by their elementwise sum over all ranks. */
    void sumInPlace(MemorySegment floats);

    /**
     * Starts {@link #sumInPlace} and returns at once; {@code floats} must stay untouched until
     * {@link Pending#await()} returns.
     */
    Pending startSumInPlace(MemorySegment floats);

    /** The smallest and the largest of {@code value} over all ranks, as {min, max}. */
    long[] minMax(long value);

    /** Stops every rank of the group (after a failure on this one); does not return. */
    void abort(int exitCode);

    /** Leaves the group; the last call this object takes. */
    @Override
    void close();

    /** A sum started by {@link #startSumInPlace}. */
    interface Pending {
        /** Lets the operation progress; true once it has completed. */
        boolean test();

        /** Returns when the operation has completed and its buffer holds the sum. */
        void await();
    }

    /** Whether this is a group of more than one process. */
    default boolean distributed() {
        return size() > 1;
    }

    /** Broadcasts one double from root. */
    default double broadcast(double value, int root) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ValueLayout.JAVA_DOUBLE);
            s.set(ValueLayout.JAVA_DOUBLE, 0, value);
            broadcast(s, root);
            return s.get(ValueLayout.JAVA_DOUBLE, 0);
        }
    }

    /** The elementwise sum of {@code values} over all ranks (a copy; the array is left as it is). */
    default float[] sum(float[] values) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
            sumInPlace(s);
            return s.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    /** The group of this process alone. */
    static Collective single() {
        return SingleProcess.INSTANCE;
    }
}

package dev.mp3.mpi;

import dev.mp3.nn.parallel.Collective;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The processes of {@code MPI_COMM_WORLD} as a {@link Collective}: one per rank that
 * {@code mpirun -np N} or Slurm's {@code srun} started. All calls come from the thread that
 * created it (MPI_THREAD_FUNNELED).
 */
public final class MpiCollective implements Collective {
    private final Mpi mpi;
    private final int rank;
    private final int size;
    private final int localRank;
    private final int localSize;
    private boolean closed;

    private MpiCollective(Mpi mpi, Map<String, String> env) {
        this.mpi = mpi;
        this.rank = mpi.rank(mpi.commWorld);
        this.size = mpi.size(mpi.commWorld);
        this.localRank = envInt(env, rank, "OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID", "MPI_LOCALRANKID");
        this.localSize = envInt(env, size, "OMPI_COMM_WORLD_LOCAL_SIZE", "SLURM_NTASKS_PER_NODE", "MPI_LOCALNRANKS");
    }

    /** Initialises MPI (once per process) and joins the world communicator. */
    public static MpiCollective world() {
        Mpi mpi = Mpi.load();
        if (!mpi.initialized()) {
            mpi.init();
        }
        return new MpiCollective(mpi, System.getenv());
    }

    /**
     * Whether this process was started by an MPI launcher: Open MPI's mpirun sets
     * OMPI_COMM_WORLD_SIZE, a PMIx launcher such as Slurm's srun --mpi=pmix sets PMIX_RANK.
     */
    public static boolean launchedByMpi(Map<String, String> env) {
        return env.containsKey("OMPI_COMM_WORLD_SIZE") || env.containsKey("PMIX_RANK");
    }

    /** The binding this collective calls. */
    public Mpi mpi() {
        return mpi;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int localRank() {
        return localRank;
    }

    @Override
    public int localSize() {
        return localSize;
    }

    @Override
    public void barrier() {
        mpi.barrier(mpi.commWorld);
    }

    @Override
    public void broadcast(MemorySegment bytes, int root) {
        requireNative(bytes, "broadcast");
        if (root < 0 || root >= size) {
            throw new IllegalArgumentException("broadcast: root " + root + " is not a rank of this group of " + size);
        }
        mpi.broadcast(bytes, count(bytes.byteSize(), "broadcast"), mpi.byteType, root, mpi.commWorld);
    }

    @Override
    public void sumInPlace(MemorySegment floats) {
        requireNative(floats, "sum");
        mpi.allreduceInPlace(floats, floatCount(floats), mpi.floatType, mpi.sum, mpi.commWorld);
    }

    @Override
    public Pending startSumInPlace(MemorySegment floats) {
        requireNative(floats, "sum");
        int count = floatCount(floats);
        // The request handle and the test flag live as long as the operation: freed at await().
        Arena arena = Arena.ofConfined();
        MemorySegment request = arena.allocate(ADDRESS);
        MemorySegment flag = arena.allocate(JAVA_INT);
        mpi.iallreduceInPlace(floats, count, mpi.floatType, mpi.sum, mpi.commWorld, request);
        return new Pending() {
            private boolean done;

            @Override
            public boolean test() {
                if (!done && mpi.test(request, flag)) {
                    finish();
                }
                return done;
            }

            @Override
            public void await() {
                if (!done) {
                    mpi.await(request);
                    finish();
                }
            }

            private void finish() {
                done = true;
                arena.close();
            }
        };
    }

    @Override
    public long[] minMax(long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lo = arena.allocate(JAVA_LONG);
            MemorySegment hi = arena.allocate(JAVA_LONG);
            lo.set(JAVA_LONG, 0, value);
            hi.set(JAVA_LONG, 0, value);
            mpi.allreduceInPlace(lo, 1, mpi.int64Type, mpi.min, mpi.commWorld);
            mpi.allreduceInPlace(hi, 1, mpi.int64Type, mpi.max, mpi.commWorld);
            return new long[] {lo.get(JAVA_LONG, 0), hi.get(JAVA_LONG, 0)};
        }
    }

    @Override
    public void abort(int exitCode) {
        System.err.flush();
        System.out.flush();
        mpi.abort(mpi.commWorld, exitCode);
        // MPI_Abort does not return; if an implementation did, stop this process at least.
        Runtime.getRuntime().halt(exitCode);
    }

    @Override
    public void close() {
        if (!closed && !mpi.finalized()) {
            closed = true;
            mpi.finish();
        }
    }

    @Override
    public String toString() {
        return "MPI rank " + rank + " of " + size + " (" + mpi.library() + ")";
    }

    private static int floatCount(MemorySegment floats) {
        if (floats.byteSize() % JAVA_FLOAT.byteSize() != 0) {
            throw new IllegalArgumentException("sum: a buffer of " + floats.byteSize() + " bytes is not whole floats");
        }
        return count(floats.byteSize() / JAVA_FLOAT.byteSize(), "sum");
    }

    private static int count(long n, String op) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + n + " elements exceed MPI's int count; split the buffer");
        }
        return (int) n;
    }

    private static void requireNative(MemorySegment s, String op) {
        if (!s.isNative()) {
            throw new IllegalArgumentException(op + ": MPI needs native memory (an Arena's segment), not a segment"
                    + " over a Java array");
        }
    }

    private static int envInt(Map<String, String> env, int fallback, String... names) {
        for (String name : names) {
            String v = env.get(name);
            if (v != null) {
                try {
                    return Integer.parseInt(v.trim());
                } catch (NumberFormatException ignored) {
                    // SLURM_NTASKS_PER_NODE may read "2(x3)"; try the next name
                }
            }
        }
        return fallback;
    }
}

package dev.mp3.nn.parallel;

import java.lang.foreign.MemorySegment;

/** The group of one: every collective leaves the data as it is. */
final class SingleProcess implements Collective {
    static final SingleProcess INSTANCE = new SingleProcess();

    private static final Pending DONE = new Pending() {
        @Override
        public boolean test() {
            return true;
        }

        @Override
        public void await() {
        }
    };

    private SingleProcess() {
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public int localRank() {
        return 0;
    }

    @Override
    public int localSize() {
        return 1;
    }

    @Override
    public void barrier() {
    }

    @Override
    public void broadcast(MemorySegment bytes, int root) {
        requireRoot(root);
    }

    @Override
    public void sumInPlace(MemorySegment floats) {
    }

    @Override
    public Pending startSumInPlace(MemorySegment floats) {
        return DONE;
    }

    @Override
    public long[] minMax(long value) {
        return new long[] {value, value};
    }

    @Override
    public void abort(int exitCode) {
        System.exit(exitCode);
    }

    @Override
    public void close() {
    }

    private static void requireRoot(int root) {
        if (root != 0) {
            throw new IllegalArgumentException("broadcast: root " + root + " is not a rank of a one-process group");
        }
    }

    @Override
    public String toString() {
        return "single process";
    }
}

package dev.mp3.bench;

import dev.mp3.mpi.Mpi;
import dev.mp3.mpi.MpiCollective;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * All-reduce bandwidth through this project's MPI bindings ({@link MpiCollective#sumInPlace}, an
 * in-place MPI_Allreduce of floats over native memory), with exactly the sizes, repetitions and
 * timing of the C program {@code bench/mpi/allreduce.c}; {@code bench/mpi-bench.sh} runs both in
 * the same session and prints their ratio. Run under {@code mpirun -np N}; prints
 * "floats seconds_per_call" per size from rank 0, then "call seconds": one MPI_Comm_rank, a call
 * without communication, through the bindings (the C program measures the same call from C).
 */
public final class AllreduceBench {
    public static void main(String[] args) {
        double minSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
        try (MpiCollective group = MpiCollective.world(); Arena arena = Arena.ofConfined()) {
            // Warm-up, the same as the C side's: one second of small sums (the JIT compiles the path).
            MemorySegment small = arena.allocate(JAVA_FLOAT, 1024);
            long until = System.nanoTime() + 1_000_000_000L;
            boolean more = true;
            while (more) {
                group.sumInPlace(small);
                more = group.broadcast(System.nanoTime() < until ? 1 : 0, 0) != 0;
            }
            for (long n = 1024; n <= 64L * 1024 * 1024; n *= 4) {
                MemorySegment buf = arena.allocate(JAVA_FLOAT, n);
                for (long i = 0; i < n; i++) {
                    buf.setAtIndex(JAVA_FLOAT, i, i % 7);
                }
                group.barrier();
                long t = System.nanoTime();
                for (int w = 0; w < 3; w++) {
                    group.sumInPlace(buf);
                }
                double once = (System.nanoTime() - t) / 1e9 / 3;
                int reps = (int) Math.min(100_000, Math.max(5, minSeconds / Math.max(once, 1e-9)));
                reps = (int) group.broadcast(reps, 0);
                group.barrier();
                t = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    group.sumInPlace(buf);
                }
                double per = (System.nanoTime() - t) / 1e9 / reps;
                if (group.rank() == 0) {
                    System.out.printf("%d %.9f%n", n, per);
                    System.out.flush();
                }
            }
            // The cost of one call that does no communication, through the bindings.
            Mpi mpi = group.mpi();
            long sink = 0;
            for (int i = 0; i < 1_000_000; i++) {
                sink += mpi.rank(mpi.world());
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 10_000_000; i++) {
                sink += mpi.rank(mpi.world());
            }
            if (group.rank() == 0) {
                System.out.printf("call %.12f%n", (System.nanoTime() - t0) / 1e9 / 10_000_000);
            }
            if (sink == 42) {
                System.out.println();
            }
        }
    }

    private AllreduceBench() {
    }
}

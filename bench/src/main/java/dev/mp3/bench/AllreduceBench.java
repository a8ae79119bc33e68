package dev.mp3.bench;

import dev.mp3.mpi.MpiCollective;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * All-reduce bandwidth through this project's MPI bindings ({@link MpiCollective#sumInPlace}, an
 * in-place MPI_Allreduce of floats over native memory), with exactly the sizes, repetitions and
 * timing of the C program {@code bench/mpi/allreduce.c}; {@code bench/mpi-bench.sh} runs both in
 * the same session and prints their ratio. Run under {@code mpirun -np N}; prints
 * "floats seconds_per_call" per size from rank 0.
 */
public final class AllreduceBench {
    public static void main(String[] args) {
        double minSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
        try (MpiCollective group = MpiCollective.world(); Arena arena = Arena.ofConfined()) {
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
        }
    }

    private AllreduceBench() {
    }
}

/*
 * The reference for dev.mp3.bench.AllreduceBench: the same in-place MPI_Allreduce (sum of floats)
 * called from C, with the same sizes, repetitions and timing, so the two tables compare the cost
 * of the JVM's foreign-function layer and nothing else. Built and run by bench/mpi-bench.sh:
 *   mpicc -O2 -o allreduce allreduce.c && mpirun -np 2 ./allreduce [MIN_SECONDS]
 * Prints "floats seconds_per_call" per size (rank 0's wall time over all repetitions), then
 * "call seconds" for MPI_Comm_rank, a call that does no communication: the cost of a call itself.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    double min_seconds = argc > 1 ? atof(argv[1]) : 0.5;
    /* Warm-up, the same as the Java side's (which needs it for its JIT): one second of small sums. */
    {
        float w[1024] = {0};
        double until = MPI_Wtime() + 1.0;
        int more = 1;
        while (more) {
            MPI_Allreduce(MPI_IN_PLACE, w, 1024, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            more = MPI_Wtime() < until;
            MPI_Bcast(&more, 1, MPI_INT, 0, MPI_COMM_WORLD);
        }
    }
    for (long n = 1024; n <= 64L * 1024 * 1024; n *= 4) {
        float *buf = malloc(n * sizeof(float));
        for (long i = 0; i < n; i++) buf[i] = (float) (i % 7);
        /* Warm-up, and the repetitions that fill min_seconds, decided by rank 0 for all. */
        MPI_Barrier(MPI_COMM_WORLD);
        double t = MPI_Wtime();
        for (int w = 0; w < 3; w++) MPI_Allreduce(MPI_IN_PLACE, buf, (int) n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        double once = (MPI_Wtime() - t) / 3;
        int reps = (int) (min_seconds / (once > 1e-9 ? once : 1e-9));
        if (reps < 5) reps = 5;
        if (reps > 100000) reps = 100000;
        MPI_Bcast(&reps, 1, MPI_INT, 0, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        t = MPI_Wtime();
        for (int r = 0; r < reps; r++) MPI_Allreduce(MPI_IN_PLACE, buf, (int) n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        double per = (MPI_Wtime() - t) / reps;
        if (rank == 0) printf("%ld %.9f\n", n, per);
        fflush(stdout);
        free(buf);
    }
    /* The cost of one call that does no communication. */
    int r = 0;
    double t0 = MPI_Wtime();
    for (int i = 0; i < 10000000; i++) MPI_Comm_rank(MPI_COMM_WORLD, &r);
    if (rank == 0) printf("call %.12f\n", (MPI_Wtime() - t0) / 10000000);
    MPI_Finalize();
    return 0;
}

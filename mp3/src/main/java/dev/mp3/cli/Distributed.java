package dev.mp3.cli;

import dev.mp3.mpi.MpiCollective;
import dev.mp3.nn.parallel.Collective;
import dev.mp3.report.ProgressBar;
import dev.mp3.report.ReportDir;
import dev.mp3.tensor.cpu.Parallel;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The process group a command runs in. Started by {@code mpirun -np N} (or Slurm's {@code srun}),
 * every process joins MPI's world as one rank: rank 0 prints, shows progress and writes the run
 * folder; the others compute the same way with their output discarded. Started any other way, the
 * group is this process alone and MPI is never loaded.
 */
final class Distributed {
    private static Collective group = Collective.single();

    private Distributed() {
    }

    /**
     * Joins MPI's world when this process was started by an MPI launcher (and {@code MP3_MPI} is not
     * 0); the CPU pool then gets the machine's cores divided among the ranks on it.
     */
    static Collective join(Map<String, String> env) {
        if (!MpiCollective.launchedByMpi(env) || "0".equals(env.get("MP3_MPI"))) {
            return group;
        }
        MpiCollective world = MpiCollective.world();
        group = world;
        if (world.rank() != 0) {
            ReportDir.stopWriting();
            ProgressBar.silence();
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        }
        Parallel.setThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / world.localSize()));
        return world;
    }

    /** The group of this process (a group of one without MPI). */
    static Collective group() {
        return group;
    }

    /** "rank R of N: " in a data-parallel run, so a failure names its rank; empty otherwise. */
    static String prefix() {
        return group.distributed() ? "rank " + group.rank() + " of " + group.size() + ": " : "";
    }
}

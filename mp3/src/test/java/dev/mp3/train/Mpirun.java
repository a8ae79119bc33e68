package dev.mp3.train;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Open MPI's launcher for the data-parallel tests: found on the PATH (they skip without it). */
public final class Mpirun {
    private Mpirun() {
    }

    /** Whether mpirun is on the PATH. */
    public static boolean available() {
        return find() != null;
    }

    /** {@code mpirun -np RANKS --oversubscribe}, with --allow-run-as-root where the tests run as root. */
    public static List<String> command(int ranks) {
        List<String> cmd = new ArrayList<>(List.of(find().toString(), "-np", String.valueOf(ranks), "--oversubscribe"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-run-as-root");
        }
        return cmd;
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "mpirun");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}

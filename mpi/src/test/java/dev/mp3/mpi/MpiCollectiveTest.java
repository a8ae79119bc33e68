package dev.mp3.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bindings against Open MPI itself: {@link CollectiveProbe} under {@code mpirun -np 2} and
 * {@code -np 4} checks every collective's result on every rank against values computed by hand
 * (sums of known sequences, a broadcast value, min and max of rank-dependent numbers). Needs
 * mpirun on the PATH (.ci/run installs openmpi-bin).
 */
class MpiCollectiveTest {

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 4})
    @EnabledIf("mpirunAvailable")
    void everyCollectiveGivesTheHandComputedResultOnEveryRank(int ranks) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(onPath("mpirun").toString(), "-np", String.valueOf(ranks),
                "--oversubscribe"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-run-as-root");
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CollectiveProbe.class.getName(), String.valueOf(ranks)));
        Path log = Files.createTempFile("mpirun", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("mpirun finished").isTrue();
            String out = Files.readString(log);
            assertThat(p.exitValue()).as(out).isZero();
            for (int r = 0; r < ranks; r++) {
                assertThat(out).contains("rank " + r + " of " + ranks + " ok (local " + r + " of " + ranks + ")");
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aMissingLibraryIsNamedWithHowToInstallIt() {
        assertThatThrownBy(() -> Mpi.load(List.of("/nonexistent/libmpi.so.40")))
                .isInstanceOf(MpiException.class)
                .hasMessageContaining("Open MPI's library was not found (tried /nonexistent/libmpi.so.40)")
                .hasMessageContaining("apt-get install openmpi-bin libopenmpi3");
    }

    @Test
    void aLibraryThatIsNotOpenMpiIsRefused() {
        assertThatThrownBy(() -> Mpi.load(List.of("libm.so.6")))
                .isInstanceOf(MpiException.class)
                .hasMessageContaining("libm.so.6 is not Open MPI's libmpi");
    }

    @Test
    void mpiIsJoinedOnlyInAProcessAnMpiLauncherStarted() {
        assertThat(MpiCollective.launchedByMpi(Map.of())).isFalse();
        assertThat(MpiCollective.launchedByMpi(Map.of("OMPI_COMM_WORLD_SIZE", "2"))).isTrue();
        assertThat(MpiCollective.launchedByMpi(Map.of("PMIX_RANK", "0"))).isTrue();
    }

    static boolean mpirunAvailable() {
        return onPath("mpirun") != null;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}

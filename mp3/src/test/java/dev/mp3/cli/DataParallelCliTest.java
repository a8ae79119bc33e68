package dev.mp3.cli;

import dev.mp3.train.Mpirun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line under {@code mpirun -np 2}, as a user starts it: {@code train} joins MPI, rank
 * 0 alone prints the result and writes the run folder, the run reports what the gradient sums
 * cost, and its test accuracy is that of the same command run as one process (to the float
 * noise of summing in another order: the printed accuracies agree to 0.5 points).
 */
class DataParallelCliTest {

    private static final List<String> ARGS = List.of("train", "--data", "embedded", "--label-fraction", "0.05",
            "--dim", "16", "--depth", "1", "--heads", "2", "--epochs", "2", "--batch", "32", "--check-replicas", "1");

    @Test
    @EnabledIf("dev.mp3.cli.DataParallelCliTest#mpirunAvailable")
    void trainUnderMpirunPrintsOnceWritesOnceAndMatchesOneProcess(@TempDir Path dir) throws Exception {
        String one = run(dir, false, dir.resolve("one"));
        String two = run(dir, true, dir.resolve("two"));
        assertThat(count(two, "train: test accuracy")).as(two).isEqualTo(1);
        assertThat(two).contains("data parallel: 2 processes, 1 buckets of gradients");
        assertThat(dir.resolve("two/checkpoint.safetensors")).exists();
        assertThat(dir.resolve("two/config.json")).exists();
        try (var files = Files.list(dir.resolve("two"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        assertThat(accuracy(two)).isCloseTo(accuracy(one), org.assertj.core.data.Offset.offset(0.5));
    }

    private static String run(Path dir, boolean mpi, Path out) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (mpi) {
            cmd.addAll(Mpirun.command(2));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m",
                "-XX:+UseSerialGC", "-Dmp3.progress=lines", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(ARGS);
        cmd.addAll(List.of("--out", out.toString()));
        if (!mpi) {
            cmd.addAll(List.of("--threads", "1"));
        }
        Path log = dir.resolve(mpi ? "two.log" : "one.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("finished in time").isTrue();
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    private static double accuracy(String output) {
        Matcher m = Pattern.compile("train: test accuracy ([0-9.]+)%").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static boolean mpirunAvailable() {
        return Mpirun.available();
    }
}

package dev.mp3.cli;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety as a user meets it: a real {@code pretrain} process (a child JVM on the test class
 * path) checkpointing after every update is killed with SIGKILL five times, at points drawn from a
 * seeded generator, and each time run again, with {@code --resume} when a checkpoint exists and from
 * scratch when the kill came before the first one. The kills land while a checkpoint is being
 * written (its temporary file exists; the first time, before any checkpoint exists), at a random
 * delay after the start (start-up, loading, an update or a write), right at the n-th new
 * checkpoint, and at a random delay after a new checkpoint (in an update or the next write). The
 * run ends bit-identical to an uninterrupted one: weights, optimizer state, random streams,
 * history and the final evaluation.
 *
 * <p>What is asserted does not depend on timing: after every kill the checkpoints present load
 * (none damaged) and never go back; the final run matches the reference. A kill is always made
 * before the run's last checkpoint (at most two new checkpoints per attempt), so it never finds the
 * process done.
 */
class KillResumeTest {
    private static final int EPOCHS = 3;
    private static final int UPDATES = EPOCHS * 32 / 8;
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    /** 32 train and 16 test 14x14 images in 10 classes, as gz IDX files named like Fashion-MNIST's. */
    private static Path writeData(Path data) throws IOException {
        return TinyFashionMnist.write(data, 32, 16, 14, 11);
    }

    private static List<String> args(Path data, Path out) {
        return List.of("pretrain", "--data", data.toString(), "--model", "demo", "--epochs", Integer.toString(EPOCHS),
                "--batch", "8", "--eta", "0.5", "--test-etas", "0.5", "--checkpoint-every", "1", "--out",
                out.toString());
    }

    /**
     * When to kill: {@code delayMillis} after the start, {@code afterCheckpointMillis} after the
     * first new checkpoint (when not negative), at the {@code changes}-th new checkpoint, or once a
     * write is under way, whichever comes first.
     */
    private record Kill(String name, long delayMillis, long afterCheckpointMillis, int changes, boolean duringWrite) {}

    @Test
    void aRunKilledAndResumedRepeatedlyEndsExactlyAsAnUninterruptedRun() throws Exception {
        Path data = writeData(dir.resolve("data"));
        Path reference = dir.resolve("reference");
        StringWriter refOut = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(refOut, true));
        cl.setErr(new PrintWriter(refOut, true));
        assertThat(cl.execute(args(data, reference).toArray(String[]::new))).as(refOut.toString()).isZero();

        Path run = dir.resolve("run");
        Path ckpt = run.resolve(RunFolder.CHECKPOINT);
        Path previous = Checkpoint.previous(ckpt);
        Random random = new Random(20261129);
        List<String> log = new ArrayList<>();
        int kills = 0;
        int resumes = 0;
        long lastStep = -1;
        for (int attempt = 0; ; attempt++) {
            boolean resume = Files.exists(ckpt) || Files.exists(previous);
            int remaining = UPDATES - (int) Math.max(lastStep, 0);
            int most = Math.min(2, remaining - 1);
            // The first kill comes during the first write, before any checkpoint exists: the next attempt
            // starts from scratch (unless the rename beat the kill).
            Kill kill = attempt >= KILLS || remaining < 2 ? null : switch (attempt) {
                case 0, 4 -> new Kill("during a write", Long.MAX_VALUE, -1, most, true);
                case 1 -> new Kill("at a delay after the start", random.nextInt(2500), -1, most, false);
                case 2 -> new Kill("at a new checkpoint", Long.MAX_VALUE, -1, 1 + random.nextInt(most), false);
                default -> new Kill("at a delay after a new checkpoint", Long.MAX_VALUE, random.nextInt(150), most,
                        false);
            };
            List<String> command = new ArrayList<>(List.of(java(), "--add-modules", "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(args(data, run));
            if (resume) {
                command.add("--resume");
                resumes++;
            }
            Path output = dir.resolve("attempt-" + attempt + ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            String how = kill == null ? "to the end" : watchAndKill(p, kill, ckpt);
            int exit = p.waitFor();
            log.add(String.format("attempt %d (%s, from update %d): %s, exit %d", attempt, resume ? "resumed"
                    : "fresh", Math.max(lastStep, 0), how, exit));
            if (!how.startsWith("killed")) {
                assertThat(exit).as(log + "\n" + Files.readString(output)).isZero();
                break;
            }
            kills++;
            assertThat(exit).as(how).isEqualTo(137);
            // Whatever the moment of the kill, every checkpoint present is whole, and none went back in time.
            long step = -1;
            if (Files.exists(ckpt)) {
                step = Checkpoint.load(ckpt).step();
                if (Files.exists(previous)) {
                    assertThat(Checkpoint.load(previous).step()).isLessThanOrEqualTo(step);
                }
            } else if (Files.exists(previous)) {
                step = Checkpoint.load(previous).step();
            }
            assertThat(step).as(log.toString()).isGreaterThanOrEqualTo(lastStep);
            lastStep = step;
        }
        System.out.println("KillResumeTest: " + String.join("; ", log));
        assertThat(kills).as(log.toString()).isEqualTo(KILLS);
        assertThat(resumes).as(log.toString()).isPositive();

        Checkpoint a = Checkpoint.load(reference.resolve(RunFolder.CHECKPOINT));
        Checkpoint b = Checkpoint.load(ckpt);
        assertThat(b.step()).isEqualTo(UPDATES);
        assertSame(a.modelState(), b.modelState());
        assertSame(a.optimizerState(), b.optimizerState());
        assertThat(b.progress().maskCounter()).isEqualTo(a.progress().maskCounter());
        assertThat(b.progress().noiseCounter()).isEqualTo(a.progress().noiseCounter());
        assertThat(rows(b.progress().history())).isEqualTo(rows(a.progress().history())).hasSize(EPOCHS);
        assertThat(csvColumns(run.resolve("pretrain-history.csv")))
                .isEqualTo(csvColumns(reference.resolve("pretrain-history.csv"))).hasSize(EPOCHS + 1);
        assertThat(run.resolve("position-accuracy.json")).hasSameTextualContentAs(
                reference.resolve("position-accuracy.json"));
        try (Stream<Path> files = Files.list(run)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    /**
     * Watches the run folder every millisecond and kills the process at the first of: the kill's
     * delay, its number of new checkpoints (a changed file identity or time), a temporary file of a
     * checkpoint write (when {@code duringWrite}). Says what happened.
     */
    private static String watchAndKill(Process p, Kill kill, Path ckpt) throws Exception {
        long start = System.nanoTime();
        long deadline = kill.delayMillis();
        Object seen = identity(ckpt);
        int changes = 0;
        while (p.isAlive()) {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            Object now = identity(ckpt);
            if (!Objects.equals(now, seen)) {
                seen = now;
                changes++;
                if (changes == 1 && kill.afterCheckpointMillis() >= 0) {
                    deadline = Math.min(deadline, elapsed + kill.afterCheckpointMillis());
                }
            }
            boolean writing = kill.duringWrite() && writing(ckpt);
            if (writing || changes >= kill.changes() || elapsed >= deadline) {
                p.destroyForcibly();
                String when = writing ? "a write under way" : changes >= kill.changes() ? "new checkpoint " + changes
                        : "the delay";
                return String.format("killed %s: at %s, %d ms after the start, %d new checkpoints", kill.name(), when,
                        elapsed, changes);
            }
            Thread.sleep(1);
        }
        return "ended before the kill (" + kill.name() + ")";
    }

    /** The checkpoint file's identity (inode) and time, or null when it does not exist. */
    private static Object identity(Path ckpt) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(ckpt, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /** Whether a checkpoint write is under way: AtomicFile's temporary file beside the checkpoint. */
    private static boolean writing(Path ckpt) throws IOException {
        String prefix = "." + ckpt.getFileName() + ".";
        try (Stream<Path> files = Files.list(ckpt.getParent())) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
        } catch (NoSuchFileException absent) {
            return false;
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, t) -> {
            if (t.dtype() == DType.I32) {
                assertThat(actual.get(name).toIntArray()).as(name).containsExactly(t.toIntArray());
            } else {
                assertThat(actual.get(name).toFloatArray()).as(name).containsExactly(t.toFloatArray());
            }
        });
    }

    /** The history without its timings: update, training loss, learning rate, metric. */
    private static List<List<Object>> rows(List<Trainer.Report> history) {
        return history.stream().map(r -> List.<Object>of(r.step(), r.trainLoss(), r.lr(), r.metric())).toList();
    }

    /** The CSV's first three columns (update, train_loss, lr), header included. */
    private static List<String> csvColumns(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(l -> String.join(",", List.of(l.split(",")).subList(0, 3)))
                .toList();
    }
}

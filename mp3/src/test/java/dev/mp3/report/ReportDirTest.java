package dev.mp3.report;

import dev.mp3.tensor.io.AtomicFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportDirTest {

    @TempDir
    Path root;

    @Test
    void runsGetDistinctTimestampedFolders() throws IOException {
        LocalDateTime t = LocalDateTime.of(2025, 3, 4, 5, 6, 7);
        ReportDir a = ReportDir.newRun(root, "demo", t);
        ReportDir b = ReportDir.newRun(root, "demo", t);
        assertThat(a.dir()).isEqualTo(root.resolve("demo-20250304-050607"));
        assertThat(b.dir()).isEqualTo(root.resolve("demo-20250304-050607-2"));
    }

    @Test
    void writesFilesAndRejectsNamesOutsideTheFolder() throws IOException {
        ReportDir r = ReportDir.at(root.resolve("run"));
        Path json = r.writeJson("metrics.json", Map.of("accuracy", 0.9));
        assertThat(Files.readString(json)).isEqualTo("{\n  \"accuracy\": 0.9\n}\n");
        Path csv = r.writeCsv("curve.csv", List.of("step", "loss"), List.of(List.of(1, 2.0)));
        assertThat(Files.readString(csv)).isEqualTo("step,loss\n1,2.0\n");
        assertThatThrownBy(() -> r.file("../escape.txt")).hasMessageContaining("must name a file inside");
        assertThatThrownBy(() -> r.file("")).hasMessageContaining("must name a file inside");
        Files.writeString(root.resolve("plain-file"), "x");
        assertThatThrownBy(() -> ReportDir.at(root.resolve("plain-file"))).hasMessageContaining("not a directory");
    }

    @Test
    void failedWriteLeavesNeitherTargetNorTemporaryFile() throws IOException {
        Path dir = root.resolve("atomic");
        Path target = dir.resolve("out.bin");
        AtomicFile.write(target, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> AtomicFile.write(target, out -> {
            out.write(new byte[] {9, 9});
            throw new IOException("disk full (simulated)");
        })).hasMessageContaining("disk full");
        // The old complete file is still there, and no temporary file is left behind.
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(target);
        }
    }
}

package dev.mp3.tensor.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFileTest {
    @TempDir
    Path root;

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static void assumePosix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
    }

    @Test
    void writesANewFileCreatingItsDirectory() throws IOException {
        Path target = root.resolve("a/b/out.txt");
        AtomicFile.writeString(target, "héllo\n");
        assertThat(Files.readString(target)).isEqualTo("héllo\n");
        assertThat(list(target.getParent())).containsExactly(target);
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = root.resolve("out.bin");
        AtomicFile.write(target, new byte[] {1, 2, 3, 4});
        AtomicFile.write(target, out -> out.write(new byte[] {7, 8}));
        assertThat(Files.readAllBytes(target)).containsExactly(7, 8);
        assertThat(list(root)).containsExactly(target);
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = root.resolve("out.bin");
        AtomicFile.write(target, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> AtomicFile.write(target, out -> {
            out.write(new byte[] {9, 9});
            throw new IOException("disk full (simulated)");
        })).isInstanceOf(IOException.class).hasMessageContaining("disk full");
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        assertThat(list(root)).containsExactly(target);

        Path fresh = root.resolve("never.bin");
        assertThatThrownBy(() -> AtomicFile.write(fresh, out -> {
            throw new IllegalStateException("the writer broke");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(list(root)).containsExactly(target);
    }

    @Test
    void aFailedRenameLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = root.resolve("occupied");
        Files.createDirectories(target.resolve("inside"));
        assertThatThrownBy(() -> AtomicFile.writeString(target, "x")).isInstanceOf(IOException.class);
        assertThat(Files.isDirectory(target.resolve("inside"))).isTrue();
        assertThat(list(root)).containsExactly(target);
    }

    @Test
    void aTemporaryFileFilledElsewhereMovesIntoPlace() throws IOException {
        Path target = root.resolve("download.gz");
        Path temp = AtomicFile.createTemp(target, ".part");
        assertThat(temp.getParent()).isEqualTo(root);
        assertThat(temp.getFileName().toString()).startsWith(".download.gz.").endsWith(".part");
        Files.write(temp, new byte[] {5, 6});
        AtomicFile.moveIntoPlace(temp, target);
        assertThat(Files.readAllBytes(target)).containsExactly(5, 6);
        assertThat(list(root)).containsExactly(target);
    }

    @Test
    void aNewFileGetsThePermissionsOfAnyNewFile() throws IOException {
        assumePosix();
        Path reference = Files.createFile(root.resolve("plain"));
        Path target = root.resolve("atomic");
        AtomicFile.writeString(target, "x");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        assumePosix();
        Path target = root.resolve("kept");
        AtomicFile.writeString(target, "old");
        var mode = PosixFilePermissions.fromString("rw----r--");
        Files.setPosixFilePermissions(target, mode);
        AtomicFile.writeString(target, "new");
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(mode);
    }
}

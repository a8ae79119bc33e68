package dev.mp3.tensor.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;

/**
 * Writes a file so that readers see the old file (or none) or the complete new one, never a part,
 * and a crash after the call returns does not lose it: the bytes go to a temporary file in the
 * target's directory, are forced to disk, and the temporary file is renamed over the target
 * (atomically where the file system can), after which the directory is synced where the platform
 * allows. A failure at any step deletes the temporary file and leaves the old target as it was.
 *
 * <p>A new file gets the permissions of any other file the user creates (the umask's), not the
 * owner-only mode of {@code Files.createTempFile}; a replaced file keeps its own permissions.
 */
public final class AtomicFile {

    /** Produces the file's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {}

    public static void write(Path target, Body body) throws IOException {
        Path temp = createTemp(target, ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.WRITE))) {
            body.writeTo(out);
        } catch (Throwable e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
        moveIntoPlace(temp, target);
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A new empty file {@code .NAME.RANDOM.SUFFIX} next to {@code target} (its directory is created
     * if missing), for a writer that fills it by other means and then calls {@link #moveIntoPlace}.
     */
    public static Path createTemp(Path target, String suffix) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        while (true) {
            Path temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + suffix);
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException taken) {
                // another writer drew the same name: draw again
            }
        }
    }

    /**
     * Forces a finished temporary file (from {@link #createTemp}) to disk and renames it onto
     * {@code target}, then syncs the directory. On failure the temporary file is deleted and the
     * target is left as it was.
     */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            keepPermissions(temp, target);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Throwable e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** A replaced file keeps its permissions; a new one keeps the temporary file's, the umask's. */
    private static void keepPermissions(Path temp, Path target) throws IOException {
        if (Files.getFileAttributeView(target, PosixFileAttributeView.class) != null && Files.isRegularFile(target)) {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        }
    }

    /** The rename is only durable once the directory entry is on disk. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory as a file; the rename itself is done.
        }
    }

    private static void deleteAfterFailure(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}

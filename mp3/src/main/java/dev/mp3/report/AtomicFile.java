package dev.mp3.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that readers see either the old file, no file, or the complete new file: the
 * bytes go to a temporary file in the same directory, which is then renamed over the target. A
 * crash or an exception half-way leaves no partial output behind (the temporary file is deleted).
 */
public final class AtomicFile {

    /** Produces the file's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    public static void write(Path target, Body body) throws IOException {
        Path temp = createTemp(target, ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.WRITE))) {
                body.writeTo(out);
            }
            moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A new empty file {@code .NAME.RANDOM.SUFFIX} next to {@code target}. Unlike
     * {@code Files.createTempFile} (mode 0600) it gets the default permissions, so the renamed
     * result is as readable as any other file the user creates.
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
                // another writer picked the same name: draw again
            }
        }
    }

    /** Renames a finished temporary file onto {@code target} (atomically where the file system can). */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

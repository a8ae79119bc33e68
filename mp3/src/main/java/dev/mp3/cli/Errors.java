package dev.mp3.cli;

import dev.mp3.mpi.MpiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The one line a user reads when a command fails: what went wrong and what to do about it, with
 * no stack trace ({@code --verbose} prints it too). Failures the code raises on purpose
 * (IllegalArgumentException, IllegalStateException, and the OpenCL backend's ClException, one of
 * those) already carry such a message;
 * what the platform raises (a missing or unwritable file, a full disk, an exhausted heap) is
 * translated here, and anything else is reported as an internal error worth filing.
 */
final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        return switch (e) {
            case OutOfMemoryError oom -> "out of memory: the Java heap (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB) is full; lower --batch, or give the JVM more with MP3_JAVA_OPTS=-Xmx<size> (e.g. -Xmx16g)";
            case NoSuchFileException f -> file(f) + ": no such file or folder" + reason(f);
            case AccessDeniedException f -> file(f) + ": permission denied; expected a readable file, or a folder this"
                    + " user may write to (choose another --out)";
            case FileAlreadyExistsException f -> file(f) + ": already exists" + reason(f);
            case NotDirectoryException f -> file(f) + ": is not a folder";
            case DirectoryNotEmptyException f -> file(f) + ": the folder is not empty";
            case FileSystemException f when mentions(f, "no space left") -> file(f)
                    + ": no space left on the disk; free some space or write elsewhere (--out)";
            case FileSystemException f when mentions(f, "read-only") -> file(f)
                    + ": the file system is read-only; write elsewhere (--out)";
            case FileSystemException f -> file(f) + ": " + (f.getReason() != null ? f.getReason() : f.getMessage());
            case IOException io when io.getMessage() != null && mentions(io, "no space left") ->
                    "no space left on the disk (" + io.getMessage() + "); free some space or write elsewhere (--out)";
            case IOException io -> io.getMessage() != null ? io.getMessage() : "I/O error: " + io.getClass().getSimpleName();
            case IllegalArgumentException x -> message(x);
            case IllegalStateException x -> message(x);
            case MpiException x -> "MPI: " + x.getMessage();
            default -> "internal error: " + e.getClass().getSimpleName() + (e.getMessage() != null ? ": "
                    + e.getMessage() : "") + where(e) + "; please report it, with the output of --verbose";
        };
    }

    private static String file(FileSystemException f) {
        return f.getFile() != null ? f.getFile() : "file";
    }

    private static String reason(FileSystemException f) {
        return f.getReason() != null ? " (" + f.getReason() + ")" : "";
    }

    private static boolean mentions(Throwable e, String text) {
        String m = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains(text);
    }

    /** The message on one line: a message that lists things over several lines is joined with "; ". */
    private static String message(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return m.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static String where(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "" : " at " + trace[0].getClassName() + "." + trace[0].getMethodName() + ":"
                + trace[0].getLineNumber();
    }
}

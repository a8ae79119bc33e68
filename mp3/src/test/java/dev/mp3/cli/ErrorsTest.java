package dev.mp3.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one line a failure becomes: what was wrong, and what to do, with no stack trace. */
class ErrorsTest {

    @Test
    void fileSystemFailuresNameTheFileAndWhatToDo() {
        assertThat(Errors.describe(new NoSuchFileException("/data/x.gz")))
                .isEqualTo("/data/x.gz: no such file or folder");
        assertThat(Errors.describe(new AccessDeniedException("/runs/a/checkpoint.safetensors")))
                .startsWith("/runs/a/checkpoint.safetensors: permission denied").contains("--out");
        assertThat(Errors.describe(new FileSystemException("/runs/a/x.tmp", null, "No space left on device")))
                .isEqualTo("/runs/a/x.tmp: no space left on the disk; free some space or write elsewhere (--out)");
        assertThat(Errors.describe(new FileSystemException("/mnt/ro/x", null, "Read-only file system")))
                .contains("read-only").contains("--out");
        assertThat(Errors.describe(new UncheckedIOException(new NoSuchFileException("/y"))))
                .isEqualTo("/y: no such file or folder");
        assertThat(Errors.describe(new IOException("No space left on device"))).contains("free some space");
    }

    @Test
    void ourOwnMessagesPassThroughOnOneLine() {
        assertThat(Errors.describe(new IllegalArgumentException("--pe: unknown position embedding 'x'")))
                .isEqualTo("--pe: unknown position embedding 'x'");
        assertThat(Errors.describe(new IllegalStateException("device opencl:7:7: none; the devices are:\n  a\n  b")))
                .isEqualTo("device opencl:7:7: none; the devices are:; a; b");
    }

    @Test
    void anExhaustedHeapSaysHowToGiveItMore() {
        assertThat(Errors.describe(new OutOfMemoryError("Java heap space")))
                .startsWith("out of memory: the Java heap (").contains("MP3_JAVA_OPTS=-Xmx").contains("--batch");
    }

    @Test
    void aBugIsAnInternalErrorWithItsPlace() {
        String line = Errors.describe(new NullPointerException("x is null"));
        assertThat(line).startsWith("internal error: NullPointerException: x is null at dev.mp3.cli.ErrorsTest")
                .endsWith("please report it, with the output of --verbose").doesNotContain("\n");
    }
}

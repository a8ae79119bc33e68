package dev.mp3.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the JVM runs with signal chaining (its {@code libjsig.so} preloaded), which an OpenCL
 * runtime in the same process needs.
 *
 * <p>HotSpot handles some signals itself as part of running Java: SIGSEGV for safepoint polls,
 * implicit null checks and stack banging, SIGFPE for an integer division by zero in compiled code
 * (which it turns into an {@code ArithmeticException}). PoCL, the CPU OpenCL runtime, replaces the
 * SIGFPE handler with one that skips the faulting division, so a Java {@code x / 0} in compiled
 * code returns garbage instead of throwing; and the LLVM inside it installs one-shot
 * ({@code SA_RESETHAND}) SIGSEGV and SIGBUS handlers whenever it compiles a kernel, so when two
 * Java threads fault at once (both meeting a safepoint poll, say) the second gets the default
 * action and the JVM dies with exit code 139 and no hs_err file. Measured on PoCL 3.1 (LLVM 15)
 * and JDK 25: a program that compiles a kernel, then collects garbage while two threads spin,
 * died in 2 of 3 runs of 60-100 such rounds, and survived 3 of 3 runs of 100 with libjsig.
 *
 * <p>With {@code libjsig.so} preloaded, a native library's {@code sigaction} for a signal the JVM
 * uses is recorded instead of installed: the JVM keeps its handlers and passes on the signals it
 * does not own to the runtime's (a kernel dividing an int by zero on PoCL ran to the end with and
 * without libjsig, with the same output). {@code ./mp3.sh}, the benchmark scripts and the tests
 * preload it; a program embedding the engine should start {@code java} with
 * {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so} too, and gets a warning otherwise.
 */
final class SignalChaining {
    private SignalChaining() {}

    /**
     * Whether libjsig is mapped into this process: true or false on Linux (read from
     * /proc/self/maps), empty where that cannot be told.
     */
    static Optional<Boolean> active() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        try (var lines = Files.lines(maps)) {
            return Optional.of(lines.anyMatch(line -> line.endsWith("/libjsig.so")));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * Prints why and how to preload libjsig when it is known to be missing; called once per process,
     * by {@link Platforms#discover()} when it first finds a device.
     */
    static void warnIfMissing() {
        if (active().orElse(true)) {
            return;
        }
        System.err.println("warning: the JVM runs without signal chaining. OpenCL runtimes such as PoCL replace"
                + " the JVM's SIGSEGV and SIGFPE handlers, which can kill it at random (exit code 139, no hs_err"
                + " file) and make a Java integer division by zero return garbage instead of throwing. Start java"
                + " with LD_PRELOAD=" + System.getProperty("java.home") + "/lib/libjsig.so (./mp3.sh does).");
    }
}

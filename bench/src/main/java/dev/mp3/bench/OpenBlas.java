package dev.mp3.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * OpenBLAS's single-precision GEMM called through the JDK's foreign-function API: a benchmark peer
 * that runs in the same process as our SGEMM, so that the two can be timed in alternating short
 * windows (this build machine's speed drifts by tens of per cent within seconds; two processes run
 * one after the other see different machines). Only what {@link SgemmPeerBench} needs is bound:
 * {@code cblas_sgemm}, {@code openblas_set_num_threads} and the library's build description.
 *
 * <p>The library is Debian's {@code libopenblas0-pthread} (the threaded build that numpy and
 * PyTorch load there), or the file named by the environment variable {@code MP3_LIBOPENBLAS}.
 */
public final class OpenBlas {
    /** Where Debian and Ubuntu install the threaded OpenBLAS, then names for the system's loader. */
    static final List<String> LIBRARIES = List.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "libopenblas.so.0", "libopenblas.so");

    // cblas.h: enum CBLAS_ORDER and CBLAS_TRANSPOSE.
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private final MethodHandle sgemm;
    private final MethodHandle setThreads;
    private final String library;
    private final String config;

    private OpenBlas(SymbolLookup lib, String library) {
        Linker linker = Linker.nativeLinker();
        // void cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc), blasint = int
        this.sgemm = linker.downcallHandle(symbol(lib, "cblas_sgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT,
                ADDRESS, JAVA_INT));
        this.setThreads = linker.downcallHandle(symbol(lib, "openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(JAVA_INT));
        MethodHandle getConfig = linker.downcallHandle(symbol(lib, "openblas_get_config"), FunctionDescriptor.of(ADDRESS));
        try {
            MemorySegment text = (MemorySegment) getConfig.invokeExact();
            this.config = text.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("OpenBLAS: openblas_get_config failed in " + library, e);
        }
        this.library = library;
    }

    /**
     * Loads OpenBLAS from {@code MP3_LIBOPENBLAS} or the usual places; an IllegalStateException
     * names where it looked and how to install it when it is not there.
     */
    public static OpenBlas load() {
        String override = System.getenv("MP3_LIBOPENBLAS");
        List<String> candidates = override != null && !override.isBlank() ? List.of(override) : LIBRARIES;
        for (String name : candidates) {
            if (name.startsWith("/") && !Files.exists(Path.of(name))) {
                continue;
            }
            try {
                SymbolLookup lib = name.startsWith("/") ? SymbolLookup.libraryLookup(Path.of(name), Arena.global())
                        : SymbolLookup.libraryLookup(name, Arena.global());
                return new OpenBlas(lib, name);
            } catch (IllegalArgumentException notFound) {
                // not on the loader's path under this name: try the next one
            }
        }
        throw new IllegalStateException("OpenBLAS was not found (tried " + String.join(", ", candidates)
                + "); install it (Debian/Ubuntu: apt-get install libopenblas0-pthread) or set MP3_LIBOPENBLAS to"
                + " its libopenblas.so");
    }

    /** Whether {@link #load} would find a library (for tests that need one). */
    static boolean available() {
        try {
            load();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The file loaded. */
    public String library() {
        return library;
    }

    /** OpenBLAS's own description of its build: version, kernel ("Zen", "Haswell", ...), threading. */
    public String config() {
        return config;
    }

    /** The threads OpenBLAS's next calls use. */
    public void threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("OpenBLAS: threads must be >= 1, got " + count);
        }
        try {
            setThreads.invokeExact(count);
        } catch (Throwable e) {
            throw new IllegalStateException("OpenBLAS: openblas_set_num_threads(" + count + ") failed", e);
        }
    }

    /**
     * C = op(A) op(B) for row-major operands: op(A) is [m, k], stored [k, m] when {@code transA};
     * op(B) is [k, n], stored [n, k] when {@code transB}; C is [m, n]. The segments must be native
     * memory holding at least that many floats (checked, since the library would read past them).
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, MemorySegment b,
                      MemorySegment c) {
        requireFloats("A", a, (long) m * k);
        requireFloats("B", b, (long) k * n);
        requireFloats("C", c, (long) m * n);
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f, a, lda, b,
                    ldb, 0f, c, n);
        } catch (Throwable e) {
            throw new IllegalStateException("OpenBLAS: cblas_sgemm failed", e);
        }
    }

    private static void requireFloats(String name, MemorySegment segment, long floats) {
        if (!segment.isNative() || segment.byteSize() < floats * Float.BYTES) {
            throw new IllegalArgumentException("OpenBLAS sgemm: " + name + " must be native memory of at least "
                    + floats + " floats, got " + (segment.isNative() ? segment.byteSize() / Float.BYTES + " floats"
                    : "a heap segment"));
        }
    }

    private static MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("OpenBLAS: the library has no " + name
                + " (is it OpenBLAS?)"));
    }
}

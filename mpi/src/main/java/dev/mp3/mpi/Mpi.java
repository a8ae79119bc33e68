package dev.mp3.mpi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The MPI C functions data-parallel training calls, bound with the JDK's foreign function API
 * ({@code java.lang.foreign}): no JNI, no generated or copied binding code. Each binding below is
 * the C prototype from {@code mpi.h} as a {@link FunctionDescriptor}.
 *
 * <p>Open MPI only. Its handles ({@code MPI_Comm}, {@code MPI_Datatype}, {@code MPI_Op},
 * {@code MPI_Request}) are pointers, and its predefined handles are the addresses of global
 * objects in {@code libmpi}: {@code MPI_COMM_WORLD} is {@code &ompi_mpi_comm_world},
 * {@code MPI_FLOAT} is {@code &ompi_mpi_float}, {@code MPI_SUM} is {@code &ompi_mpi_op_sum}, so
 * looking those symbols up gives the handles. MPICH's handles are integers; it is not supported.
 *
 * <p>Every call checks its return code: the world communicator is switched to
 * {@code MPI_ERRORS_RETURN} at {@link #init}, and a code other than {@code MPI_SUCCESS} becomes an
 * {@link MpiException} with MPI's own message ({@code MPI_Error_string}).
 */
public final class Mpi {
    /** Where Debian's libopenmpi3 puts the library; then the loader's search path. */
    private static final List<String> LIBRARIES = List.of(
            "/usr/lib/x86_64-linux-gnu/libmpi.so.40", "/usr/lib/aarch64-linux-gnu/libmpi.so.40",
            "/usr/lib64/openmpi/lib/libmpi.so.40", "libmpi.so.40", "libmpi.so");

    static final int SUCCESS = 0;
    static final int THREAD_FUNNELED = 1;
    /** {@code MPI_IN_PLACE} is {@code (void *) 1} in Open MPI. */
    static final MemorySegment IN_PLACE = MemorySegment.ofAddress(1);
    /** {@code MPI_STATUS_IGNORE} is the null pointer. */
    static final MemorySegment STATUS_IGNORE = MemorySegment.NULL;
    static final int MAX_ERROR_STRING = 256;

    final MemorySegment commWorld;
    final MemorySegment floatType;
    final MemorySegment doubleType;
    final MemorySegment byteType;
    final MemorySegment int64Type;
    final MemorySegment sum;
    final MemorySegment min;
    final MemorySegment max;
    final MemorySegment errorsReturn;

    private final MethodHandle initThread;
    private final MethodHandle initialized;
    private final MethodHandle finalized;
    private final MethodHandle finalizeMpi;
    private final MethodHandle commRank;
    private final MethodHandle commSize;
    private final MethodHandle commSetErrhandler;
    private final MethodHandle barrier;
    private final MethodHandle bcast;
    private final MethodHandle allreduce;
    private final MethodHandle iallreduce;
    private final MethodHandle waitRequest;
    private final MethodHandle testRequest;
    private final MethodHandle abort;
    private final MethodHandle errorString;
    private final String library;
    /**
     * The int that queries write (rank, size, flags, the thread level): allocated once, as only
     * one thread calls MPI (MPI_THREAD_FUNNELED), so a query costs a downcall and no allocation.
     */
    private final MemorySegment intOut = Arena.ofAuto().allocate(JAVA_INT);

    private Mpi(SymbolLookup lib, String library) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        commWorld = global(lib, "ompi_mpi_comm_world");
        floatType = global(lib, "ompi_mpi_float");
        doubleType = global(lib, "ompi_mpi_double");
        byteType = global(lib, "ompi_mpi_byte");
        int64Type = global(lib, "ompi_mpi_int64_t");
        sum = global(lib, "ompi_mpi_op_sum");
        min = global(lib, "ompi_mpi_op_min");
        max = global(lib, "ompi_mpi_op_max");
        errorsReturn = global(lib, "ompi_mpi_errors_return");
        // int MPI_Init_thread(int *argc, char ***argv, int required, int *provided)
        initThread = function(linker, lib, "MPI_Init_thread", ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        // int MPI_Initialized(int *flag), MPI_Finalized(int *flag), MPI_Finalize(void)
        initialized = function(linker, lib, "MPI_Initialized", ADDRESS);
        finalized = function(linker, lib, "MPI_Finalized", ADDRESS);
        finalizeMpi = function(linker, lib, "MPI_Finalize");
        // int MPI_Comm_rank(MPI_Comm comm, int *rank), MPI_Comm_size(MPI_Comm comm, int *size)
        commRank = function(linker, lib, "MPI_Comm_rank", ADDRESS, ADDRESS);
        commSize = function(linker, lib, "MPI_Comm_size", ADDRESS, ADDRESS);
        // int MPI_Comm_set_errhandler(MPI_Comm comm, MPI_Errhandler errhandler)
        commSetErrhandler = function(linker, lib, "MPI_Comm_set_errhandler", ADDRESS, ADDRESS);
        // int MPI_Barrier(MPI_Comm comm)
        barrier = function(linker, lib, "MPI_Barrier", ADDRESS);
        // int MPI_Bcast(void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm)
        bcast = function(linker, lib, "MPI_Bcast", ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        // int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
        //                   MPI_Op op, MPI_Comm comm)
        allreduce = function(linker, lib, "MPI_Allreduce", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        // int MPI_Iallreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
        //                    MPI_Op op, MPI_Comm comm, MPI_Request *request)
        iallreduce = function(linker, lib, "MPI_Iallreduce", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS);
        // int MPI_Wait(MPI_Request *request, MPI_Status *status)
        waitRequest = function(linker, lib, "MPI_Wait", ADDRESS, ADDRESS);
        // int MPI_Test(MPI_Request *request, int *flag, MPI_Status *status)
        testRequest = function(linker, lib, "MPI_Test", ADDRESS, ADDRESS, ADDRESS);
        // int MPI_Abort(MPI_Comm comm, int errorcode)
        abort = function(linker, lib, "MPI_Abort", ADDRESS, JAVA_INT);
        // int MPI_Error_string(int errorcode, char *string, int *resultlen)
        errorString = function(linker, lib, "MPI_Error_string", JAVA_INT, ADDRESS, ADDRESS);
    }

    /**
     * Loads Open MPI's library. Throws {@link MpiException} naming where it looked when it is not
     * installed or is not Open MPI.
     */
    public static Mpi load() {
        String override = System.getenv("MP3_LIBMPI");
        return load(override != null && !override.isBlank() ? List.of(override) : LIBRARIES);
    }

    /** Loads the first of {@code candidates} (absolute paths or names for the loader) that exists. */
    static Mpi load(List<String> candidates) {
        for (String name : candidates) {
            if (name.startsWith("/") && !Files.exists(Path.of(name))) {
                continue;
            }
            SymbolLookup lib;
            try {
                lib = name.startsWith("/") ? SymbolLookup.libraryLookup(Path.of(name), Arena.global())
                        : SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException notFound) {
                continue;
            }
            if (lib.find("ompi_mpi_comm_world").isEmpty()) {
                throw new MpiException(name + " is not Open MPI's libmpi (no ompi_mpi_comm_world): only Open MPI is"
                        + " supported; set MP3_LIBMPI to Open MPI's libmpi.so");
            }
            return new Mpi(lib, name);
        }
        throw new MpiException("Open MPI's library was not found (tried " + String.join(", ", candidates)
                + "); install it (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi3) or set MP3_LIBMPI to its"
                + " libmpi.so");
    }

    /** MPI_COMM_WORLD. */
    public MemorySegment world() {
        return commWorld;
    }

    /** The library file this binding loaded. */
    public String library() {
        return library;
    }

    /**
     * MPI_Init_thread asking for MPI_THREAD_FUNNELED (only the thread that initialised calls MPI;
     * the JVM's other threads never do), then errors returned as codes on the world communicator.
     */
    public void init() {
        call("MPI_Init_thread", () -> (int) initThread.invokeExact(MemorySegment.NULL, MemorySegment.NULL,
                THREAD_FUNNELED, intOut));
        int level = intOut.get(JAVA_INT, 0);
        if (level < THREAD_FUNNELED) {
            throw new MpiException("MPI_Init_thread: this MPI provides thread level " + level + "; training needs"
                    + " MPI_THREAD_FUNNELED (1)");
        }
        call("MPI_Comm_set_errhandler", () -> (int) commSetErrhandler.invokeExact(commWorld, errorsReturn));
    }

    public boolean initialized() {
        return flag(initialized, "MPI_Initialized");
    }

    public boolean finalized() {
        return flag(finalized, "MPI_Finalized");
    }

    public void finish() {
        call("MPI_Finalize", () -> (int) finalizeMpi.invokeExact());
    }

    public int rank(MemorySegment comm) {
        return intOut(commRank, comm, "MPI_Comm_rank");
    }

    public int size(MemorySegment comm) {
        return intOut(commSize, comm, "MPI_Comm_size");
    }

    public void barrier(MemorySegment comm) {
        call("MPI_Barrier", () -> (int) barrier.invokeExact(comm));
    }

    /** MPI_Bcast of {@code count} elements of {@code type}. */
    public void broadcast(MemorySegment buffer, int count, MemorySegment type, int root, MemorySegment comm) {
        call("MPI_Bcast", () -> (int) bcast.invokeExact(buffer, count, type, root, comm));
    }

    /** MPI_Allreduce with MPI_IN_PLACE: {@code buffer} becomes the reduction over all ranks. */
    public void allreduceInPlace(MemorySegment buffer, int count, MemorySegment type, MemorySegment op,
                                 MemorySegment comm) {
        call("MPI_Allreduce", () -> (int) allreduce.invokeExact(IN_PLACE, buffer, count, type, op, comm));
    }

    /**
     * MPI_Iallreduce with MPI_IN_PLACE; the request handle is written to {@code request} (one
     * pointer of native memory that must outlive the operation).
     */
    public void iallreduceInPlace(MemorySegment buffer, int count, MemorySegment type, MemorySegment op,
                                  MemorySegment comm, MemorySegment request) {
        call("MPI_Iallreduce", () -> (int) iallreduce.invokeExact(IN_PLACE, buffer, count, type, op, comm, request));
    }

    /** MPI_Wait on the request at {@code request}. */
    public void await(MemorySegment request) {
        call("MPI_Wait", () -> (int) waitRequest.invokeExact(request, STATUS_IGNORE));
    }

    /** MPI_Test on the request at {@code request}, using {@code flag} (one int of native memory). */
    public boolean test(MemorySegment request, MemorySegment flag) {
        call("MPI_Test", () -> (int) testRequest.invokeExact(request, flag, STATUS_IGNORE));
        return flag.get(JAVA_INT, 0) != 0;
    }

    /** MPI_Abort: stops every process of the communicator with {@code code}. */
    public void abort(MemorySegment comm, int code) {
        try {
            int ignored = (int) abort.invokeExact(comm, code);
        } catch (Throwable t) {
            throw new MpiException("MPI_Abort failed: " + t);
        }
    }

    /** MPI's message for an error code. */
    public String errorString(int code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(MAX_ERROR_STRING);
            MemorySegment length = arena.allocate(JAVA_INT);
            int rc = (int) errorString.invokeExact(code, text, length);
            return rc == SUCCESS ? text.getString(0) : "MPI error " + code;
        } catch (Throwable t) {
            return "MPI error " + code;
        }
    }

    private void check(String call, int rc) {
        if (rc != SUCCESS) {
            throw new MpiException(call + " failed: " + errorString(rc) + " (error code " + rc + ")");
        }
    }

    private boolean flag(MethodHandle f, String name) {
        call(name, () -> (int) f.invokeExact(intOut));
        return intOut.get(JAVA_INT, 0) != 0;
    }

    private int intOut(MethodHandle f, MemorySegment comm, String name) {
        call(name, () -> (int) f.invokeExact(comm, intOut));
        return intOut.get(JAVA_INT, 0);
    }

    /** A downcall that returns an MPI error code. */
    @FunctionalInterface
    private interface Downcall {
        int invoke() throws Throwable;
    }

    /** Runs one downcall: a code other than MPI_SUCCESS, or a failure of the call itself, is an MpiException. */
    private void call(String name, Downcall c) {
        int rc;
        try {
            rc = c.invoke();
        } catch (Throwable t) {
            throw new MpiException(name + " failed: " + t);
        }
        check(name, rc);
    }

    private static MemorySegment global(SymbolLookup lib, String symbol) {
        Optional<MemorySegment> s = lib.find(symbol);
        return s.orElseThrow(() -> new MpiException("libmpi has no " + symbol + ": not an Open MPI 4 or 5 library"));
    }

    /** A downcall to {@code name} returning int, with the given parameter layouts. */
    private static MethodHandle function(Linker linker, SymbolLookup lib, String name,
                                         java.lang.foreign.MemoryLayout... params) {
        MemorySegment address = lib.find(name).orElseThrow(() -> new MpiException("libmpi has no function " + name));
        return linker.downcallHandle(address, FunctionDescriptor.of(JAVA_INT, params));
    }
}

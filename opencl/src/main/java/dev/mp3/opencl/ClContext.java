package dev.mp3.opencl;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.jocl.CL.*;

/**
 * One device's OpenCL state: context, a single in-order command queue, the buffer pool and the
 * program cache (each kernel family is built once per set of build options and kept).
 * Not thread-safe by itself: {@link ClBackend} serialises every use.
 */
final class ClContext {
    final DeviceInfo info;
    final cl_context context;
    final cl_command_queue queue;
    final BufferPool pool;
    private final String baseOptions;
    private final Map<String, Program> programs = new HashMap<>();
    /** Compiled programs on disk (null when turned off): see {@link ProgramCache}. */
    private final ProgramCache programCache;
    /** Kernels queued, blocking reads, blocking writes and clFinish calls since the last reset. */
    long launches;
    long reads;
    long writes;
    long finishes;
    /** Launches per kernel ("family.kernel") since the last reset. */
    final Map<String, Long> byKernel = new HashMap<>();

    ClContext(DeviceInfo info) {
        this.info = info;
        try {
            this.context = clCreateContext(null, 1, new cl_device_id[] {info.device()}, null, null, null);
            this.queue = createQueue(context, info.device());
        } catch (CLException e) {
            throw new ClException("could not open OpenCL device opencl:" + info.address() + " (" + info.name() + ")", e);
        }
        this.pool = new BufferPool(context, info);
        // Portable OpenCL C 1.2 where the device offers it; no fast-math flags (results are compared
        // against the CPU backend); optional features and extensions only after probing for them:
        // IEEE division and square root as in Java where the device can, fp64 as a define.
        String options = info.openclC() >= 12 ? "-cl-std=CL1.2" : "";
        if (info.correctlyRoundedDivideSqrt()) {
            options += " -cl-fp32-correctly-rounded-divide-sqrt";
        }
        if (info.hasExtension("cl_khr_fp64")) {
            options += " -D HAS_FP64";
        }
        this.baseOptions = options.trim();
        this.programCache = ProgramCache.standard(info);
    }

    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context context, cl_device_id device) {
        // clCreateCommandQueue is the OpenCL 1.2 entry point; every 2.x/3.0 driver still exports it.
        return clCreateCommandQueue(context, device, 0, null);
    }

    /** The program of a kernel family ("gemm" for gemm.cl), built with extra defines, cached. */
    Program program(String family, String defines) {
        String options = (baseOptions + " " + defines).trim();
        String key = family + "|" + options;
        Program p = programs.get(key);
        if (p == null) {
            p = Program.build(this, family, source(family), options, programCache);
            programs.put(key, p);
        }
        return p;
    }

    /** A build of a family that neither the context nor the disk cache keeps; the caller releases it. */
    Program programOnce(String family, String defines) {
        return Program.build(this, family, source(family), (baseOptions + " " + defines).trim());
    }

    /** common.cl followed by the family's file, with #line marks so build logs name the right file. */
    static String source(String family) {
        return "#line 1 \"common.cl\"\n" + resource("common") + "\n#line 1 \"" + family + ".cl\"\n" + resource(family);
    }

    private static String resource(String family) {
        String path = "/dev/mp3/opencl/" + family + ".cl";
        try (InputStream in = ClContext.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kernel source " + path, e);
        }
    }

    Launch launch(Program program, String kernel) {
        return new Launch(this, program.kernel(kernel), program.family() + "." + kernel);
    }

    // ---------------------------------------------------------------- transfers

    void write(cl_mem mem, long bytes, Pointer data) {
        if (bytes == 0) {
            return;
        }
        writes++;
        try {
            clEnqueueWriteBuffer(queue, mem, true, 0, bytes, data, 0, null, null);
        } catch (CLException e) {
            throw new ClException("writing " + bytes + " bytes to " + info.name() + " failed", e);
        }
    }

    /**
     * Queues a write of host data the caller will not touch again, without waiting: the data goes
     * through a direct buffer (JOCL can only hand those to a non-blocking call), kept here until the
     * next blocking read or finish, by which time the in-order queue has copied it. Buffers in
     * flight beyond {@link #PENDING_BYTES} are waited for at once.
     */
    void writeAsync(cl_mem mem, float[] data) {
        ByteBuffer host = ByteBuffer.allocateDirect(4 * data.length).order(ByteOrder.nativeOrder());
        host.asFloatBuffer().put(data);
        writeAsync(mem, host);
    }

    void writeAsync(cl_mem mem, int[] data) {
        ByteBuffer host = ByteBuffer.allocateDirect(4 * data.length).order(ByteOrder.nativeOrder());
        host.asIntBuffer().put(data);
        writeAsync(mem, host);
    }

    private void writeAsync(cl_mem mem, ByteBuffer host) {
        long bytes = host.capacity();
        if (bytes == 0) {
            return;
        }
        try {
            clEnqueueWriteBuffer(queue, mem, false, 0, bytes, Pointer.to(host), 0, null, null);
        } catch (CLException e) {
            throw new ClException("writing " + bytes + " bytes to " + info.name() + " failed", e);
        }
        pending.add(host);
        pendingBytes += bytes;
        if (pendingBytes > PENDING_BYTES) {
            finish();
        }
    }

    /** Queues a read into a direct buffer without waiting; it has landed after the next blocking read or finish. */
    void readAsync(cl_mem mem, long bytes, ByteBuffer into) {
        try {
            clEnqueueReadBuffer(queue, mem, false, 0, bytes, Pointer.to(into), 0, null, null);
        } catch (CLException e) {
            throw new ClException("reading " + bytes + " bytes back from " + info.name() + " failed", e);
        }
    }

    /** Host buffers of queued non-blocking writes, and their bytes: released at the next sync. */
    private final List<ByteBuffer> pending = new ArrayList<>();
    private long pendingBytes;
    private static final long PENDING_BYTES = 256L << 20;

    private void synced() {
        pending.clear();
        pendingBytes = 0;
    }

    void read(cl_mem mem, long offsetBytes, long bytes, Pointer data) {
        if (bytes == 0) {
            return;
        }
        reads++;
        try {
            clEnqueueReadBuffer(queue, mem, true, offsetBytes, bytes, data, 0, null, null);
            synced();
        } catch (CLException e) {
            throw new ClException("reading " + bytes + " bytes back from " + info.name()
                    + " failed (an earlier kernel may have failed on the device)", e);
        }
    }

    void finish() {
        finishes++;
        try {
            clFinish(queue);
            synced();
        } catch (CLException e) {
            throw new ClException("waiting for " + info.name() + " failed (a kernel failed on the device)", e);
        }
    }
}

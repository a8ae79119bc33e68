package dev.mp3.opencl;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.*;

/** A built kernel family and its kernel objects (created on first use, then reused). */
final class Program {
    private final ClContext cl;
    private final String family;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<String, Long> maxGroup = new HashMap<>();
    private final Map<String, Long> preferred = new HashMap<>();
    private final Map<String, Long> localMem = new HashMap<>();

    private Program(ClContext cl, String family, cl_program program) {
        this.cl = cl;
        this.family = family;
        this.program = program;
    }

    /** How programs were built in this process: from a cached binary, or compiled from source. */
    static final java.util.concurrent.atomic.AtomicLong FROM_CACHE = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong COMPILED = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The program for the context's device: from {@code cache}'s binary when it holds one that the
     * driver accepts, else compiled from source (a failure carries the compiler's log) and stored
     * there. {@code cache} may be null.
     */
    static Program build(ClContext cl, String family, String source, String options, ProgramCache cache) {
        java.nio.file.Path file = cache == null ? null : cache.file(cl.info, options, source);
        byte[] binary = file == null ? null : ProgramCache.read(file);
        if (binary != null) {
            cl_program p = fromBinary(cl, binary, options);
            if (p != null) {
                FROM_CACHE.incrementAndGet();
                return new Program(cl, family, p);
            }
        }
        Program built = build(cl, family, source, options);
        COMPILED.incrementAndGet();
        if (file != null) {
            byte[] compiled = binary(built.program);
            if (compiled != null) {
                ProgramCache.write(file, compiled);
            }
        }
        return built;
    }

    /** A program from a device binary, or null when the driver refuses it (then the source is compiled). */
    private static cl_program fromBinary(ClContext cl, byte[] binary, String options) {
        cl_program p = null;
        try {
            int[] status = new int[1];
            int[] err = new int[1];
            p = clCreateProgramWithBinary(cl.context, 1, new cl_device_id[] {cl.info.device()},
                    new long[] {binary.length}, new byte[][] {binary}, status, err);
            if (p == null || err[0] != CL_SUCCESS || status[0] != CL_SUCCESS) {
                if (p != null) {
                    clReleaseProgram(p);
                }
                return null;
            }
            clBuildProgram(p, 1, new cl_device_id[] {cl.info.device()}, options, null, null);
            return p;
        } catch (CLException e) {
            if (p != null) {
                clReleaseProgram(p);
            }
            return null;
        }
    }

    /** The built program's device binary, or null when the driver gives none. */
    private static byte[] binary(cl_program p) {
        try {
            long[] size = new long[1];
            clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
            if (size[0] <= 0 || size[0] > Integer.MAX_VALUE) {
                return null;
            }
            byte[] out = new byte[(int) size[0]];
            Pointer target = Pointer.to(out);
            clGetProgramInfo(p, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(target), null);
            return out;
        } catch (CLException e) {
            return null;
        }
    }

    /** Compiles the source for the context's device; a failure carries the compiler's log. */
    static Program build(ClContext cl, String family, String source, String options) {
        cl_program p;
        try {
            p = clCreateProgramWithSource(cl.context, 1, new String[] {source}, null, null);
        } catch (CLException e) {
            throw new ClException("creating the " + family + ".cl program failed", e);
        }
        try {
            clBuildProgram(p, 1, new cl_device_id[] {cl.info.device()}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(p, cl.info.device());
            clReleaseProgram(p);
            throw new ClException("building " + family + ".cl for " + cl.info.name() + " with options \"" + options
                    + "\" failed; build log:\n" + log, e);
        }
        return new Program(cl, family, p);
    }

    private static String buildLog(cl_program p, cl_device_id device) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] buf = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
            int end = buf.length;
            while (end > 0 && buf[end - 1] == 0) {
                end--;
            }
            return new String(buf, 0, end, StandardCharsets.UTF_8).strip();
        } catch (CLException e) {
            return "(the build log could not be read: " + ClException.statusName(e.getStatus()) + ")";
        }
    }

    /** Frees the program and its kernels; for builds that no cache holds (the tuner's candidates). */
    void release() {
        kernels.values().forEach(org.jocl.CL::clReleaseKernel);
        kernels.clear();
        clReleaseProgram(program);
    }

    String family() {
        return family;
    }

    cl_kernel kernel(String name) {
        cl_kernel k = kernels.get(name);
        if (k == null) {
            try {
                k = clCreateKernel(program, name, null);
            } catch (CLException e) {
                throw new ClException("kernel " + name + " not found in " + family + ".cl", e);
            }
            kernels.put(name, k);
        }
        return k;
    }

    /** The largest work-group this kernel can run with on the device (register use may lower it). */
    long maxWorkGroupSize(String name) {
        return maxGroup.computeIfAbsent(name, n -> {
            long[] v = new long[1];
            clGetKernelWorkGroupInfo(kernel(n), cl.info.device(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                    Pointer.to(v), null);
            return v[0];
        });
    }

    /** CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE: the SIMD width the device wants group sizes to be a multiple of. */
    long preferredMultiple(String name) {
        return preferred.computeIfAbsent(name, n -> {
            long[] v = new long[1];
            clGetKernelWorkGroupInfo(kernel(n), cl.info.device(), CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE,
                    Sizeof.size_t, Pointer.to(v), null);
            return Math.max(1, v[0]);
        });
    }

    /**
     * CL_KERNEL_LOCAL_MEM_SIZE: the local memory the kernel declares itself, when asked (as callers
     * do, and then it is cached) before a launch has set its __local arguments' sizes.
     */
    long localMemBytes(String name) {
        return localMem.computeIfAbsent(name, n -> {
            long[] v = new long[1];
            clGetKernelWorkGroupInfo(kernel(n), cl.info.device(), CL_KERNEL_LOCAL_MEM_SIZE, Sizeof.cl_ulong,
                    Pointer.to(v), null);
            return v[0];
        });
    }

    /** The largest power of two up to {@code want} that the kernel can run as one work-group. */
    int groupSize(String name, int want) {
        long max = Math.min(want, maxWorkGroupSize(name));
        return Integer.highestOneBit((int) Math.max(1, max));
    }
}

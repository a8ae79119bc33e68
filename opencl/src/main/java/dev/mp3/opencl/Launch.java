package dev.mp3.opencl;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

/**
 * One kernel launch: arguments in order, then {@link #run}. Buffers are held until the launch is
 * queued, so the garbage collector cannot recycle one in between.
 */
final class Launch {
    private final ClContext cl;
    private final cl_kernel kernel;
    private final String name;
    private final List<Object> held = new ArrayList<>();
    private int index;

    Launch(ClContext cl, cl_kernel kernel, String name) {
        this.cl = cl;
        this.kernel = kernel;
        this.name = name;
    }

    Launch buffer(ClBuffer b) {
        held.add(b);
        clSetKernelArg(kernel, index++, Sizeof.cl_mem, Pointer.to(b.mem()));
        return this;
    }

    Launch i32(int v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_int, Pointer.to(new int[] {v}));
        return this;
    }

    Launch f32(float v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_float, Pointer.to(new float[] {v}));
        return this;
    }

    Launch u64(long v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_ulong, Pointer.to(new long[] {v}));
        return this;
    }

    /** A View struct (see {@link Views}). */
    Launch view(int[] packed) {
        clSetKernelArg(kernel, index++, (long) Sizeof.cl_int * packed.length, Pointer.to(packed));
        return this;
    }

    /** A __local buffer of the given size. */
    Launch local(long bytes) {
        clSetKernelArg(kernel, index++, bytes, null);
        return this;
    }

    /** 1-D launch over n work-items, in work-groups of {@code local}. */
    void run(long n, long local) {
        run(new long[] {n}, new long[] {local});
    }

    /** Queues the kernel; the global size is rounded up to whole work-groups (kernels bound-check). */
    void run(long[] global, long[] local) {
        long[] rounded = new long[global.length];
        for (int i = 0; i < global.length; i++) {
            if (global[i] == 0) {
                return;
            }
            rounded[i] = (global[i] + local[i] - 1) / local[i] * local[i];
        }
        try {
            clEnqueueNDRangeKernel(cl.queue, kernel, global.length, null, rounded, local, 0, null, null);
            cl.launches++;
            cl.byKernel.merge(name, 1L, Long::sum);
        } catch (CLException e) {
            String what = "running kernel " + name + " (global " + Arrays.toString(rounded) + ", local "
                    + Arrays.toString(local) + ") on " + cl.info.name();
            if (ClException.isOutOfMemory(e.getStatus())) {
                throw new ClException("out of device memory " + what + " with " + DeviceInfo.bytes(cl.pool.live())
                        + " live and " + DeviceInfo.bytes(cl.pool.free()) + " free in the pool, of "
                        + DeviceInfo.bytes(cl.info.globalMemBytes()) + " global memory; use a smaller batch (--batch)"
                        + " or model", e);
            }
            throw new ClException(what + " failed", e);
        } finally {
            Reference.reachabilityFence(held);
        }
    }
}

package dev.mp3.opencl;

import dev.mp3.tensor.DType;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;

/**
 * Device buffers, recycled by exact size. A training step allocates the same sizes every step,
 * so buffers the garbage collector found unreachable (see {@link ClBuffer}) go back
 * into a free list and serve the next request of that size without a driver call.
 *
 * <p>The Java heap does not see device memory, so the pool keeps its own account: when live plus
 * free buffers would exceed the budget (90% of the device's global memory) the free lists are
 * released, and when live buffers alone would, the pool asks for a garbage collection and waits
 * briefly for unreachable storages to come back. Reusing a buffer is safe because every command
 * goes through one in-order queue: a new owner's writes run after the old owner's reads.
 */
final class BufferPool {
    private final cl_context context;
    private final DeviceInfo device;
    private final long budget;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long freeBytes;
    private long liveBytes;
    private long created;

    BufferPool(cl_context context, DeviceInfo device) {
        this.context = context;
        this.device = device;
        this.budget = (long) (device.globalMemBytes() * 0.9);
    }

    /** A buffer of {@code size} elements; contents undefined. */
    ClBuffer allocate(DType dtype, int size) {
        long bytes = (long) size * dtype.bytes();
        return new ClBuffer(this, obtain(bytes), size, bytes);
    }

    /** A cl_mem of exactly {@code bytes} (at least 4: OpenCL has no empty buffers), reused or created. */
    private cl_mem obtain(long bytes) {
        long size = Math.max(4, bytes);
        if (size > device.maxAllocBytes()) {
            throw new ClException("out of device memory: a buffer of " + DeviceInfo.bytes(size) + " (" + size
                    + " bytes) exceeds the largest single allocation of " + device.name() + " ("
                    + DeviceInfo.bytes(device.maxAllocBytes()) + ", CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
        }
        cl_mem reused = takeFree(size);
        if (reused != null) {
            return reused;
        }
        if (total() + size > budget) {
            releaseFree();
        }
        if (live() + size > budget) {
            collectGarbage();
            reused = takeFree(size);
            if (reused != null) {
                return reused;
            }
            releaseFree();
        }
        try {
            return create(size);
        } catch (CLException first) {
            if (!ClException.isOutOfMemory(first.getStatus())) {
                throw new ClException("clCreateBuffer of " + size + " bytes failed on " + device.name(), first);
            }
            releaseFree();
            collectGarbage();
            try {
                return create(size);
            } catch (CLException e) {
                throw new ClException("out of device memory: allocating " + DeviceInfo.bytes(size) + " (" + size
                        + " bytes) on " + device.name() + " failed with " + DeviceInfo.bytes(live())
                        + " in live tensors of " + DeviceInfo.bytes(device.globalMemBytes()) + " global memory", e);
            }
        }
    }

    private cl_mem create(long size) {
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
        synchronized (this) {
            liveBytes += size;
            created++;
        }
        return mem;
    }

    /** Called by a buffer's cleaner once the buffer is unreachable. */
    synchronized void giveBack(cl_mem mem, long bytes) {
        long size = Math.max(4, bytes);
        liveBytes -= size;
        freeBytes += size;
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(mem);
    }

    synchronized long live() {
        return liveBytes;
    }

    /** How many buffers were created through the driver (the rest of the allocations were reuses). */
    synchronized long created() {
        return created;
    }

    private synchronized long total() {
        return liveBytes + freeBytes;
    }

    private synchronized cl_mem takeFree(long size) {
        ArrayDeque<cl_mem> list = free.get(size);
        if (list == null || list.isEmpty()) {
            return null;
        }
        freeBytes -= size;
        liveBytes += size;
        return list.pop();
    }

    /** Returns the free buffers to the driver. Commands still queued on them keep them alive (OpenCL
     *  defers the release until they finish). */
    synchronized void releaseFree() {
        for (ArrayDeque<cl_mem> list : free.values()) {
            for (cl_mem m : list) {
                clReleaseMemObject(m);
            }
        }
        free.clear();
        freeBytes = 0;
    }

    /** Lets unreachable storages come back: a GC, then up to ~200 ms for the cleaner thread. */
    private void collectGarbage() {
        long before = live();
        System.gc();
        for (int i = 0; i < 20 && live() >= before; i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

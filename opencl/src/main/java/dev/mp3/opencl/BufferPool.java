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
 * so buffers given back (see {@link ClBuffer}: released by a closing memory scope or a kernel
 * family, or found unreachable by the garbage collector) go into a free list and serve the next
 * request of that size without a driver call.
 *
 * <p>The Java heap does not see device memory, so the pool keeps its own account: when live plus
 * free buffers would exceed the budget (90% of the device's global memory) the free lists are
 * released, and when live buffers alone would, the pool asks for a garbage collection and waits
 * briefly for unreachable storages to come back (a stall that memory scopes make rare; counted by
 * {@link #collections}). If live buffers still leave no room, the allocation fails with a
 * {@link ClException} naming the requested, live and free bytes. Reusing a buffer is safe because
 * every command goes through one in-order queue: a new owner's writes run after the old owner's reads.
 */
final class BufferPool {
    private final cl_context context;
    private final DeviceInfo device;
    private final long budget;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long freeBytes;
    private long liveBytes;
    private long peakLiveBytes;
    private long created;
    private long collections;

    /** The budget is 90% of the device's global memory, or {@code -Dmp3.opencl.budgetMiB=N} MiB when set (less only). */
    BufferPool(cl_context context, DeviceInfo device) {
        this(context, device, budget(device));
    }

    private static long budget(DeviceInfo device) {
        long budget = (long) (device.globalMemBytes() * 0.9);
        String limit = System.getProperty("mp3.opencl.budgetMiB");
        if (limit == null) {
            return budget;
        }
        long mib;
        try {
            mib = Long.parseLong(limit.trim());
        } catch (NumberFormatException e) {
            mib = -1;
        }
        if (mib <= 0) {
            throw new IllegalArgumentException("-Dmp3.opencl.budgetMiB=" + limit + ": expected a positive number of MiB");
        }
        return Math.min(budget, mib << 20);
    }

    /** A pool that keeps live plus free buffers within {@code budget} bytes (tests use a small one). */
    BufferPool(cl_context context, DeviceInfo device, long budget) {
        this.context = context;
        this.device = device;
        this.budget = budget;
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
            if (live() + size > budget) {
                throw new ClException(outOfMemory(size));
            }
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
                throw new ClException(outOfMemory(size), e);
            }
        }
    }

    /** The one-line out-of-memory message: requested, live and free bytes, the device's memory, the remedy. */
    String outOfMemory(long size) {
        long live;
        long free;
        synchronized (this) {
            live = liveBytes;
            free = freeBytes;
        }
        return "out of device memory on " + device.name() + ": requested " + DeviceInfo.bytes(size) + " (" + size
                + " bytes) with " + DeviceInfo.bytes(live) + " (" + live + " bytes) live and " + DeviceInfo.bytes(free)
                + " free in the pool, of " + DeviceInfo.bytes(device.globalMemBytes()) + " global memory (budget "
                + DeviceInfo.bytes(budget) + "); use a smaller batch (--batch) or model";
    }

    private cl_mem create(long size) {
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
        synchronized (this) {
            liveBytes += size;
            peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
            created++;
        }
        return mem;
    }

    /** Called exactly once per buffer: by {@link ClBuffer#release} or by its cleaner once it is unreachable. */
    synchronized void giveBack(cl_mem mem, long bytes) {
        long size = Math.max(4, bytes);
        liveBytes -= size;
        freeBytes += size;
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(mem);
    }

    synchronized long live() {
        return liveBytes;
    }

    /** How many buffers of exactly {@code bytes} wait in the free list. */
    synchronized int freeBuffers(long bytes) {
        ArrayDeque<cl_mem> list = free.get(Math.max(4, bytes));
        return list == null ? 0 : list.size();
    }

    /** Bytes in the free lists: given back, ready for reuse, still allocated on the device. */
    synchronized long free() {
        return freeBytes;
    }

    /** The most live bytes since creation or the last {@link #resetPeak}. */
    synchronized long peakLive() {
        return peakLiveBytes;
    }

    /** Starts a new peak from the bytes live now. */
    synchronized void resetPeak() {
        peakLiveBytes = liveBytes;
    }

    /** How many times an allocation stalled on System.gc() to win back unreachable buffers. */
    synchronized long collections() {
        return collections;
    }

    long budget() {
        return budget;
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
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
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
        synchronized (this) {
            collections++;
        }
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

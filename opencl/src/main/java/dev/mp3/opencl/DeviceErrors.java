package dev.mp3.opencl;

import org.jocl.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bad indices found by kernels. A kernel cannot throw, and checking every index op on the host
 * would cost a round trip per op, so kernels record the first bad index in a small device buffer
 * ([op, index, bound], see report_bad_index in common.cl) and skip it; the host reads the buffer
 * whenever it reads anything back anyway (a download, {@link ClBackend#synchronize}) and throws.
 */
final class DeviceErrors {
    private static final String[] OPS = {"", "indexSelect", "indexAdd", "takeAlong", "scatterAlong"};

    private final ClContext cl;
    private final ClBuffer flag;

    DeviceErrors(ClContext cl, ClBuffer flag) {
        this.cl = cl;
        this.flag = flag;
    }

    /** Where {@link #queueRead} reads the flag to. */
    private final ByteBuffer host = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());

    /** Throws for a recorded bad index (and clears it, so the backend stays usable). */
    void check() {
        int[] e = new int[3];
        cl.read(flag.mem(), 0, 12, Pointer.to(e));
        report(e);
    }

    /**
     * Queues a read of the flag without waiting, for a read-back about to be queued behind it: once
     * that blocking read returns, the in-order queue has read the flag too and {@link #checkQueued}
     * throws what it holds, one host synchronisation for both.
     */
    void queueRead() {
        cl.readAsync(flag.mem(), 12, host);
    }

    /** After a blocking read queued behind {@link #queueRead}: throws for the flag it read. */
    void checkQueued() {
        report(new int[] {host.getInt(0), host.getInt(4), host.getInt(8)});
    }

    private void report(int[] e) {
        if (e[0] == 0) {
            return;
        }
        cl.write(flag.mem(), 12, Pointer.to(new int[3]));
        String op = e[0] > 0 && e[0] < OPS.length ? OPS[e[0]] : "index op " + e[0];
        throw new IllegalArgumentException(op + ": index " + e[1] + " out of range [0, " + e[2]
                + ") (found on the OpenCL device; reported at the next read-back)");
    }
}

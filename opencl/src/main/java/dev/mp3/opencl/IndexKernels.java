package dev.mp3.opencl;

import dev.mp3.tensor.DType;

/** Host side of index.cl. Every input is dense; outputs of scatter-adds arrive zeroed. */
final class IndexKernels {
    private static final int LOCAL = 256;

    private final ClContext cl;
    private final ElementwiseKernels elementwise;
    private final ClBuffer err;

    IndexKernels(ClContext cl, ElementwiseKernels elementwise, ClBuffer err) {
        this.cl = cl;
        this.elementwise = elementwise;
        this.err = err;
    }

    private Program program() {
        return cl.program("index", "");
    }

    private int local(Program p, String kernel) {
        return p.groupSize(kernel, LOCAL);
    }

    /** out row i = x row idx[i]; with {@code orZero}, zeros where idx[i] is -1. One launch. */
    void indexSelect(ClBuffer x, int rows, int rowLen, ClBuffer idx, int count, boolean orZero, ClBuffer out) {
        Program p = program();
        cl.launch(p, "index_select").buffer(x).i32(rows).i32(rowLen).buffer(idx).i32(count).i32(orZero ? 1 : 0)
                .buffer(out).buffer(err).run((long) count * rowLen, local(p, "index_select"));
    }

    /** out [rows, rowLen] (zeroed) += g [count, rowLen] rows by idx, in index order (see index.cl). */
    void indexAdd(ClBuffer g, ClBuffer idx, int count, int rows, int rowLen, ClBuffer out) {
        if (rows == 0 || count == 0) {
            return;
        }
        Program p = program();
        ClBuffer counts = zeroedInts(rows);
        ClBuffer cursor = zeroedInts(rows);
        ClBuffer starts = cl.pool.allocate(DType.I32, rows);
        ClBuffer slots = cl.pool.allocate(DType.I32, count);
        cl.launch(p, "index_add_count").buffer(idx).i32(count).i32(rows).buffer(counts).buffer(err)
                .run(count, local(p, "index_add_count"));
        int scanGroup = local(p, "exclusive_scan");
        cl.launch(p, "exclusive_scan").buffer(counts).i32(rows).buffer(starts).local(4L * scanGroup)
                .run(scanGroup, scanGroup);
        cl.launch(p, "index_add_place").buffer(idx).i32(count).i32(rows).buffer(starts).buffer(cursor).buffer(slots)
                .run(count, local(p, "index_add_place"));
        cl.launch(p, "index_add_sort").buffer(starts).buffer(counts).i32(rows).buffer(slots)
                .run(rows, local(p, "index_add_sort"));
        cl.launch(p, "index_add_sum").buffer(g).i32(rowLen).i32(rows).buffer(starts).buffer(counts).buffer(slots)
                .buffer(out).run((long) rows * rowLen, local(p, "index_add_sum"));
        // Scratch: queued commands are done with them before any later owner's (one in-order queue).
        counts.release();
        cursor.release();
        starts.release();
        slots.release();
    }

    private ClBuffer zeroedInts(int size) {
        ClBuffer b = cl.pool.allocate(DType.I32, size);
        elementwise.zero(b);
        return b;
    }

    void takeAlong(ClBuffer x, int n, ClBuffer idx, int k, int rows, ClBuffer out) {
        Program p = program();
        cl.launch(p, "take_along").buffer(x).i32(n).buffer(idx).i32(k).i32(rows).buffer(out).buffer(err)
                .run((long) rows * k, local(p, "take_along"));
    }

    void scatterAlong(ClBuffer g, ClBuffer idx, int k, int n, int rows, ClBuffer out) {
        Program p = program();
        cl.launch(p, "scatter_along").buffer(g).buffer(idx).i32(k).i32(n).i32(rows).buffer(out).buffer(err)
                .run(rows, local(p, "scatter_along"));
    }
}

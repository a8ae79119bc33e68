package dev.mp3.opencl;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.ReduceOp;

/** Host side of reduce.cl: chunked passes until one part is left (one launch for a matrix's column sums), and argmax. */
final class ReduceKernels {
    /** Must equal CHUNK in reduce.cl. */
    static final int CHUNK = 64;
    private static final int LOCAL = 256;

    private final ClContext cl;

    ReduceKernels(ClContext cl) {
        this.cl = cl;
    }

    private Program program() {
        return cl.program("reduce", "");
    }

    /** Must equal LANES in reduce.cl. */
    static final int LANES = 16;

    /** out [outer, inner] = op over the middle axis of a dense x [outer, n, inner], n > 0. */
    void reduce(ReduceOp op, ClBuffer x, int outer, int n, int inner, ClBuffer out) {
        Program p = program();
        if (outer == 1 && n > CHUNK && op != ReduceOp.MAX && p.maxWorkGroupSize("reduce_columns") >= LANES * LANES) {
            // A sum over the rows of a matrix in one launch, not a chunked pass and a second one.
            float divisor = op == ReduceOp.MEAN ? n : 1f;
            long columns = (long) (inner + LANES - 1) / LANES * LANES;
            cl.launch(p, "reduce_columns").buffer(x).i32(n).i32(inner).f32(divisor).buffer(out)
                    .run(new long[] {columns, LANES}, new long[] {LANES, LANES});
            return;
        }
        int local = p.groupSize("reduce_chunks", LOCAL);
        int code = op == ReduceOp.MAX ? 1 : 0;
        ClBuffer src = x;
        int len = n;
        while (true) {
            int parts = (len + CHUNK - 1) / CHUNK;
            boolean last = parts == 1;
            ClBuffer dst = last ? out : cl.pool.allocate(DType.F32, outer * parts * inner);
            float divisor = last && op == ReduceOp.MEAN ? n : 1f;
            cl.launch(p, "reduce_chunks").buffer(src).i32(outer).i32(len).i32(inner).i32(parts).i32(code).f32(divisor)
                    .buffer(dst).run((long) outer * parts * inner, local);
            if (src != x) {
                src.release();
            }
            if (last) {
                return;
            }
            src = dst;
            len = parts;
        }
    }

    void argmax(ClBuffer x, int outer, int n, int inner, ClBuffer out) {
        Program p = program();
        cl.launch(p, "argmax").buffer(x).i32(outer).i32(n).i32(inner).buffer(out)
                .run((long) outer * inner, p.groupSize("argmax", LOCAL));
    }
}

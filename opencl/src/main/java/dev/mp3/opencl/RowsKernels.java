package dev.mp3.opencl;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.ReduceOp;

/** Host side of rows.cl: one work-group per row, sized from the row length alone. */
final class RowsKernels {
    private static final int SHORT_ROW_GROUP = 32;
    private static final int MAX_ROW_GROUP = 128;
    /** Rows per block in layer norm's column sums (dgamma, dbeta); fixed, so the order is too. */
    static final int PARAM_BLOCK = 64;

    private final ClContext cl;
    private final ReduceKernels reduce;

    RowsKernels(ClContext cl, ReduceKernels reduce) {
        this.cl = cl;
        this.reduce = reduce;
    }

    private Program program() {
        return cl.program("rows", "");
    }

    /** A row's work-group: 32 work-items for rows up to 32 long, else 128 (capped at the kernel's
     *  limit). Two sizes only, because some runtimes (PoCL) compile a kernel once per group size. */
    private int rowGroup(Program p, String kernel, int c) {
        return p.groupSize(kernel, c <= SHORT_ROW_GROUP ? SHORT_ROW_GROUP : MAX_ROW_GROUP);
    }

    private static void runRows(Launch l, int rows, int group) {
        l.local(4L * group).run((long) rows * group, group);
    }

    void softmax(ClBuffer x, ClBuffer y, int rows, int c, boolean log) {
        Program p = program();
        int g = rowGroup(p, "softmax_forward", c);
        runRows(cl.launch(p, "softmax_forward").buffer(x).buffer(y).i32(c).i32(log ? 1 : 0), rows, g);
    }

    void softmaxBackward(ClBuffer y, ClBuffer gy, ClBuffer dx, int rows, int c, boolean log) {
        Program p = program();
        int g = rowGroup(p, "softmax_backward", c);
        runRows(cl.launch(p, "softmax_backward").buffer(y).buffer(gy).buffer(dx).i32(c).i32(log ? 1 : 0), rows, g);
    }

    void layerNorm(ClBuffer x, ClBuffer gamma, ClBuffer beta, float eps, ClBuffer y, ClBuffer mean,
                   ClBuffer rstd, int rows, int c) {
        Program p = program();
        int g = rowGroup(p, "layer_norm_forward", c);
        runRows(cl.launch(p, "layer_norm_forward").buffer(x).buffer(gamma).buffer(beta).f32(eps).i32(c).buffer(y)
                .buffer(mean).buffer(rstd), rows, g);
    }

    /**
     * dx per row, plus the addend (dense like x from addendOffset; null for none); dgamma and dbeta
     * as block partials [blocks, c] summed over the blocks. No mean is taken: both kernels centre x
     * on per-row deviations recomputed as the forward computed them.
     */
    void layerNormBackward(ClBuffer gy, ClBuffer x, ClBuffer gamma, ClBuffer rstd, ClBuffer addend, int addendOffset,
                           ClBuffer dx, ClBuffer dgamma, ClBuffer dbeta, int rows, int c) {
        Program p = program();
        int g = rowGroup(p, "layer_norm_backward_dx", c);
        ClBuffer rowMd = cl.pool.allocate(DType.F32, rows);
        runRows(cl.launch(p, "layer_norm_backward_dx").buffer(gy).buffer(x).buffer(gamma).buffer(rowMd).buffer(rstd)
                .i32(c).buffer(addend == null ? dx : addend).i32(addendOffset).i32(addend == null ? 0 : 1).buffer(dx), rows, g);
        int blocks = (rows + PARAM_BLOCK - 1) / PARAM_BLOCK;
        ClBuffer pg = cl.pool.allocate(DType.F32, blocks * c);
        ClBuffer pb = cl.pool.allocate(DType.F32, blocks * c);
        cl.launch(p, "layer_norm_backward_params").buffer(gy).buffer(x).buffer(rowMd).buffer(rstd).i32(rows).i32(c)
                .i32(PARAM_BLOCK).buffer(pg).buffer(pb)
                .run((long) blocks * c, p.groupSize("layer_norm_backward_params", 256));
        reduce.reduce(ReduceOp.SUM, pg, 1, blocks, c, dgamma);
        reduce.reduce(ReduceOp.SUM, pb, 1, blocks, c, dbeta);
        rowMd.release();
        pg.release();
        pb.release();
    }

    void crossEntropy(ClBuffer logits, ClBuffer targets, float smoothing, ClBuffer loss, int rows, int c) {
        Program p = program();
        int g = rowGroup(p, "cross_entropy_forward", c);
        runRows(cl.launch(p, "cross_entropy_forward").buffer(logits).buffer(targets).i32(c).f32(smoothing)
                .buffer(loss), rows, g);
    }

    void crossEntropyBackward(ClBuffer logits, ClBuffer targets, float smoothing, ClBuffer gLoss, ClBuffer dx,
                              int rows, int c) {
        Program p = program();
        int g = rowGroup(p, "cross_entropy_backward", c);
        runRows(cl.launch(p, "cross_entropy_backward").buffer(logits).buffer(targets).i32(c).f32(smoothing)
                .buffer(gLoss).buffer(dx), rows, g);
    }
}

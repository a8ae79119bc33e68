package dev.mp3.opencl;

import dev.mp3.tensor.UnaryOp;

/**
 * Host side of gemm.cl: picks the direct or the tiled kernel and launches it. Both compute every
 * output as the same fma chain over k, so the choice affects speed only.
 */
final class GemmKernels {
    /** Products up to this many multiply-adds per batch item, or thinner than 16 rows or columns,
     *  go to the direct kernel: tiles would be mostly padding. */
    static final long DIRECT_MAX_WORK = 1L << 18;
    static final int DIRECT_MIN_SIDE = 16;
    private static final int DIRECT_LOCAL = 64;

    /** Which kernel to run; AUTO outside tests. */
    enum Path { AUTO, DIRECT, TILED }

    /**
     * One operand of a batched product: item t's matrix starts at offset + t * batchStride (0 =
     * shared); it is stored row-major with row stride ld, and trans says that the stored matrix
     * is the transpose of the logical operand.
     */
    record Operand(ClBuffer buffer, int offset, int ld, int batchStride, boolean trans) {}

    /**
     * What the kernels do to a product once its dot products are complete, in this order, each
     * optional (null): add a bias on every row ({@code bias[biasOffset + j]} for column j); add an
     * addend laid out as the product (dense [batch, m, n] from {@code addendOffset}: a residual
     * connection, or the gradient a product accumulates into); apply an activation, writing the
     * value before it to {@code pre} (laid out as the product) and after it to C.
     */
    record Epilogue(ClBuffer bias, int biasOffset, ClBuffer addend, int addendOffset, UnaryOp activation, ClBuffer pre) {
        Epilogue {
            if ((activation == null) != (pre == null)) {
                throw new IllegalArgumentException("gemm epilogue: an activation needs a buffer for the pre-activation and vice versa");
            }
        }
    }

    private final ClContext cl;
    private GemmConfig config;
    /** The tuner's own build of gemm.cl for a candidate (kept out of the context's cache), or null. */
    private final Program own;

    GemmKernels(ClContext cl, GemmConfig config) {
        this(cl, config, null);
    }

    /** Kernels that run {@code program}, gemm.cl built with {@code config}'s defines. */
    GemmKernels(ClContext cl, GemmConfig config, Program program) {
        this.cl = cl;
        this.config = config;
        this.own = program;
    }

    GemmConfig config() {
        return config;
    }

    void setConfig(GemmConfig config) {
        String problem = config.problem(cl.info);
        if (problem != null) {
            throw new IllegalArgumentException("gemm config " + config + " cannot run on " + cl.info.name() + ": " + problem);
        }
        this.config = config;
    }

    static boolean useDirect(int m, int n, int k) {
        return m < DIRECT_MIN_SIDE || n < DIRECT_MIN_SIDE || (long) m * n * k <= DIRECT_MAX_WORK;
    }

    /** C (dense [batch, m, n] at offset 0) = op(A) op(B) for every batch item. */
    void gemm(int batch, int m, int n, int k, Operand a, Operand b, ClBuffer c, Path path) {
        gemm(batch, m, n, k, a, b, c, null, path);
    }

    /** C = act(op(A) op(B) + bias + addend), the epilogue's parts applied in the kernel (epilogue may be null). */
    void gemm(int batch, int m, int n, int k, Operand a, Operand b, ClBuffer c, Epilogue epilogue, Path path) {
        boolean direct = path == Path.DIRECT || (path == Path.AUTO && useDirect(m, n, k));
        Program p = own != null ? own : cl.program("gemm", config.defines());
        if (direct) {
            args(cl.launch(p, "gemm_direct").i32(m).i32(n).i32(k).i32(a.trans ? 1 : 0).i32(b.trans ? 1 : 0), a, b, c, m, n,
                    epilogue)
                    .run(new long[] {n, m, batch}, new long[] {DIRECT_LOCAL, 1, 1});
            return;
        }
        String name = "gemm_tiled_" + (a.trans ? "t" : "n") + (b.trans ? "t" : "n");
        long max = p.maxWorkGroupSize(name);
        if (config.threads() > max) {
            throw new ClException("gemm config " + config + " needs " + config.threads() + " work-items per group but "
                    + name + " allows " + max + " on " + cl.info.name() + "; run the tuner (mp3 tune) to choose another");
        }
        int rm = config.tm() / config.wm();
        int rn = config.tn() / config.wn();
        long groupsN = (n + config.tn() - 1) / config.tn();
        long groupsM = (m + config.tm() - 1) / config.tm();
        args(cl.launch(p, name).i32(m).i32(n).i32(k), a, b, c, m, n, epilogue)
                .run(new long[] {groupsN * rn, groupsM * rm, batch}, new long[] {rn, rm, 1});
    }

    private static Launch args(Launch l, Operand a, Operand b, ClBuffer c, int m, int n, Epilogue e) {
        // The kernel never reads a bias or addend it is told is absent; C stands in for the buffer.
        ClBuffer bias = e == null ? null : e.bias;
        ClBuffer addend = e == null ? null : e.addend;
        UnaryOp activation = e == null ? null : e.activation;
        return l.buffer(a.buffer).i32(a.offset).i32(a.ld).i32(a.batchStride)
                .buffer(b.buffer).i32(b.offset).i32(b.ld).i32(b.batchStride)
                .buffer(c).i32(0).i32(n).i32(m * n)
                .buffer(bias == null ? c : bias).i32(bias == null ? 0 : e.biasOffset).i32(bias == null ? 0 : 1)
                .buffer(addend == null ? c : addend).i32(addend == null ? 0 : e.addendOffset).i32(addend == null ? 0 : 1)
                .i32(activation == null ? -1 : ElementwiseKernels.code(activation)).buffer(activation == null ? c : e.pre);
    }
}

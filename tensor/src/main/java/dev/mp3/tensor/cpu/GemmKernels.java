package dev.mp3.tensor.cpu;

import dev.mp3.tensor.Require;

/**
 * Batched SGEMM on float arrays: C = op(A) op(B) for {@code batch} items, where each item's A is a
 * contiguous [M, K] block ([K, M] when transA), B a contiguous [K, N] block ([N, K] when transB) and
 * C a contiguous [M, N] block that is overwritten. A batch stride of 0 shares one operand across the
 * batch (a weight matrix).
 *
 * <p>The kernel is chosen by shape ({@link #choose}): tiny products take a direct loop, larger ones
 * the packed, cache-blocked, register-tiled {@link PackedGemm}, run on the transposed problem
 * (C^T = op(B)^T op(A)^T) when that wastes less of the register tile, as for a skinny C with few
 * columns. Every path, and {@link #gemmReference}, computes each element of C as one chain of
 * fused multiply-adds over k in increasing order, so all of them agree to the last bit, on any
 * number of threads.
 *
 * <p>Public so that benchmarks can time the kernel on preallocated arrays; model code multiplies
 * through {@code Tensor.matmul}.
 */
public final class GemmKernels {
    /**
     * Products with at most this many multiply-adds (m n k) per item take the direct loop: below
     * about 8^3 the fixed cost of packing exceeds the product itself (measured on Zen 4, JDK 25).
     */
    static final long DIRECT_MAX_FMAS = 8 * 8 * 8;

    enum Kernel { DIRECT, PACKED, PACKED_TRANSPOSED, K_OUTER, K_OUTER_TRANSPOSED }

    /** {@link PackedGemm}'s micro-kernel for this machine's vector registers. */
    static final MicroKernel MICRO_KERNEL = MicroKernel.forThisMachine();
    /** {@link KOuterGemm}'s: a narrower tile where its loop reads A in place ({@link MicroKernel#forColumnMajorA}). */
    static final MicroKernel K_OUTER_KERNEL = MicroKernel.forColumnMajorA();

    private GemmKernels() {}

    /**
     * C[t] = op(A[t]) op(B[t]) for t in [0, batch). Item t of X starts at xOff + t * xBatchStride;
     * A is [m, k] ([k, m] when transA), B is [k, n] ([n, k] when transB), C is [m, n], each
     * contiguous. C is overwritten (with zeros when k is 0) and must not overlap A or B.
     */
    public static void gemm(int batch, int m, int n, int k,
                            float[] a, int aOff, int aBatchStride, boolean transA,
                            float[] b, int bOff, int bBatchStride, boolean transB,
                            float[] c, int cOff, int cBatchStride) {
        gemm(batch, m, n, k, a, aOff, aBatchStride, transA, b, bOff, bBatchStride, transB, c, cOff, cBatchStride, null, 0);
    }

    /**
     * The same product with a bias: C[t][i, j] = (op(A[t]) op(B[t]))[i, j] + bias[biasOff + j], the
     * bias added once each element's chain of multiply-adds is complete, while its tile is still in
     * registers or L1. That is the very float addition a separate elementwise add would perform, so
     * the result is the same bits as {@link #gemm} followed by adding the bias to every row.
     * {@code bias} null means none.
     */
    public static void gemm(int batch, int m, int n, int k,
                            float[] a, int aOff, int aBatchStride, boolean transA,
                            float[] b, int bOff, int bBatchStride, boolean transB,
                            float[] c, int cOff, int cBatchStride, float[] bias, int biasOff) {
        if (batch <= 0 || m <= 0 || n <= 0) {
            return;
        }
        GemmOperand ga = GemmOperand.of(a, aOff, aBatchStride, transA, m, k);
        GemmOperand gb = GemmOperand.of(b, bOff, bBatchStride, transB, k, n);
        GemmOperand gc = GemmOperand.of(c, cOff, cBatchStride, false, m, n);
        GemmBias gbias = bias == null ? null : new GemmBias(bias, biasOff, false);
        if (k == 0) {
            for (int item = 0; item < batch; item++) {
                java.util.Arrays.fill(c, gc.at(item, 0, 0), gc.at(item, 0, 0) + m * n, 0f);
                if (gbias != null) {
                    gbias.addTo(c, gc.at(item, 0, 0), n, 0, m, 0, n);
                }
            }
            return;
        }
        MicroKernel kernel = MICRO_KERNEL;
        switch (choose(kernel, batch, m, n, k, ga, gb)) {
            case DIRECT -> {
                DirectGemm.gemm(batch, m, n, k, ga, gb, gc);
                if (gbias != null) {
                    for (int item = 0; item < batch; item++) {
                        gbias.addTo(c, gc.at(item, 0, 0), n, 0, m, 0, n);
                    }
                }
            }
            case PACKED -> PackedGemm.gemm(kernel, batch, m, n, k, ga, gb, gc, gbias);
            case PACKED_TRANSPOSED -> PackedGemm.gemm(kernel, batch, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(),
                    gbias == null ? null : gbias.transposed());
            case K_OUTER -> KOuterGemm.gemm(K_OUTER_KERNEL, m, n, k, ga, gb, gc, gbias);
            case K_OUTER_TRANSPOSED -> KOuterGemm.gemm(K_OUTER_KERNEL, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(),
                    gbias == null ? null : gbias.transposed());
        }
    }

    /**
     * Whether {@link #gemmWithRowSums} can give op(A)'s row sums with the product C = op(A) op(B)
     * of these contiguous operands: where the product is a weight gradient's ({@link KOuterGemm}).
     */
    public static boolean rowSumsWithProduct(int m, int n, int k, boolean transA, boolean transB) {
        if (m <= 0 || n <= 0 || k <= 0) {
            return false;
        }
        Kernel path = choose(MICRO_KERNEL, 1, m, n, k, GemmOperand.of(null, 0, 0, transA, m, k),
                GemmOperand.of(null, 0, 0, transB, k, n));
        return path == Kernel.K_OUTER || path == Kernel.K_OUTER_TRANSPOSED;
    }

    /**
     * One contiguous product C = op(A) op(B), the same bits as {@link #gemm}, and rowSums[i] = the
     * sum over k of op(A)'s row i: for dW = dY^T X, the bias gradient, taken from the product's own
     * reading of dY ({@link KOuterGemm}) instead of a pass of its own. Only where
     * {@link #rowSumsWithProduct} says so; the sums' order is fixed by k alone (KOuterGemm's spans).
     */
    public static void gemmWithRowSums(int m, int n, int k, float[] a, int aOff, boolean transA, float[] b, int bOff,
                                       boolean transB, float[] c, int cOff, float[] rowSums) {
        Require.that(rowSumsWithProduct(m, n, k, transA, transB), () -> "gemmWithRowSums: a " + m + "x" + k + "x" + n
                + " product (transA " + transA + ", transB " + transB + ") is not a weight gradient's; check rowSumsWithProduct first");
        GemmOperand ga = GemmOperand.of(a, aOff, 0, transA, m, k);
        GemmOperand gb = GemmOperand.of(b, bOff, 0, transB, k, n);
        GemmOperand gc = GemmOperand.of(c, cOff, 0, false, m, n);
        if (choose(MICRO_KERNEL, 1, m, n, k, ga, gb) == Kernel.K_OUTER) {
            KOuterGemm.gemm(K_OUTER_KERNEL, m, n, k, ga, gb, gc, rowSums, true);
        } else {   // C^T = op(B)^T op(A)^T: op(A)'s rows are the columns of that product's B
            KOuterGemm.gemm(K_OUTER_KERNEL, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(), rowSums, false);
        }
    }

    /**
     * For benchmarks: one contiguous product C = op(A) op(B) through the packed kernel in the
     * orientation given (C^T = op(B)^T op(A)^T when {@code transposed}), whatever {@link #choose}
     * would pick, so that both can be timed in one process. Same bits either way.
     */
    public static void gemmPacked(boolean transposed, int m, int n, int k, float[] a, boolean transA, float[] b,
                                  boolean transB, float[] c) {
        GemmOperand ga = GemmOperand.of(a, 0, 0, transA, m, k);
        GemmOperand gb = GemmOperand.of(b, 0, 0, transB, k, n);
        GemmOperand gc = GemmOperand.of(c, 0, 0, false, m, n);
        if (transposed) {
            PackedGemm.gemm(MICRO_KERNEL, 1, n, m, k, gb.transposed(), ga.transposed(), gc.transposed());
        } else {
            PackedGemm.gemm(MICRO_KERNEL, 1, m, n, k, ga, gb, gc);
        }
    }

    /** For benchmarks: the kernel {@link #gemm} runs for one contiguous product of this shape (DIRECT, PACKED, ...). */
    public static String kernelFor(int m, int n, int k, boolean transA, boolean transB) {
        return choose(MICRO_KERNEL, 1, m, n, k, GemmOperand.of(null, 0, 0, transA, m, k),
                GemmOperand.of(null, 0, 0, transB, k, n)).name();
    }

    /**
     * One small product C = op(A) op(B) without packing, for callers that already run in parallel
     * over many of them (attention's per-head products, a few thousand multiply-adds each, where
     * packing would cost more than it saves). {@code scratch} holds k * n floats when transB.
     * Same bits as {@link #gemm}.
     */
    static void gemmSmall(int m, int n, int k, float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                          float[] c, int cOff, float[] scratch) {
        DirectGemm.multiply(0, m, n, k, GemmOperand.of(a, aOff, 0, transA, m, k), GemmOperand.of(b, bOff, 0, transB, k, n),
                GemmOperand.of(c, cOff, 0, false, m, n), scratch);
    }

    /**
     * Direct for tiny products; otherwise packed: a weight gradient (column-major A, row-major B)
     * with the larger operand as A, any other product in the orientation with the lower estimated
     * cost in cycles ({@link #packedCycles}): the register tile's multiply-adds, padding included,
     * plus packing the operand that becomes B. One item, both operands contiguous and not transposed.
     * {@code kernel} is PackedGemm's tile; a weight gradient bound for KOuterGemm is judged with the
     * tile that runs it, {@link #K_OUTER_KERNEL}.
     */
    static Kernel choose(MicroKernel kernel, int m, int n, int k) {
        return choose(kernel, 1, m, n, k, GemmOperand.of(null, 0, 0, false, m, k), GemmOperand.of(null, 0, 0, false, k, n));
    }

    static Kernel choose(MicroKernel kernel, int batch, int m, int n, int k, GemmOperand a, GemmOperand b) {
        if ((long) m * n * k <= DIRECT_MAX_FMAS) {
            return Kernel.DIRECT;
        }
        if (batch == 1 && a.colStride() != 1 && b.colStride() == 1) {
            // A weight gradient X^T dY: both operands run along the long k (the tokens).
            if (K_OUTER && k >= K_OUTER_MIN_K) {
                // K blocks outermost, in spans of k (KOuterGemm). The smaller operand goes in as
                // A, whose packing is a transposition (B's is a copy), unless that pads the
                // register tile by more than 5 % over the other way round. (Where A is read in
                // place instead, neither orientation was consistently faster on the ViT shapes:
                // BENCHMARKS.md, 2026-12-03.)
                MicroKernel tile = K_OUTER_KERNEL;
                boolean straight = similarPadding(tile, m, n) ? m <= n
                        : padded(m, tile.rows) * padded(n, tile.cols) <= padded(n, tile.rows) * padded(m, tile.cols);
                return straight ? Kernel.K_OUTER : Kernel.K_OUTER_TRANSPOSED;
            }
            if (similarPadding(kernel, m, n)) {
                // PackedGemm: the operand that goes in as A is packed a K block at a time into L2
                // and read from memory once; B is packed whole before the tasks, out to memory, and
                // read back by every row block. So the larger goes in as A: 1.03-1.12x on the ViT's
                // qkv and fc1 gradients (C^T solved), 1.08-1.11x the other way round on fc2's (two
                // threads, Zen 3; BENCHMARKS.md, 2026-12-01 late). Of equal sizes, straight.
                return n > m ? Kernel.PACKED_TRANSPOSED : Kernel.PACKED;
            }
        }
        double straight = packedCycles(kernel, batch, m, n, k, a, b);
        // Solved as C^T = op(B)^T op(A)^T: op(A)^T is packed, and C is written through a buffer.
        double transposed = packedCycles(kernel, batch, n, m, k, b.transposed(), a.transposed())
                + (double) batch * m * n * BUFFERED_C_CYCLES;
        // What the estimate leaves out (the transposed orientation's A read with other strides, its
        // tasks cut another way) is worth about a tenth: closer than that, the straight one stays.
        return transposed < 0.9 * straight ? Kernel.PACKED_TRANSPOSED : Kernel.PACKED;
    }

    /** Least k for {@link KOuterGemm}: two K blocks (over fewer steps, PackedGemm as before; not measured there). */
    static final int K_OUTER_MIN_K = 2 * PackedGemm.KC;
    /**
     * Whether weight gradients take {@link KOuterGemm}; {@code -Dmp3.kOuterGemm=false} sends them
     * to {@link PackedGemm} as before, for comparisons (the same bits either way).
     */
    static final boolean K_OUTER = Boolean.parseBoolean(System.getProperty("mp3.kOuterGemm", "true"));

    /**
     * Cycles per vector multiply-add of the register tile, per float of B packed (rows copied or
     * transposed), and per float of a column-major A packed into a row-major block (read in
     * memory order, written down the block's columns).
     */
    static final double TILE_FMA_CYCLES = 1.0;
    static final double PACK_CYCLES = 0.25;
    static final double TRANSPOSED_PACK_CYCLES = 4.0;
    static final double A_PACK_CYCLES = 1.0;
    /** Cycles per element of C written through the buffer of the transposed orientation. */
    static final double BUFFERED_C_CYCLES = 1.0;

    /**
     * A rough cost, in cycles of one core, of {@link PackedGemm} on C [m, n] = A B: the tile's
     * vector multiply-adds over the padded C, plus packing B (once when it is shared by the
     * batch), whose price depends on whether its rows are contiguous or it must be transposed,
     * plus packing A when it is not row-major.
     * Fitted on an AVX-512 Xeon, one thread (2026-11-30): a weight gradient of a few output
     * channels over many positions, [24, 4900] x [4900, 216], spends most of its straight time
     * transposing the 1M-float B and runs 1.7x faster transposed; C [6400, 3] = [6400, 192] x
     * [192, 3] runs 1.6x faster straight, because transposed it packs all of A.
     */
    private static double packedCycles(MicroKernel kernel, int batch, int m, int n, int k, GemmOperand a, GemmOperand b) {
        double tileFmas = (double) batch * padded(m, kernel.rows) * padded(n, kernel.cols) * k / ElementwiseKernels.L;
        double packedB = (double) (b.batchStride() == 0 ? 1 : batch) * n * k;
        double packedA = a.colStride() == 1 ? 0 : (double) batch * m * k;
        return tileFmas * TILE_FMA_CYCLES + packedB * (b.colStride() == 1 ? PACK_CYCLES : TRANSPOSED_PACK_CYCLES)
                + packedA * A_PACK_CYCLES;
    }

    /** Whether C [m, n] and its transpose pad the register tile to within 5 % of each other. */
    private static boolean similarPadding(MicroKernel kernel, int m, int n) {
        double straight = (double) padded(m, kernel.rows) * padded(n, kernel.cols);
        double transposed = (double) padded(n, kernel.rows) * padded(m, kernel.cols);
        return Math.max(straight, transposed) <= 1.05 * Math.min(straight, transposed);
    }

    private static long padded(int size, int tile) {
        return (long) PackedGemm.ceilDiv(size, tile) * tile;
    }

    /** The simple twin every fast path is tested against: three loops, the same summation order. */
    static void gemmReference(int batch, int m, int n, int k,
                              float[] a, int aOff, int aBatchStride, boolean transA,
                              float[] b, int bOff, int bBatchStride, boolean transB,
                              float[] c, int cOff, int cBatchStride) {
        gemmReference(batch, m, n, k, a, aOff, aBatchStride, transA, b, bOff, bBatchStride, transB, c, cOff, cBatchStride,
                null, 0);
    }

    /** The twin of the product with a bias: the complete chain, then + bias[j]. */
    static void gemmReference(int batch, int m, int n, int k,
                              float[] a, int aOff, int aBatchStride, boolean transA,
                              float[] b, int bOff, int bBatchStride, boolean transB,
                              float[] c, int cOff, int cBatchStride, float[] bias, int biasOff) {
        for (int item = 0; item < batch; item++) {
            int ab = aOff + item * aBatchStride;
            int bb = bOff + item * bBatchStride;
            int cb = cOff + item * cBatchStride;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float acc = 0f;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[ab + p * m + i] : a[ab + i * k + p];
                        float bv = transB ? b[bb + j * k + p] : b[bb + p * n + j];
                        acc = Math.fma(av, bv, acc);
                    }
                    c[cb + i * n + j] = bias == null ? acc : acc + bias[biasOff + j];
                }
            }
        }
    }
}

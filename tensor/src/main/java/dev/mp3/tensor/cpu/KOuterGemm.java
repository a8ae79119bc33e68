package dev.mp3.tensor.cpu;

/**
 * The weight gradient's GEMM: C = op(A) B where both operands run along a long k (the tokens of
 * a batch) and C is small, as in dW = dY^T X. op(A) is column-major (rows of A are k apart: a
 * transposition to pack), B row-major.
 *
 * <p>{@link PackedGemm} packs all of B before its tasks start, a matrix of k rows that goes out
 * to memory and comes back once per row block of C, and each task packs its own slab of A,
 * reading a few cache lines from each of thousands of rows. Here K blocks are the outer loop and
 * every thread works on the same block: in each round, each task packs a share of the next K
 * block of both operands (whole rows of A and B, read in memory order, into blocks that stay in
 * the caches) and multiplies its part of C by the block the previous round packed. C is
 * accumulated in a padded buffer and written out (with the bias) once at the end. Against the
 * packed path on the ViT's and the demo's weight gradients: 0.95-1.04x on two threads in a fast
 * hour of the AVX2 Zen 3, 1.1-1.3x in a slow one, and 1.1-1.3x on one thread (BENCHMARKS.md,
 * 2026-12-02 night).
 *
 * <p>Each element of C is the same chain of multiply-adds over k in increasing order as in every
 * other path ({@link MicroKernel}): the K blocks run in order, each continuing from the buffer.
 * So the result is the same bits, on any number of threads.
 */
final class KOuterGemm {
    private KOuterGemm() {}

    /**
     * C [m, n] (+ bias) = op(A) [m, k] B [k, n] for one item, op(A) column-major (rowStride 1), B
     * row-major (colStride 1), C any layout.
     */
    static void gemm(MicroKernel kernel, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c,
                     GemmBias bias) {
        int mr = kernel.rows;
        int nr = kernel.cols;
        int kc = PackedGemm.ceilDiv(k, PackedGemm.ceilDiv(k, PackedGemm.KC));
        int kBlocks = PackedGemm.ceilDiv(k, kc);
        int rowTiles = PackedGemm.ceilDiv(m, mr);
        int panels = PackedGemm.ceilDiv(n, nr);
        int lda = GemmPacking.packedARowStride(kc);
        int panelSize = (int) GemmPacking.oddLines((long) kc * nr);
        int aBlock = rowTiles * mr * lda;
        int bBlock = panels * panelSize;
        int ldc = panels * nr;
        // Parts of C: one block of rows per thread. (Blocks of columns, each thread then multiplying
        // by only the B panels it packed, ran 0.83-0.97x as fast on the ViT's weight gradients.)
        int parts = Math.min(rowTiles, Parallel.threads());
        float[] blocks = ArrayPool.SHARED.take(2 * (aBlock + bBlock));
        float[] cbuf = ArrayPool.SHARED.take(rowTiles * mr * ldc);
        try {
            // Round q packs K block q (each part a share of its steps) and multiplies by block q - 1.
            for (int q = 0; q <= kBlocks; q++) {
                int round = q;
                Parallel.forEach(parts, (lo, hi) -> {
                    for (int part = lo; part < hi; part++) {
                        if (round > 0) {
                            int p0 = (round - 1) * kc;
                            int base = ((round - 1) % 2) * (aBlock + bBlock);
                            multiply(kernel, Math.min(kc, k - p0), p0 > 0, blocks, base, base + aBlock, lda, panelSize,
                                    cbuf, ldc, rowTiles, panels, parts, part);
                        }
                        if (round < kBlocks) {
                            int p0 = round * kc;
                            int base = (round % 2) * (aBlock + bBlock);
                            pack(a, b, m, n, p0, Math.min(kc, k - p0), parts, part, mr, nr, rowTiles, lda, panelSize,
                                    blocks, base, base + aBlock);
                        }
                    }
                });
            }
            writeBack(cbuf, ldc, c, bias, m, n);
        } finally {
            ArrayPool.SHARED.give(blocks);
            ArrayPool.SHARED.give(cbuf);
        }
    }

    /**
     * Part {@code part}'s share of K block [p0, p0 + kb), whole units of eight steps: those steps
     * of every row of A and every panel of B, read as whole rows of the operands' memory.
     */
    private static void pack(GemmOperand a, GemmOperand b, int m, int n, int p0, int kb, int parts, int part,
                             int mr, int nr, int rowTiles, int lda, int panelSize, float[] blocks, int aBase, int bBase) {
        int units = PackedGemm.ceilDiv(kb, 8);
        int s0 = Math.min(kb, range(units, parts, part) * 8);
        int s1 = Math.min(kb, range(units, parts, part + 1) * 8);
        if (s0 < s1) {
            GemmPacking.packA(a, 0, m, 0, mr, rowTiles, p0 + s0, s1 - s0, blocks, aBase + s0, lda);
            // Row p of the block at bBase + (p - p0) * nr in each panel.
            GemmPacking.packRowsOfB(b, 0, n, p0 + s0, p0 + s1, nr, panelSize, blocks, bBase - p0 * nr);
        }
    }

    /** Where block {@code index} of {@code blocks} even blocks of {@code count} items starts. */
    private static int range(int count, int blocks, int index) {
        return (int) ((long) index * count / blocks);
    }

    /** Part {@code part} of C (its block of row tiles) += this K block's product. */
    private static void multiply(MicroKernel kernel, int kb, boolean accumulate, float[] blocks, int aBase, int bBase,
                                 int lda, int panelSize, float[] cbuf, int ldc, int rowTiles, int panels, int parts,
                                 int part) {
        int t0 = range(rowTiles, parts, part);
        int t1 = range(rowTiles, parts, part + 1);
        int mr = kernel.rows;
        int nr = kernel.cols;
        // The panels in sweeps that stay in L2 while every row tile of the part reads them.
        int step = PackedGemm.l2Columns(kb, nr, panels * nr) / nr;
        for (int js = 0; js < panels; js += step) {
            int je = Math.min(panels, js + step);
            for (int t = t0; t < t1; t++) {
                int ai = aBase + t * mr * lda;
                for (int j = js; j < je; j++) {
                    kernel.run(kb, blocks, ai, lda, blocks, bBase + j * panelSize, cbuf, t * mr * ldc + j * nr, ldc,
                            accumulate);
                }
            }
        }
    }

    /** C = the buffer's [m, n] corner (+ bias), rows split over the threads. */
    private static void writeBack(float[] cbuf, int ldc, GemmOperand c, GemmBias bias, int m, int n) {
        Parallel.forRange(m, Math.max(1, (1 << 14) / n),
                (lo, hi) -> PackedGemm.writeBack(cbuf, lo * ldc, ldc, c, 0, bias, lo, hi, 0, n));
    }
}

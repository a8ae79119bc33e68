package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * The weight gradient's GEMM: C = op(A) B where both operands run along a long k (the tokens of
 * a batch) and C is small, as in dW = dY^T X. op(A) is column-major (rows of A are k apart: read
 * in place where the machine allows, {@link #READ_A_IN_PLACE}, a transposition to pack
 * otherwise), B row-major.
 *
 * <p>k is cut into spans of whole K blocks, their number fixed by k alone ({@link #spans}). Each
 * span is one task, or a few when there are more threads than spans (each a block of C's row
 * tiles), that runs on its own from start to end: K block after K block (or
 * {@link #BLOCKS_PER_PASS} at a time), it packs those steps of all of B (and of its rows of A,
 * where A is not read in place) into buffers of its own, and multiplies them into its span's
 * partial C. No thread ever waits for another until the
 * partial Cs are summed, span 0 + span 1 + ... in order, and written out (with the bias).
 * Against K blocks shared by all threads with a wait after each (this class before), two threads
 * on a Zen 5: 1.18-1.24x on the ViT-192 weight gradients (8 spans), 1.03-1.05x on the demo's and
 * ViT-S's (4 and 2), 1.06-1.29x at k of 512-1,400 (one span; BENCHMARKS.md, 2026-12-02 late
 * evening).
 *
 * <p>Summation order: within a span each element of C is the same chain of multiply-adds over k
 * in increasing order as in every other path ({@link MicroKernel}); the spans' sums are then
 * added in span order. The spans depend only on k, so the result is the same bits on any number
 * of threads; it differs from the single chain of {@link PackedGemm} by that reassociation.
 */
final class KOuterGemm {
    private KOuterGemm() {}

    /** Least K blocks per span: fewer, and the partial Cs' sum grows next to the products. */
    static final int MIN_BLOCKS_PER_SPAN = 3;
    /** Most spans: a power of two, so that two, four or eight threads share them evenly. */
    static final int MAX_SPANS = 8;

    /**
     * K blocks of a span packed and multiplied in one pass: 2 where a core runs two 512-bit
     * multiply-adds a cycle ({@link CpuModel#FULL_RATE_512}), 1 elsewhere. The blocks stay the
     * unit of the spans, so the result is the same bits either way (a pass only continues each
     * element's chain from C); the pass of about 400 steps loads and stores the partial C half as
     * often, as the wider K blocks of {@link PackedGemm#blockSteps} do there. Zen 5, two threads,
     * A packed, in one JVM: 0.98-1.16x on the ViT and demo weight gradients, 1.10-1.16x on three of
     * ten (BENCHMARKS.md, 2026-12-03 late night); with A read in place, as before, 0.98-1.09x.
     */
    static final int BLOCKS_PER_PASS = CpuModel.FULL_RATE_512 ? 2 : 1;

    /**
     * K steps per block: k cut into blocks of at most {@link PackedGemm#KC}, as even as can be,
     * their number a multiple of {@link #spans} so that every span has as many blocks. (At k =
     * 2,080, ViT-S's tokens, nine blocks of 232 made spans of four and five: on two threads one
     * waited a ninth of the product for the other; ten blocks of 208 ran the ViT weight gradients
     * 1.03-1.20x faster on two threads, Zen 4, BENCHMARKS.md, 2026-12-03.)
     */
    static int blockSteps(int k) {
        int spans = spans(k);
        int blocks = PackedGemm.ceilDiv(PackedGemm.ceilDiv(k, PackedGemm.KC), spans) * spans;
        return PackedGemm.ceilDiv(k, blocks);
    }

    /**
     * Spans of k: the largest power of two, at most {@link #MAX_SPANS}, that leaves each span at
     * least {@link #MIN_BLOCKS_PER_SPAN} blocks of {@link PackedGemm#KC} steps (1 for a k of
     * fewer). A function of k alone.
     */
    static int spans(int k) {
        int blocks = PackedGemm.ceilDiv(k, PackedGemm.KC);
        int spans = 1;
        while (spans < MAX_SPANS && 2 * spans * MIN_BLOCKS_PER_SPAN <= blocks) {
            spans *= 2;
        }
        return spans;
    }

    /** The first K block of span {@code s}, of {@code spans} over {@code blocks} blocks (s = spans: the end). */
    static int spanStart(int blocks, int spans, int s) {
        return range(blocks, spans, s);
    }

    /**
     * Whether op(A) is read where it lies, by the micro-kernel's column-major loop, instead of
     * being packed (transposed into a row-major block) every K block: with 512-bit vectors. The
     * tile's six floats of a step are side by side in dY's row, so there is nothing to transpose,
     * and reading them inside the kernel lets the core overlap that read from memory with the
     * multiply-adds, where the packing pass waited on it alone. Zen 4, one thread, the ViT weight
     * gradients: 1.02-1.08x, the same bits (BENCHMARKS.md, 2026-12-03). With AVX2's 16 registers
     * the same reading of A ran slower than packing it ({@link MicroKernel#run}), so A is packed
     * there. It is packed too where a core runs two 512-bit multiply-adds a cycle
     * ({@link CpuModel#FULL_RATE_512}): there the loop that reads A in place, which keeps a bounds
     * check per row of the tile every step, ran the kernel calls alone 0.88-0.92x as fast as the
     * loop over packed A, and the whole weight gradients 0.99-1.16x faster with A packed (Zen 5,
     * two threads, in one JVM; BENCHMARKS.md, 2026-12-03 late night).
     */
    static final boolean READ_A_IN_PLACE = ElementwiseKernels.S.vectorBitSize() >= 512 && !CpuModel.FULL_RATE_512;

    /**
     * C [m, n] (+ bias) = op(A) [m, k] B [k, n] for one item, op(A) column-major (rowStride 1), B
     * row-major (colStride 1), C any layout.
     */
    static void gemm(MicroKernel kernel, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c,
                     GemmBias bias) {
        gemm(kernel, m, n, k, a, b, c, bias, READ_A_IN_PLACE, BLOCKS_PER_PASS, null, false);
    }

    /**
     * The same, and the sums over k of op(A)'s rows ({@code sumsOfA}, m floats) or of B's columns
     * (n floats) into {@code sums} (null: none). For dW = dY^T X that is the bias gradient, dY's
     * column sums, whichever operand dY went in as: each pass adds the steps of its block of that
     * operand right after packing them (A's in-place reading, too, streams the block first), while
     * they are in cache, instead of a separate pass over dY from memory. Each sum is one chain over
     * k in increasing order within a span, the spans' chains then added in span order: like C, the
     * same bits on any number of threads.
     */
    static void gemm(MicroKernel kernel, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c,
                     float[] sums, boolean sumsOfA) {
        gemm(kernel, m, n, k, a, b, c, null, READ_A_IN_PLACE, BLOCKS_PER_PASS, sums, sumsOfA);
    }

    /**
     * The same, with A read in place or packed as {@code aInPlace} says and {@code blocksPerPass}
     * K blocks to a pass (tests take every path on any machine).
     */
    static void gemm(MicroKernel kernel, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c,
                     GemmBias bias, boolean aInPlace, int blocksPerPass, float[] sums, boolean sumsOfA) {
        int mr = kernel.rows;
        int nr = kernel.cols;
        int kc = blockSteps(k);
        int kBlocks = PackedGemm.ceilDiv(k, kc);
        int spans = spans(k);
        int rowTiles = PackedGemm.ceilDiv(m, mr);
        int panels = PackedGemm.ceilDiv(n, nr);
        int ldc = panels * nr;
        int cSize = rowTiles * mr * ldc;
        // More threads than spans: each span's row tiles in parts, each part packing all of B
        // itself (one span on two threads still ran 1.06-1.29x the shared blocks with their waits).
        int rowParts = Math.min(rowTiles, Math.max(1, PackedGemm.ceilDiv(Parallel.threads(), spans)));
        float[] partial = ArrayPool.SHARED.take(spans * cSize);
        int sumsLength = sumsOfA ? m : n;
        float[] spanSums = sums == null ? null : new float[spans * sumsLength];
        try {
            Parallel.forEach(spans * rowParts, (lo, hi) -> {
                for (int task = lo; task < hi; task++) {
                    int span = task / rowParts;
                    int part = task % rowParts;
                    // A's sums: each part its own rows; B's: the first part, which packs all of B as every part does.
                    StepSums stepSums = spanSums == null || (!sumsOfA && part > 0) ? null
                            : new StepSums(sumsOfA, spanSums, span * sumsLength);
                    span(kernel, m, n, k, a, aInPlace, b, kc, blocksPerPass, spanStart(kBlocks, spans, span),
                            spanStart(kBlocks, spans, span + 1), range(rowTiles, rowParts, part),
                            range(rowTiles, rowParts, part + 1), panels, partial, span * cSize, ldc, stepSums);
                }
            });
            sumAndWriteBack(partial, spans, cSize, ldc, c, bias, m, n);
            if (sums != null) {   // the spans' sums added in span order, as C's partials are
                sumRow(spanSums, 0, spans, sumsLength, sumsLength, sums, 0);
            }
        } finally {
            ArrayPool.SHARED.give(partial);
        }
    }

    /**
     * Row tiles [t0, t1) of one span's partial C = the product over K blocks [q0, q1), in passes
     * of {@code blocksPerPass} blocks: per pass, its steps of all of B packed, and of those rows
     * of A unless A is read in place (then only a last tile with rows past m is packed, padded
     * with zero rows), then multiplied.
     */
    private static void span(MicroKernel kernel, int m, int n, int k, GemmOperand a, boolean aInPlace, GemmOperand b,
                             int kc, int blocksPerPass, int q0, int q1, int t0, int t1, int panels, float[] partial,
                             int cAt, int ldc, StepSums sums) {
        int mr = kernel.rows;
        int nr = kernel.cols;
        int passSteps = blocksPerPass * kc;
        int lda = GemmPacking.packedARowStride(passSteps);
        int panelSize = (int) GemmPacking.oddLines((long) passSteps * nr);
        // With A in place, the tiles whose rows all exist; the rest (at most one) is packed.
        int inPlaceTiles = aInPlace ? Math.max(0, Math.min(t1, m / mr) - t0) : 0;
        float[] aBlock = ArrayPool.SHARED.take(Math.max(1, t1 - t0 - inPlaceTiles) * mr * lda);
        float[] bBlock = ArrayPool.SHARED.take(panels * panelSize);
        try {
            for (int q = q0; q < q1; q += blocksPerPass) {
                int p0 = q * kc;
                int kb = Math.min(Math.min(q1, q + blocksPerPass) * kc, k) - p0;
                if (inPlaceTiles > 0) {
                    readInOrder(a, m, p0, kb);
                }
                int packedFrom = t0 + inPlaceTiles;
                if (packedFrom < t1) {
                    GemmPacking.packA(a, 0, m, packedFrom * mr, mr, t1 - packedFrom, p0, kb, aBlock, 0, lda);
                }
                // Row p of the block at (p - p0) * (the panel's width) in each panel.
                GemmPacking.packRowsOfB(b, 0, n, p0, p0 + kb, p0, nr, panelSize, bBlock, 0);
                if (sums != null && sums.ofA) {   // op(A) is column-major: row i, step p at i + p * colStride
                    int r0 = t0 * mr;
                    addSteps(a.data(), a.at(0, r0, 0), a.colStride(), p0, p0 + kb, Math.min(t1 * mr, m) - r0, sums.into,
                            sums.at + r0);
                } else if (sums != null) {        // B is row-major: step p, column j at p * rowStride + j
                    addSteps(b.data(), b.at(0, 0, 0), b.rowStride(), p0, p0 + kb, n, sums.into, sums.at);
                }
                multiply(kernel, kb, q > q0, a, t0, inPlaceTiles, p0, aBlock, lda, bBlock, panelSize, n, panels,
                        t1 - t0, partial, cAt + t0 * mr * ldc, ldc);
            }
        } finally {
            ArrayPool.SHARED.give(aBlock);
            ArrayPool.SHARED.give(bBlock);
        }
    }

    /** Where a span task adds its sums: op(A)'s rows or B's columns, from {@code into[at]}. */
    private record StepSums(boolean ofA, float[] into, int at) {}

    /**
     * sums[at + i] += x[base + p * stride + i] for i in [0, len), p from p0 to p1 - 1 in order:
     * one chain per i, a step at a time ({@link ElementwiseKernels#axpy} with alpha 1: fma(1, x, s)
     * rounds as x + s does).
     */
    private static void addSteps(float[] x, int base, int stride, int p0, int p1, int len, float[] sums, int at) {
        for (int p = p0; p < p1; p++) {
            ElementwiseKernels.axpy(sums, at, 1f, x, base + p * stride, len);
        }
    }

    /** Where {@link #readInOrder} leaves its sum, so that the JIT keeps its reads. */
    @SuppressWarnings("unused")
    private static volatile float readSink;

    /**
     * Reads one float per cache line of op(A)'s steps [p0, p0 + kb), in memory order, before the
     * kernel reads them in place. A column-major A (dY^T) holds those steps as one run of kb x m
     * floats, of which the kernel reads six floats per step, each step m floats after the last:
     * read that way from memory (a training step's dY, written out by the op before), each step
     * waited on its line, where a pass in memory order first streams the run into the cache.
     * Operands rotated through memory, two threads, Zen 4: the demo model's weight gradients
     * 1.01-1.08x, ViT-192's 1.00-1.06x, ViT-S's 1.00; in cache 1.00 (BENCHMARKS.md, 2026-12-03
     * evening). Only reads: the product is the same bits.
     */
    private static void readInOrder(GemmOperand a, int m, int p0, int kb) {
        float[] d = a.data();
        float sum = 0f;
        for (int i = a.at(0, 0, p0), end = a.at(0, m - 1, p0 + kb - 1); i <= end; i += 16) {
            sum += d[i];
        }
        readSink = sum;
    }

    /** Where block {@code index} of {@code blocks} even blocks of {@code count} items starts. */
    private static int range(int count, int blocks, int index) {
        return (int) ((long) index * count / blocks);
    }

    /**
     * C's row tiles [0, tiles) at cAt (+)= one K block's product: the first {@code inPlaceTiles}
     * read A in place (tile t's rows from row (t0 + t) * rows, steps from p0), the others its
     * packed rows in aBlock.
     */
    private static void multiply(MicroKernel kernel, int kb, boolean accumulate, GemmOperand a, int t0,
                                 int inPlaceTiles, int p0, float[] aBlock, int lda, float[] bBlock, int panelSize,
                                 int n, int panels, int tiles, float[] partial, int cAt, int ldc) {
        int mr = kernel.rows;
        int nr = kernel.cols;
        // The last panel, if narrower than the tile, with the kernel of its own width.
        MicroKernel edge = kernel.narrowed(n - (panels - 1) * nr);
        // The panels in sweeps that stay in L2 while every row tile reads them.
        int step = PackedGemm.l2Columns(kb, nr, panels * nr) / nr;
        for (int js = 0; js < panels; js += step) {
            int je = Math.min(panels, js + step);
            for (int t = 0; t < tiles; t++) {
                boolean inPlace = t < inPlaceTiles;
                float[] ad = inPlace ? a.data() : aBlock;
                int ai = inPlace ? a.at(0, (t0 + t) * mr, p0) : (t - inPlaceTiles) * mr * lda;
                int rowStride = inPlace ? 1 : lda;
                int stepStride = inPlace ? a.colStride() : 1;
                for (int j = js; j < je; j++) {
                    (j == panels - 1 ? edge : kernel).run(kb, ad, ai, rowStride, stepStride, bBlock, j * panelSize,
                            partial, cAt + t * mr * ldc + j * nr, ldc, accumulate);
                }
            }
        }
    }

    /**
     * C = the spans' partial Cs summed in span order, its [m, n] corner (+ bias), split over the
     * threads. Each element is ((p0 + p1) + p2) + ... (+ bias) whichever way C lies; the bias is
     * {@link GemmBias#addTo}'s, onto the block just written. Where C's rows are contiguous, one
     * pass: each vector of a row summed in registers over the spans and stored where C lies. Where
     * C is the caller's C^T (its columns contiguous), blocks of a vector's length of rows: the spans
     * summed into the first partial, then each column of the block read down the rows in one
     * gather and stored as a vector. Against summing all rows first and writing element by
     * element, two threads, Zen 4: this pass 0.52-0.75x the time, from 2.5-8.5 % of the weight
     * gradient's call to 1.0-4.2 % (BENCHMARKS.md, 2026-12-03 morning).
     */
    private static void sumAndWriteBack(float[] partial, int spans, int cSize, int ldc, GemmOperand c, GemmBias bias,
                                        int m, int n) {
        float[] cd = c.data();
        if (c.colStride() == 1) {
            Parallel.forRange(m, Math.max(1, (1 << 14) / n), (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    sumRow(partial, i * ldc, spans, cSize, n, cd, c.at(0, i, 0));
                }
                if (bias != null) {
                    bias.addTo(cd, c.at(0, 0, 0), c.rowStride(), lo, hi, 0, n);
                }
            });
            return;
        }
        int[] down = new int[L];   // a gather's offsets: one element of each of L rows
        for (int t = 0; t < L; t++) {
            down[t] = t * ldc;
        }
        Parallel.forRange(PackedGemm.ceilDiv(m, L), Math.max(1, (1 << 14) / (L * n)), (lo, hi) -> {
            for (int block = lo; block < hi; block++) {
                int i0 = block * L;
                int i1 = Math.min(m, i0 + L);
                for (int s = 1; s < spans; s++) {   // fma(1, x, y): the bits of y + x
                    ElementwiseKernels.axpy(partial, i0 * ldc, 1f, partial, s * cSize + i0 * ldc, (i1 - i0) * ldc);
                }
                if (i1 - i0 < L) {
                    PackedGemm.writeBack(partial, i0 * ldc, ldc, c, 0, bias, i0, i1, 0, n);
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    FloatVector.fromArray(S, partial, i0 * ldc + j, down, 0).intoArray(cd, c.at(0, i0, j));
                }
                if (bias != null) {   // C's column j is the caller's row j: the caller's row-major block
                    bias.transposed().addTo(cd, c.at(0, 0, 0), c.colStride(), 0, n, i0, i1);
                }
            }
        });
    }

    /** n floats at c[to] = the spans' row at partial[at + s * cSize], summed in span order. */
    private static void sumRow(float[] partial, int at, int spans, int cSize, int n, float[] c, int to) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(S, partial, at + j);
            for (int s = 1; s < spans; s++) {
                v = v.add(FloatVector.fromArray(S, partial, at + s * cSize + j));
            }
            v.intoArray(c, to + j);
        }
        for (; j < n; j++) {
            float v = partial[at + j];
            for (int s = 1; s < spans; s++) {
                v += partial[at + s * cSize + j];
            }
            c[to + j] = v;
        }
    }
}

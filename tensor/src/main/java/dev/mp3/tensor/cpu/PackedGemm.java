package dev.mp3.tensor.cpu;

/**
 * The cache-blocked GEMM of the BLIS/GotoBLAS scheme, for matrices large enough that packing
 * pays. op(B) is packed once per call into panels as wide as the micro-kernel's tile (this is
 * where a transposed B gets transposed); the C matrix is cut into blocks of rows (and, when rows
 * are few, of columns): the parallel tasks. Inside a task, K is walked in blocks of {@link #KC}
 * steps ({@link #WIDE_KC} for Zen 5's 6 x 64 tile); for each, the register tile walks the task's
 * rows a panel of A (6 rows) at a time, and each A panel, in L1, sweeps the task's B panels (KC x
 * nc floats, from L2; a task wider than {@link #L2_B_BYTES} of them is swept in parts), so C is
 * written six rows at a time in memory order. (Sweeping one B panel down all rows instead kept
 * that panel in L1 but wrote C in strips one cache line wide, each line read from memory before
 * its write: with operands not in cache, the order here ran 1.03-1.18x faster on the NN ViT
 * shapes, two threads, Zen 3; BENCHMARKS.md, 2026-12-01 afternoon.)
 *
 * <p>The split into tasks and K blocks changes only which code computes an element, never the
 * order of its additions (see {@link MicroKernel}), so results are the same bits on any number of
 * threads.
 */
final class PackedGemm {
    /**
     * K steps per block for tiles narrower than four 512-bit vectors (AVX2's 6 x 16): a B panel of
     * KC x (tile width) floats is read from L1/L2 by every tile of a task.
     */
    static final int KC = 256;
    /**
     * K steps per block for the 6 x 64 tile where a core runs two 512-bit multiply-adds a cycle
     * ({@link #blockSteps}, {@link CpuModel#FULL_RATE_512}): its B panel, 1024 x 64 floats, is the
     * 256 KiB a sweep may read from L2 ({@link #L2_B_BYTES}), so a task sweeps one panel at a time
     * down its rows. Every K block costs each tile a load and a store of its 24 accumulators and a
     * fresh start of its six streams of A, and at two multiply-adds a cycle (Zen 5) that cost
     * showed: against 256, the squares of 512 to 2048 ran 1.05-1.10x faster, the ViT's products
     * with k of 384 to 1,536 1.06-1.13x, one and two threads, the same bits (K blocks only split
     * each chain of multiply-adds where it continues from C). Up to 2,048 steps was as fast; one
     * block of 4,096 (B panels of 1 MiB, an entire L2) ran 0.94x (BENCHMARKS.md, 2026-12-03 late).
     * Not measured on Zen 4 with this tile, which keeps {@link #KC}.
     */
    static final int WIDE_KC = 1024;
    /** Most rows of C per task (a multiple of the tile height 6): the task's A block, MC x KC, stays in L2 (AVX2). */
    static final int MC = 120;
    /**
     * Most rows of C per task for the 6 x 64 tile with {@link #WIDE_KC} steps per block (Zen 5),
     * whose A block then streams from L3 rather than sitting in L2. Each task fetches every one of
     * its B panels (256 KiB) from L3 once per K block, and the first tile over a panel waits for it:
     * at 2048^2 with 120 rows (19 tiles) per task that first call took 10.5-11.0 microseconds
     * against 3.6-4.0 for the other eighteen, a tenth of the product. Three times the rows a task
     * fetch B a third as often; the A rows each call now reads from L3 cost less than that. In one
     * JVM, calls alternating: 2048^2 1.03-1.09x, ViT-S's forward 1.01-1.04x, the other squares and
     * the ViT's forward and dX products 0.98-1.05x, the same bits (BENCHMARKS.md, 2026-12-04).
     */
    static final int WIDE_MC = 360;
    /** Least work (multiply-adds) worth a task of its own: waking a pool thread costs tens of microseconds. */
    static final long MIN_TASK_FMAS = 1L << 20;
    /**
     * Least floats packed per packing range, for the same reason. At 1 << 16 the 64K floats of a
     * 256^2 B were one range, packed by the caller alone while the helper waited: 41 of the
     * call's 208 microseconds (median, two threads, B read back from L3); at 1 << 14 both threads
     * pack it, 22 of 190 (Zen 4, BENCHMARKS.md, 2026-12-03). 512^2 and larger were split already.
     */
    private static final int MIN_PACK_FLOATS = 1 << 14;

    private PackedGemm() {}

    static void gemm(MicroKernel kernel, int batch, int m, int n, int k,
                     GemmOperand a, GemmOperand b, GemmOperand c) {
        gemm(kernel, batch, m, n, k, a, b, c, null);
    }

    /** With a bias added to each element of C after its last K block (null for none); see {@link GemmBias}. */
    static void gemm(MicroKernel kernel, int batch, int m, int n, int k,
                     GemmOperand a, GemmOperand b, GemmOperand c, GemmBias bias) {
        gemm(kernel, blockSteps(kernel), batch, m, n, k, a, b, c, bias);
    }

    /** The same with K blocks of at most {@code maxKc} steps (tests take both block sizes on any machine). */
    static void gemm(MicroKernel kernel, int maxKc, int batch, int m, int n, int k,
                     GemmOperand a, GemmOperand b, GemmOperand c, GemmBias bias) {
        int nr = kernel.cols;
        int panels = ceilDiv(n, nr);
        int bItems = b.batchStride() == 0 ? 1 : batch;
        int panelSize = checkedSize(GemmPacking.oddLines((long) k * nr));
        Workspace caller = Workspace.get();
        float[] packedB = caller.takePackedB(checkedSize((long) bItems * panels * panelSize));
        try {
            multiply(kernel, maxKc, batch, m, n, k, a, b, c, bias, packedB, panels, panelSize);
        } finally {
            caller.giveBackPackedB(packedB);
        }
    }

    /** The most K steps per block for this tile: {@link #WIDE_KC} for four 512-bit vectors at full rate, else {@link #KC}. */
    static int blockSteps(MicroKernel kernel) {
        return widePanels(kernel) ? WIDE_KC : KC;
    }

    /** The most rows of C per task for this tile: {@link #WIDE_MC} where {@link #blockSteps} is {@link #WIDE_KC}, else {@link #MC}. */
    static int taskRows(MicroKernel kernel) {
        return widePanels(kernel) ? WIDE_MC : MC;
    }

    private static boolean widePanels(MicroKernel kernel) {
        return kernel.cols >= 64 && CpuModel.FULL_RATE_512;
    }

    private static void multiply(MicroKernel kernel, int maxKc, int batch, int m, int n, int k, GemmOperand a,
                                 GemmOperand b, GemmOperand c, GemmBias bias, float[] packedB, int panels, int panelSize) {
        int nr = kernel.cols;
        int bItems = b.batchStride() == 0 ? 1 : batch;
        if (b.colStride() == 1) {
            // Row-major B: tasks of whole rows, each dealt out to every panel.
            int rowFloats = panels * nr;
            Parallel.forRange(bItems * k, Math.max(1, MIN_PACK_FLOATS / rowFloats), (lo, hi) -> {
                for (int idx = lo; idx < hi; ) {
                    int item = idx / k;
                    int p0 = idx % k;
                    int p1 = Math.min(k, p0 + (hi - idx));
                    GemmPacking.packRowsOfB(b, item, n, p0, p1, 0, nr, panelSize, packedB, item * panels * panelSize);
                    idx += p1 - p0;
                }
            });
        } else {
            Parallel.forRange(bItems * panels, Math.max(1, MIN_PACK_FLOATS / panelSize), (lo, hi) -> {
                for (int idx = lo; idx < hi; idx++) {
                    int j0 = (idx % panels) * nr;
                    GemmPacking.packB(b, idx / panels, k, n, j0, kernel.narrowed(n - j0).cols, packedB, idx * panelSize);
                }
            });
        }

        int mr = kernel.rows;
        int kc = ceilDiv(k, ceilDiv(k, maxKc));
        // Tasks: enough to keep every thread busy (4 per thread, for balance), none below
        // MIN_TASK_FMAS, as a grid of row blocks (at most taskRows, the tiles dealt out evenly) by
        // column blocks (whole B panels). A task streams its rows of A past all its B panels, so the
        // grid's cost in memory traffic is rowBlocks x |B| + colBlocks x |A|: cut mostly rows when B
        // is the smaller operand (the forward x W^T, many rows), mostly columns when A is (a weight
        // gradient dY^T X over thousands of tokens, whose B would otherwise be streamed once per
        // thin row block). A column-major A that several column blocks would read is packed whole
        // beforehand, out to memory and back (SharedA): that costs two more passes over A.
        long fmas = (long) batch * m * n * k;
        int threads = Parallel.threads();
        long wanted = Math.min(4L * threads, Math.max(1, fmas / MIN_TASK_FMAS));
        long perItem = ceilDiv(wanted, batch);
        boolean columnMajorA = a.colStride() != 1 && batch == 1;
        int tiles = ceilDiv(m, mr);
        int[] grid = grid(batch, m, n, k, mr, nr, taskRows(kernel), panels, perItem, columnMajorA, threads);
        int rowBlocks = grid[0];
        int nc = grid[1];
        int colBlocks = ceilDiv(n, nc);
        int tasks = batch * rowBlocks * colBlocks;
        long taskFmas = (long) ceilDiv(tiles, rowBlocks) * mr * nc * k;
        // A column-major A that several column blocks share is packed once, before the tasks.
        SharedA shared = columnMajorA && colBlocks > 1 ? SharedA.pack(a, m, k, kc, mr) : null;
        Parallel.RangeBody body = (lo, hi) -> {
            Workspace ws = Workspace.get();
            for (int task = lo; task < hi; task++) {
                int item = task / (rowBlocks * colBlocks);
                int rest = task % (rowBlocks * colBlocks);
                int rowBlock = rest / colBlocks;
                int i0 = (int) ((long) rowBlock * tiles / rowBlocks) * mr;
                int i1 = Math.min(m, (int) ((long) (rowBlock + 1) * tiles / rowBlocks) * mr);
                int j0 = (rest % colBlocks) * nc;
                int j1 = Math.min(n, j0 + nc);
                int bBase = (b.batchStride() == 0 ? 0 : item) * panels * panelSize;
                if (c.colStride() == 1) {
                    block(kernel, item, m, n, k, kc, a, shared, packedB, bBase, panelSize, c, bias, ws, i0, i1, j0, j1);
                } else {
                    for (int jc = j0; jc < j1; jc += STRIDED_C_COLUMNS) {
                        block(kernel, item, m, n, k, kc, a, shared, packedB, bBase, panelSize, c, bias, ws, i0, i1,
                                jc, Math.min(j1, jc + STRIDED_C_COLUMNS));
                    }
                }
            }
        };
        try {
            long grain = Math.min(tasks, MIN_TASK_FMAS / taskFmas);
            if (grain <= 1) {
                // Tasks worth a thread each: handed out one at a time, so the threads end at most
                // one task apart (in forRange's ranges of several, one thread could end two or three
                // tasks after the other).
                Parallel.forEach(tasks, body);
            } else {
                Parallel.forRange(tasks, (int) grain, body);
            }
        } finally {
            if (shared != null) {
                ArrayPool.SHARED.give(shared.data());
            }
        }
    }

    /**
     * The number of row blocks (the tiles of mr rows dealt out evenly, at most mc rows each) and the
     * columns of a column block (nc, whole panels) for about {@code wanted} tasks per item, at the
     * least traffic rowBlocks x k n + colBlocks x m k (of equal costs, the fewest row blocks), plus
     * 2 m k when {@code sharedA} (A would be packed whole, written out and read back, if more than
     * one column block read it), the traffic scaled by how unevenly the tasks fall on the threads:
     * with T threads and equal tasks, the last of them ends after ceil(tasks / T) of them where
     * tasks / T would be even, so 9 tasks cost 10 / 9 of their traffic on two threads.
     *
     * <p>With the sharedA term the qkv and fc1 weight gradients of the ViT (576 or 768 rows of
     * dY^T, 192 columns) are cut into row blocks only, each packing its own rows of A per K block
     * into L2: 1.01-1.49x and 0.98-1.19x faster than one shared packing, two threads, Zen 3
     * (BENCHMARKS.md, 2026-12-01 late).
     */
    static int[] grid(int batch, int m, int n, int k, int mr, int nr, int mc, int panels, long wanted, boolean sharedA,
                      int threads) {
        int tiles = ceilDiv(m, mr);
        int minRows = ceilDiv(tiles, mc / mr);
        // From the fewest row blocks mc allows to about `wanted`, and threads - 1 more to round up to.
        int most = Math.min(tiles, Math.max(minRows, (int) wanted) + threads - 1);
        int bestRows = 0;
        int bestNc = 0;
        double bestCost = Double.MAX_VALUE;
        for (int r = minRows; r <= most; r++) {
            int cols = (int) Math.min(panels, Math.max(1, ceilDiv(wanted, r)));
            int nc = ceilDiv(panels, cols) * nr;
            int colBlocks = ceilDiv(n, nc);
            double traffic = (double) r * k * n + (double) colBlocks * m * k + (sharedA && colBlocks > 1 ? 2.0 * m * k : 0);
            long tasks = (long) batch * r * colBlocks;
            double cost = traffic * (ceilDiv(tasks, threads) * threads) / tasks;
            if (cost < bestCost) {
                bestCost = cost;
                bestRows = r;
                bestNc = nc;
            }
        }
        return new int[] {bestRows, bestNc};
    }

    /**
     * Columns of C per pass when C's rows are not contiguous (the C^T of a product solved
     * transposed): the block is accumulated in a contiguous buffer of up to MC x this many floats
     * and written out once, after its last K block. A multiple of every tile width.
     */
    static final int STRIDED_C_COLUMNS = 960;

    /**
     * C rows [i0, i1) x columns [j0, j1) of one item; j0 is a multiple of the tile width. The bias,
     * if any, goes onto each tile right after its last K block, while the tile is in L1.
     *
     * <p>A row-major A is read in place (the kernel broadcasts single floats along each row;
     * packing it, tried on Zen 4 for tasks with 4 to 43 B panels, bought nothing measurable), and
     * only a last, partial panel of rows is copied, padded with zero rows, unless its rows are a
     * multiple of {@link #ALIASING_ROW_FLOATS} apart and the tile {@link #packsAliasingA}. Any other A (the
     * column-major dY^T of a weight gradient) is packed, the task's whole block of rows once per K
     * block, into a row-major block that the same kernel reads as it reads A in place, or read
     * from {@code shared}, the same layout packed for all tasks at once ({@link SharedA}). (BLIS's
     * layout, each panel step after step of k, needs a kernel that reads six neighbouring floats
     * per step; C2 hoisted their broadcasts and spilled an accumulator of the 6 x 16 tile to the
     * stack, halving its rate on an AVX2 Zen 3: BENCHMARKS.md, 2026-12-01 afternoon.)
     *
     * <p>C with contiguous rows is written tile by tile (a partial tile through a scratch tile);
     * otherwise the block is accumulated in a contiguous buffer over all K blocks and written out
     * at the end, bias included, so the strided writes happen once rather than once per K block.
     * Neither changes any element's chain of multiply-adds.
     */
    private static void block(MicroKernel kernel, int item, int m, int n, int k, int kc, GemmOperand a, SharedA shared,
                              float[] packedB, int bBase, int panelSize, GemmOperand c, GemmBias bias,
                              Workspace ws, int i0, int i1, int j0, int j1) {
        int mr = kernel.rows;
        int nr = kernel.cols;
        int tiles = ceilDiv(i1 - i0, mr);
        boolean buffered = c.colStride() != 1;
        int width = ceilDiv(j1 - j0, nr) * nr;
        boolean inPlace = a.colStride() == 1 && (a.rowStride() % ALIASING_ROW_FLOATS != 0 || !packsAliasingA(kernel));
        int lda = GemmPacking.packedARowStride(kc);
        float[] packedA = ws.packedA((inPlace || shared != null ? 1 : tiles) * mr * lda);
        float[] tile = ws.tile(mr * nr);
        float[] cbuf = buffered ? ws.cBlock(tiles * mr * width) : null;
        float[] cd = c.data();
        int lastPanel = i0 + (tiles - 1) * mr;
        boolean partial = lastPanel + mr > m;
        // C's last panel of columns, if narrower than the tile, runs the kernel of its own width.
        MicroKernel edge = kernel.narrowed(n - (ceilDiv(n, nr) - 1) * nr);
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            boolean accumulate = p0 > 0;
            GemmBias epilogue = p0 + kb == k ? bias : null;
            // A's rows along k where they are not read in place: this task's packed block (or only
            // its partial last panel, at 0), or the block packed for all tasks.
            float[] pa = shared != null ? shared.data() : packedA;
            int paBase = shared != null ? shared.at(p0 / kc, i0) : 0;
            if (inPlace) {
                if (partial) {
                    GemmPacking.packA(a, item, m, lastPanel, mr, 1, p0, kb, packedA, 0, lda);
                }
            } else if (shared == null) {
                GemmPacking.packA(a, item, m, i0, mr, tiles, p0, kb, packedA, 0, lda);
            }
            int step = l2Columns(kb, nr, j1 - j0);
            for (int js = j0; js < j1; js += step) {
                int je = Math.min(j1, js + step);
                for (int t = 0; t < tiles; t++) {
                    int i = i0 + t * mr;
                    boolean readInPlace = inPlace && i + mr <= m;
                    float[] ad = readInPlace ? a.data() : pa;
                    int ai = readInPlace ? a.at(item, i, p0) : inPlace ? 0 : paBase + t * mr * lda;
                    int aRowStride = readInPlace ? a.rowStride() : lda;
                    for (int j = js; j < je; j += nr) {
                        MicroKernel kj = j + nr > n ? edge : kernel;
                        int pw = kj.cols;
                        int bi = bBase + (j / nr) * panelSize + p0 * pw;
                        if (buffered) {
                            kj.run(kb, ad, ai, aRowStride, 1, packedB, bi, cbuf, t * mr * width + (j - j0), width, accumulate);
                            continue;
                        }
                        if (i + mr <= m && j + pw <= n) {
                            kj.run(kb, ad, ai, aRowStride, 1, packedB, bi, cd, c.at(item, i, j), c.rowStride(), accumulate);
                            if (epilogue != null) {
                                epilogue.addTo(cd, c.at(item, 0, 0), c.rowStride(), i, i + mr, j, j + pw);
                            }
                            continue;
                        }
                        // A partial tile: run on a scratch tile.
                        int h = Math.min(mr, m - i);
                        int w = Math.min(nr, n - j);
                        if (accumulate) {
                            for (int r = 0; r < h; r++) {
                                System.arraycopy(cd, c.at(item, i + r, j), tile, r * nr, w);
                            }
                        }
                        kj.run(kb, ad, ai, aRowStride, 1, packedB, bi, tile, 0, nr, accumulate);
                        for (int r = 0; r < h; r++) {
                            System.arraycopy(tile, r * nr, cd, c.at(item, i + r, j), w);
                        }
                        if (epilogue != null) {
                            epilogue.addTo(cd, c.at(item, 0, 0), c.rowStride(), i, i + h, j, j + w);
                        }
                    }
                }
            }
        }
        if (buffered) {
            writeBack(cbuf, 0, width, c, item, bias, i0, i1, j0, j1);
        }
    }

    /**
     * A row-major A whose row stride is a multiple of this many floats (2 KiB: the squares of 512,
     * 1024, 2048, and x W^T with 512 or 1536 inputs) is packed, not read in place, by a tile
     * narrower than four vectors ({@link #packsAliasingA}): the six rows it reads side by side fall
     * into one or two of L1's 64 sets. Packed at an odd number of cache lines per row, 2048^2 ran
     * 1.07-1.32x faster with AVX2's 6 x 16 tile (Zen 3, one and two threads; BENCHMARKS.md,
     * 2026-12-01 evening).
     */
    static final int ALIASING_ROW_FLOATS = 512;

    /**
     * Whether this tile packs an A whose rows are {@link #ALIASING_ROW_FLOATS} apart. The 6 x 64
     * tile (four vectors, AVX-512) reads a float of A once per four vector multiply-adds, half as
     * often as the 6 x 16, and read in place such an A ran faster: the demo model's x W^T and dY W
     * with 512 inputs 1.07-1.17x, ViT-S's with 1536 1.04-1.06x, the squares of 512 to 2048
     * 0.98-1.06x (Zen 4, one and two threads; BENCHMARKS.md, 2026-12-03 afternoon).
     */
    static boolean packsAliasingA(MicroKernel kernel) {
        return kernel.cols < 4 * ElementwiseKernels.L;
    }

    /** Bytes of packed B that one sweep of an A panel may read from L2 (half of Zen 3's 512 KiB). */
    static final int L2_B_BYTES = 256 * 1024;

    /**
     * Columns (whole panels) per sweep of the A panels over a task's columns, so that the B panels
     * swept, kb x columns floats, stay in L2: the task's width cut into equal parts of at most
     * {@link #L2_B_BYTES}.
     */
    static int l2Columns(int kb, int nr, int width) {
        int panels = ceilDiv(width, nr);
        int most = Math.max(1, L2_B_BYTES / (kb * nr * Float.BYTES));
        int parts = ceilDiv(panels, most);
        return ceilDiv(panels, parts) * nr;
    }

    /**
     * A column-major op(A) (the dY^T of a weight gradient) packed whole, before the tasks, when
     * more than one column block of tasks reads each of its rows: K block q is a row-major block of
     * {@code rows} rows (m rounded up to the tile height, zero past m) at data[q * rows * lda], its
     * rows lda apart, each along k as {@link GemmPacking#packA} lays them out. Packed per task
     * instead, each row was packed once per column block: the qkv weight gradient (two column
     * blocks) spent a quarter of its time packing.
     */
    record SharedA(float[] data, int rows, int lda) {
        int at(int kBlock, int row) {
            return (kBlock * rows + row) * lda;
        }

        static SharedA pack(GemmOperand a, int m, int k, int kc, int mr) {
            int kBlocks = ceilDiv(k, kc);
            int rows = ceilDiv(m, mr) * mr;
            int lda = GemmPacking.packedARowStride(kc);
            int rowChunks = ceilDiv(rows, MC);
            SharedA shared = new SharedA(ArrayPool.SHARED.take(checkedSize((long) kBlocks * rows * lda)), rows, lda);
            Parallel.forRange(kBlocks * rowChunks, 1, (lo, hi) -> {
                for (int idx = lo; idx < hi; idx++) {
                    int q = idx / rowChunks;
                    int i0 = (idx % rowChunks) * MC;
                    int p0 = q * kc;
                    GemmPacking.packA(a, 0, m, i0, mr, ceilDiv(Math.min(MC, rows - i0), mr), p0, Math.min(kc, k - p0),
                            shared.data, shared.at(q, i0), lda);
                }
            });
            return shared;
        }
    }

    /**
     * C[i0..i1, j0..j1] = buffer (+ bias), the buffer row-major with {@code width} floats per row,
     * C[i0, j0] at cbuf[at].
     */
    static void writeBack(float[] cbuf, int at, int width, GemmOperand c, int item, GemmBias bias,
                          int i0, int i1, int j0, int j1) {
        float[] cd = c.data();
        if (c.rowStride() == 1) {
            // C^T of the transposed problem: walk down each column of this C, which is a row of the caller's.
            for (int j = j0; j < j1; j++) {
                int dst = c.at(item, 0, j);
                for (int i = i0; i < i1; i++) {
                    float v = cbuf[at + (i - i0) * width + (j - j0)];
                    cd[dst + i] = bias == null ? v : v + bias.at(i, j);
                }
            }
            return;
        }
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                float v = cbuf[at + (i - i0) * width + (j - j0)];
                cd[c.at(item, i, j)] = bias == null ? v : v + bias.at(i, j);
            }
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static long ceilDiv(long x, long y) {
        return (x + y - 1) / y;
    }

    private static int checkedSize(long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matmul: packed operand of " + size
                    + " floats exceeds the largest Java array");
        }
        return (int) size;
    }

    /**
     * Per-thread scratch arrays, grown on demand and reused across calls so that a training step
     * does not allocate megabytes per matmul. A packed B above {@link #KEEP_LIMIT} floats is not
     * kept. packedA and tile are used only inside one task body, which never waits on the pool.
     */
    static final class Workspace {
        private static final int KEEP_LIMIT = 1 << 23;
        private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

        private static final float[] EMPTY = new float[0];

        private float[] packedB = EMPTY;
        private float[] packedA = EMPTY;
        private float[] tile = EMPTY;
        private float[] cBlock = EMPTY;

        static Workspace get() {
            return LOCAL.get();
        }

        /**
         * The packed-B buffer, checked out for the length of one call: a gemm that starts on this
         * thread while it waits for the pool (a nested call) gets a fresh array instead.
         */
        float[] takePackedB(int size) {
            float[] buffer = packedB;
            packedB = EMPTY;
            return buffer.length >= size ? buffer : new float[size];
        }

        void giveBackPackedB(float[] buffer) {
            if (buffer.length <= KEEP_LIMIT && buffer.length >= packedB.length) {
                packedB = buffer;
            }
        }

        float[] packedA(int size) {
            if (packedA.length < size) {
                packedA = new float[size];
            }
            return packedA;
        }

        float[] cBlock(int size) {
            if (cBlock.length < size) {
                cBlock = new float[size];
            }
            return cBlock;
        }

        float[] tile(int size) {
            if (tile.length < size) {
                tile = new float[size];
            }
            return tile;
        }
    }
}

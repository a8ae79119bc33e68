package dev.mp3.tensor.cpu;

/**
 * The cache-blocked GEMM of the BLIS/GotoBLAS scheme, for matrices large enough that packing
 * pays. op(B) is packed once per call into panels as wide as the micro-kernel's tile; the C
 * matrix is cut into blocks of rows and columns (the parallel tasks); inside a task, K is walked in
 * blocks of {@link #KC} steps, the task's rows of op(A) for that block are packed (they stay in
 * L2 while every B panel streams past them), and the micro-kernel sweeps its register tile over
 * the block.
 *
 * <p>The split into tasks and K blocks changes only which code computes an element, never the
 * order of its additions (see {@link MicroKernel}), so results are the same bits on any number of
 * threads.
 */
final class PackedGemm {
    /** K steps per block: a B panel of KC x (tile width) floats is read from L1/L2 by every tile of a task. */
    static final int KC = 256;
    /** Rows of C per task (a multiple of the tile height 6); the A block of a task, MC x KC, stays in L2. */
    static final int MC = 120;
    /** Least work (multiply-adds) worth a task of its own: waking a pool thread costs tens of microseconds. */
    static final long MIN_TASK_FMAS = 1L << 20;
    /** Least floats packed per packing task, for the same reason. */
    private static final int MIN_PACK_FLOATS = 1 << 16;

    private PackedGemm() {}

    static void gemm(MicroKernel kernel, int batch, int m, int n, int k,
                     GemmOperand a, GemmOperand b, GemmOperand c) {
        int nr = kernel.cols;
        int panels = ceilDiv(n, nr);
        int bItems = b.batchStride() == 0 ? 1 : batch;
        int panelSize = checkedSize((long) k * nr);
        float[] packedB = Workspace.get().packedB(checkedSize((long) bItems * panels * panelSize));
        Parallel.forRange(bItems * panels, Math.max(1, MIN_PACK_FLOATS / panelSize), (lo, hi) -> {
            for (int idx = lo; idx < hi; idx++) {
                GemmPacking.packB(b, idx / panels, k, n, (idx % panels) * nr, nr, packedB, idx * panelSize);
            }
        });

        int mr = kernel.rows;
        int kc = ceilDiv(k, ceilDiv(k, KC));
        int mc = Math.min(ceilDiv(MC, mr) * mr, ceilDiv(m, mr) * mr);
        int rowBlocks = ceilDiv(m, mc);
        // Columns are split only when rows alone give too few tasks to keep every thread busy.
        long fmas = (long) batch * m * n * k;
        long wanted = Math.min(4L * Parallel.threads(), Math.max(1, fmas / MIN_TASK_FMAS));
        int nc = ceilDiv(panels, (int) Math.min(panels, Math.max(1, ceilDiv(wanted, (long) batch * rowBlocks)))) * nr;
        int colBlocks = ceilDiv(n, nc);
        int tasks = batch * rowBlocks * colBlocks;
        long taskFmas = (long) mc * nc * k;
        Parallel.forRange(tasks, (int) Math.max(1, Math.min(tasks, MIN_TASK_FMAS / taskFmas)), (lo, hi) -> {
            Workspace ws = Workspace.get();
            float[] packedA = ws.packedA(mc * kc);
            float[] tile = ws.tile(mr * nr);
            for (int task = lo; task < hi; task++) {
                int item = task / (rowBlocks * colBlocks);
                int rest = task % (rowBlocks * colBlocks);
                int i0 = (rest / colBlocks) * mc;
                int j0 = (rest % colBlocks) * nc;
                int bBase = (b.batchStride() == 0 ? 0 : item) * panels * panelSize;
                block(kernel, item, m, n, k, kc, a, packedB, bBase, panelSize, c, packedA, tile,
                        i0, Math.min(m, i0 + mc), j0, Math.min(n, j0 + nc));
            }
        });
    }

    /** C rows [i0, i1) x columns [j0, j1) of one item; j0 is a multiple of the tile width. */
    private static void block(MicroKernel kernel, int item, int m, int n, int k, int kc, GemmOperand a,
                              float[] packedB, int bBase, int panelSize, GemmOperand c,
                              float[] packedA, float[] tile, int i0, int i1, int j0, int j1) {
        int mr = kernel.rows;
        int nr = kernel.cols;
        float[] cd = c.data();
        // Row-major A is packed, so the kernel reads one stream instead of `rows` strided ones (which,
        // at power-of-two widths, also fight over the same cache sets). A stored transposed already
        // has each step's rows side by side and is read in place, except a last, partial panel.
        boolean pack = a.rowStride() != 1;
        int lastPanel = i0 + ((i1 - i0 - 1) / mr) * mr;
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            boolean accumulate = p0 > 0;
            if (pack) {
                for (int i = i0; i < i1; i += mr) {
                    GemmPacking.packA(a, item, m, i, mr, p0, kb, packedA, (i - i0) * kb);
                }
            } else if (lastPanel + mr > m) {
                GemmPacking.packA(a, item, m, lastPanel, mr, p0, kb, packedA, (lastPanel - i0) * kb);
            }
            for (int j = j0; j < j1; j += nr) {
                int bi = bBase + (j / nr) * panelSize + p0 * nr;
                for (int i = i0; i < i1; i += mr) {
                    boolean inPlace = !pack && i + mr <= m;
                    float[] ad = inPlace ? a.data() : packedA;
                    int ai = inPlace ? a.at(item, i, p0) : (i - i0) * kb;
                    int aRowStride = inPlace ? a.rowStride() : 1;
                    int aStep = inPlace ? a.colStride() : mr;
                    if (i + mr <= m && j + nr <= n && c.colStride() == 1) {
                        kernel.run(kb, ad, ai, aRowStride, aStep, packedB, bi, cd, c.at(item, i, j), c.rowStride(), accumulate);
                        continue;
                    }
                    // A partial tile, or a C whose rows are not contiguous: run on a scratch tile.
                    int h = Math.min(mr, m - i);
                    int w = Math.min(nr, n - j);
                    if (accumulate) {
                        for (int r = 0; r < h; r++) {
                            for (int cc = 0; cc < w; cc++) {
                                tile[r * nr + cc] = cd[c.at(item, i + r, j + cc)];
                            }
                        }
                    }
                    kernel.run(kb, ad, ai, aRowStride, aStep, packedB, bi, tile, 0, nr, accumulate);
                    for (int r = 0; r < h; r++) {
                        for (int cc = 0; cc < w; cc++) {
                            cd[c.at(item, i + r, j + cc)] = tile[r * nr + cc];
                        }
                    }
                }
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
     * does not allocate megabytes per matmul. Buffers above {@link #KEEP_LIMIT} floats are not kept.
     */
    static final class Workspace {
        private static final int KEEP_LIMIT = 1 << 22;
        private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

        private float[] packedB = new float[0];
        private float[] packedA = new float[0];
        private float[] tile = new float[0];

        static Workspace get() {
            return LOCAL.get();
        }

        float[] packedB(int size) {
            if (packedB.length >= size) {
                return packedB;
            }
            float[] fresh = new float[size];
            if (size <= KEEP_LIMIT) {
                packedB = fresh;
            }
            return fresh;
        }

        float[] packedA(int size) {
            if (packedA.length < size) {
                packedA = new float[size];
            }
            return packedA;
        }

        float[] tile(int size) {
            if (tile.length < size) {
                tile = new float[size];
            }
            return tile;
        }
    }
}

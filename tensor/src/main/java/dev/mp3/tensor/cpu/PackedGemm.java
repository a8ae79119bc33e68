package dev.mp3.tensor.cpu;

/**
 * The cache-blocked GEMM of the BLIS/GotoBLAS scheme, for matrices large enough that packing
 * pays. op(B) is packed once per call into panels as wide as the micro-kernel's tile (this is
 * where a transposed B gets transposed); the C matrix is cut into blocks of rows (and, when rows
 * are few, of columns): the parallel tasks. Inside a task, K is walked in blocks of {@link #KC}
 * steps; for each, every B panel in turn is swept by the register tile down the task's rows, so
 * the panel is reused from L1/L2 by all of them and the task's block of A, read in place, stays in
 * L2 for all the panels.
 *
 * <p>The split into tasks and K blocks changes only which code computes an element, never the
 * order of its additions (see {@link MicroKernel}), so results are the same bits on any number of
 * threads.
 */
final class PackedGemm {
    /** K steps per block: a B panel of KC x (tile width) floats is read from L1/L2 by every tile of a task. */
    static final int KC = 256;
    /** Most rows of C per task (a multiple of the tile height 6): the task's A block, MC x KC, stays in L2. */
    static final int MC = 120;
    /** Least work (multiply-adds) worth a task of its own: waking a pool thread costs tens of microseconds. */
    static final long MIN_TASK_FMAS = 1L << 20;
    /** Least floats packed per packing task, for the same reason. */
    private static final int MIN_PACK_FLOATS = 1 << 16;

    private PackedGemm() {}

    static void gemm(MicroKernel kernel, int batch, int m, int n, int k,
                     GemmOperand a, GemmOperand b, GemmOperand c) {
        gemm(kernel, batch, m, n, k, a, b, c, null);
    }

    /** With a bias added to each element of C after its last K block (null for none); see {@link GemmBias}. */
    static void gemm(MicroKernel kernel, int batch, int m, int n, int k,
                     GemmOperand a, GemmOperand b, GemmOperand c, GemmBias bias) {
        int nr = kernel.cols;
        int panels = ceilDiv(n, nr);
        int bItems = b.batchStride() == 0 ? 1 : batch;
        int panelSize = checkedSize((long) k * nr);
        Workspace caller = Workspace.get();
        float[] packedB = caller.takePackedB(checkedSize((long) bItems * panels * panelSize));
        try {
            multiply(kernel, batch, m, n, k, a, b, c, bias, packedB, panels, panelSize);
        } finally {
            caller.giveBackPackedB(packedB);
        }
    }

    private static void multiply(MicroKernel kernel, int batch, int m, int n, int k, GemmOperand a,
                                 GemmOperand b, GemmOperand c, GemmBias bias, float[] packedB, int panels, int panelSize) {
        int nr = kernel.cols;
        int bItems = b.batchStride() == 0 ? 1 : batch;
        Parallel.forRange(bItems * panels, Math.max(1, MIN_PACK_FLOATS / panelSize), (lo, hi) -> {
            for (int idx = lo; idx < hi; idx++) {
                GemmPacking.packB(b, idx / panels, k, n, (idx % panels) * nr, nr, packedB, idx * panelSize);
            }
        });

        int mr = kernel.rows;
        int kc = ceilDiv(k, ceilDiv(k, KC));
        // Tasks: enough to keep every thread busy (4 per thread, for balance), none below
        // MIN_TASK_FMAS. Rows are cut first, down from MC, so that each task reads its rows of A
        // once per K block; columns are cut only when there are too few rows.
        long fmas = (long) batch * m * n * k;
        long wanted = Math.min(4L * Parallel.threads(), Math.max(1, fmas / MIN_TASK_FMAS));
        long rowsPerTask = ceilDiv(m, ceilDiv(wanted, batch));
        int mc = (int) Math.min(MC, ceilDiv(rowsPerTask, mr) * mr);
        int rowBlocks = ceilDiv(m, mc);
        int nc = ceilDiv(panels, (int) Math.min(panels, ceilDiv(wanted, (long) batch * rowBlocks))) * nr;
        int colBlocks = ceilDiv(n, nc);
        int tasks = batch * rowBlocks * colBlocks;
        long taskFmas = (long) mc * nc * k;
        Parallel.forRange(tasks, (int) Math.max(1, Math.min(tasks, MIN_TASK_FMAS / taskFmas)), (lo, hi) -> {
            Workspace ws = Workspace.get();
            float[] packedA = ws.packedA(mr * kc);
            float[] tile = ws.tile(mr * nr);
            for (int task = lo; task < hi; task++) {
                int item = task / (rowBlocks * colBlocks);
                int rest = task % (rowBlocks * colBlocks);
                int i0 = (rest / colBlocks) * mc;
                int j0 = (rest % colBlocks) * nc;
                int bBase = (b.batchStride() == 0 ? 0 : item) * panels * panelSize;
                block(kernel, item, m, n, k, kc, a, packedB, bBase, panelSize, c, bias, packedA, tile,
                        i0, Math.min(m, i0 + mc), j0, Math.min(n, j0 + nc));
            }
        });
    }

    /**
     * C rows [i0, i1) x columns [j0, j1) of one item; j0 is a multiple of the tile width. The bias,
     * if any, goes onto each tile right after its last K block, while the tile is in L1.
     */
    private static void block(MicroKernel kernel, int item, int m, int n, int k, int kc, GemmOperand a,
                              float[] packedB, int bBase, int panelSize, GemmOperand c, GemmBias bias,
                              float[] packedA, float[] tile, int i0, int i1, int j0, int j1) {
        int mr = kernel.rows;
        int nr = kernel.cols;
        float[] cd = c.data();
        // A is read in place, whichever way it is stored: the kernel broadcasts single floats, and
        // packing it (tried: into panels, for tasks with 4 to 43 B panels) bought nothing measurable
        // on Zen 4. Only a last, partial panel is copied, padded with zero rows.
        int lastPanel = i0 + ((i1 - i0 - 1) / mr) * mr;
        boolean partial = lastPanel + mr > m;
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            boolean accumulate = p0 > 0;
            GemmBias epilogue = p0 + kb == k ? bias : null;
            if (partial) {
                GemmPacking.packA(a, item, m, lastPanel, mr, p0, kb, packedA, 0);
            }
            for (int j = j0; j < j1; j += nr) {
                int bi = bBase + (j / nr) * panelSize + p0 * nr;
                for (int i = i0; i < i1; i += mr) {
                    boolean inPlace = i + mr <= m;
                    float[] ad = inPlace ? a.data() : packedA;
                    int ai = inPlace ? a.at(item, i, p0) : 0;
                    int aRowStride = inPlace ? a.rowStride() : 1;
                    int aStep = inPlace ? a.colStride() : mr;
                    if (i + mr <= m && j + nr <= n && c.colStride() == 1) {
                        kernel.run(kb, ad, ai, aRowStride, aStep, packedB, bi, cd, c.at(item, i, j), c.rowStride(), accumulate);
                        if (epilogue != null) {
                            epilogue.addTo(cd, c.at(item, 0, 0), c.rowStride(), i, i + mr, j, j + nr);
                        }
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
                            float v = tile[r * nr + cc];
                            cd[c.at(item, i + r, j + cc)] = epilogue == null ? v : v + epilogue.at(i + r, j + cc);
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
     * does not allocate megabytes per matmul. A packed B above {@link #KEEP_LIMIT} floats is not
     * kept. packedA and tile are used only inside one task body, which never waits on the pool.
     */
    static final class Workspace {
        private static final int KEEP_LIMIT = 1 << 22;
        private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

        private static final float[] EMPTY = new float[0];

        private float[] packedB = EMPTY;
        private float[] packedA = EMPTY;
        private float[] tile = EMPTY;

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

        float[] tile(int size) {
            if (tile.length < size) {
                tile = new float[size];
            }
            return tile;
        }
    }
}

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
    /** K steps per block: an A block of {@link #MC} x KC floats fits in L2 next to a B panel. */
    static int KC = 256;
    /** Rows of C per task, rounded to the tile height; the A block of a task is MC x KC. */
    static int MC = 128;
    /** Pack A (true) or let the micro-kernel read A in place (false). */
    static boolean PACK_A = true;

    private PackedGemm() {}

    static void gemm(MicroKernel kernel, int batch, int m, int n, int k,
                     GemmOperand a, GemmOperand b, GemmOperand c) {
        int nr = kernel.cols;
        int panels = ceilDiv(n, nr);
        int bItems = b.batchStride() == 0 ? 1 : batch;
        int panelSize = checkedSize((long) k * nr);
        float[] packedB = Workspace.get().packedB(checkedSize((long) bItems * panels * panelSize));
        Parallel.forRange(bItems * panels, Math.max(1, (1 << 15) / panelSize), (lo, hi) -> {
            for (int idx = lo; idx < hi; idx++) {
                GemmPacking.packB(b, idx / panels, k, n, (idx % panels) * nr, nr, packedB, idx * panelSize);
            }
        });

        int mr = kernel.rows;
        int kc = ceilDiv(k, ceilDiv(k, KC));
        int mc = Math.min(ceilDiv(MC, mr) * mr, ceilDiv(m, mr) * mr);
        int rowBlocks = ceilDiv(m, mc);
        // Columns are split only when rows alone give too few tasks to keep every thread busy.
        int wanted = 4 * Parallel.threads();
        int nc = ceilDiv(panels, Math.min(panels, Math.max(1, ceilDiv(wanted, batch * rowBlocks)))) * nr;
        int colBlocks = ceilDiv(n, nc);
        int tasks = batch * rowBlocks * colBlocks;
        Parallel.forRange(tasks, 1, (lo, hi) -> {
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
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            boolean accumulate = p0 > 0;
            if (PACK_A) {
                for (int i = i0; i < i1; i += mr) {
                    GemmPacking.packA(a, item, m, i, mr, p0, kb, packedA, (i - i0) * kb);
                }
            }
            for (int j = j0; j < j1; j += nr) {
                int bi = bBase + (j / nr) * panelSize + p0 * nr;
                for (int i = i0; i < i1; i += mr) {
                    float[] ad;
                    int ai;
                    int aRowStride;
                    int aStep;
                    if (PACK_A) {
                        ad = packedA;
                        ai = (i - i0) * kb;
                        aRowStride = 1;
                        aStep = mr;
                    } else if (i + mr <= m) {
                        ad = a.data();
                        ai = a.at(item, i, p0);
                        aRowStride = a.rowStride();
                        aStep = a.colStride();
                    } else {
                        GemmPacking.packA(a, item, m, i, mr, p0, kb, packedA, 0);
                        ad = packedA;
                        ai = 0;
                        aRowStride = 1;
                        aStep = mr;
                    }
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

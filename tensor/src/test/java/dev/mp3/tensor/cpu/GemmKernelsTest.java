package dev.mp3.tensor.cpu;

import dev.mp3.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The batched SGEMM against two independent references:
 * <ul>
 *   <li>EJML in double precision, within the forward error bound of a float dot product: for a
 *       chain of k fused multiply-adds, |c - c_exact| <= gamma_k * sum_p |a_ip b_pj| with
 *       gamma_k = k u / (1 - k u) and u = 2^-24 (Higham, Accuracy and Stability, eq. 3.5);
 *   <li>{@link GemmKernels#gemmReference}, the three-loop twin, which sums in the same order as every
 *       fast path and so must agree to the bit.
 * </ul>
 */
class GemmKernelsTest {
    private static final int[] ODD = {1, 7, 33, 257};
    private final int initialThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(initialThreads);
    }

    // ---------------------------------------------------------------- helpers

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** op(X) of one item as a double [rows, cols] matrix; X holds [rows, cols], or [cols, rows] if trans. */
    private static DMatrixRMaj op(float[] x, int off, boolean trans, int rows, int cols, boolean abs) {
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = trans ? x[off + j * rows + i] : x[off + i * cols + j];
                d.set(i, j, abs ? Math.abs(v) : v);
            }
        }
        return d;
    }

    /** Asserts every element of one C item against EJML, within the float error bound for length k. */
    private static void assertMatchesEjml(String what, int m, int n, int k,
                                          float[] a, int aOff, boolean transA,
                                          float[] b, int bOff, boolean transB, float[] c, int cOff) {
        DMatrixRMaj exact = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(op(a, aOff, transA, m, k, false), op(b, bOff, transB, k, n, false), exact);
        DMatrixRMaj magnitude = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(op(a, aOff, transA, m, k, true), op(b, bOff, transB, k, n, true), magnitude);
        double u = 0x1p-24;
        double gamma = k * u / (1 - k * u);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double got = c[cOff + i * n + j];
                double tol = gamma * magnitude.get(i, j) + Double.MIN_NORMAL;
                if (!(Math.abs(got - exact.get(i, j)) <= tol)) {
                    fail("%s: C[%d, %d] = %s but EJML gives %s (tolerance %s)", what, i, j, got, exact.get(i, j), tol);
                }
            }
        }
    }

    private static float[] gemm(int batch, int m, int n, int k, float[] a, int aOff, int aStride, boolean transA,
                                float[] b, int bOff, int bStride, boolean transB) {
        float[] c = new float[batch * m * n];
        java.util.Arrays.fill(c, Float.NaN); // C is overwritten, never read
        GemmKernels.gemm(batch, m, n, k, a, aOff, aStride, transA, b, bOff, bStride, transB, c, 0, m * n);
        return c;
    }

    private static float[] reference(int batch, int m, int n, int k, float[] a, int aOff, int aStride, boolean transA,
                                     float[] b, int bOff, int bStride, boolean transB) {
        float[] c = new float[batch * m * n];
        GemmKernels.gemmReference(batch, m, n, k, a, aOff, aStride, transA, b, bOff, bStride, transB, c, 0, m * n);
        return c;
    }

    private static String name(int m, int n, int k, boolean transA, boolean transB) {
        return m + "x" + k + (transA ? "^T" : "") + " @ " + k + "x" + n + (transB ? "^T" : "");
    }

    // ---------------------------------------------------------------- single products

    @Test
    void oddSizesAllTransposesMatchEjmlAndTheReference() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int m : ODD) {
            for (int n : ODD) {
                for (int k : ODD) {
                    float[] a = random(rnd, m * k);
                    float[] b = random(rnd, k * n);
                    for (int t = 0; t < 4; t++) {
                        boolean transA = (t & 1) != 0;
                        boolean transB = (t & 2) != 0;
                        String what = name(m, n, k, transA, transB);
                        float[] c = gemm(1, m, n, k, a, 0, 0, transA, b, 0, 0, transB);
                        assertMatchesEjml(what, m, n, k, a, 0, transA, b, 0, transB, c, 0);
                        assertThat(c).as(what).isEqualTo(reference(1, m, n, k, a, 0, 0, transA, b, 0, 0, transB));
                    }
                }
            }
        }
    }

    @Test
    void vitShapesMatchEjml() {
        SplittableRandom rnd = new SplittableRandom(2);
        // x @ W^T (a linear layer, W stored [out, in]), dY @ W and dY^T @ X (its backward), at ViT-Ti
        // width; the last sums over 6400 tokens, 25 blocks of K.
        int[][] shapes = {{400, 576, 192, 0, 1}, {400, 192, 576, 0, 0}, {576, 192, 400, 1, 0}, {197, 197, 64, 0, 1},
            {192, 96, 6400, 1, 0}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            boolean transA = s[3] == 1;
            boolean transB = s[4] == 1;
            float[] a = random(rnd, m * k);
            float[] b = random(rnd, k * n);
            float[] c = gemm(1, m, n, k, a, 0, 0, transA, b, 0, 0, transB);
            assertMatchesEjml(name(m, n, k, transA, transB), m, n, k, a, 0, transA, b, 0, transB, c, 0);
        }
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        float[] c = gemm(2, 3, 5, 0, new float[0], 0, 0, false, new float[0], 0, 0, false);
        assertThat(c).containsOnly(0f);
    }

    @Test
    void infinityInOneRowOfBStaysInItsColumnsAcrossPaddedTiles() {
        // Padding rows and columns of the register tile meet this Inf too; none of that may leak into C.
        int m = 37;
        int n = 53;
        int k = 40;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        b[5 * n + 50] = Float.POSITIVE_INFINITY;
        float[] c = gemm(1, m, n, k, a, 0, 0, false, b, 0, 0, false);
        assertThat(c).isEqualTo(reference(1, m, n, k, a, 0, 0, false, b, 0, 0, false));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float v = c[i * n + j];
                assertThat(Float.isFinite(v)).as("C[%d, %d] = %s", i, j, v).isEqualTo(j != 50);
            }
        }
    }

    // ---------------------------------------------------------------- batches

    @Test
    void batchesWithOwnOrSharedOperandsMatchEjmlPerItem() {
        SplittableRandom rnd = new SplittableRandom(4);
        int batch = 3;
        int m = 33;
        int n = 70;
        int k = 29;
        int pad = 5; // operands start at a non-zero offset
        for (int sharing = 0; sharing < 3; sharing++) {
            int aStride = sharing == 1 ? 0 : m * k;
            int bStride = sharing == 2 ? 0 : k * n;
            float[] a = random(rnd, pad + (sharing == 1 ? 1 : batch) * m * k);
            float[] b = random(rnd, pad + (sharing == 2 ? 1 : batch) * k * n);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                float[] c = gemm(batch, m, n, k, a, pad, aStride, transA, b, pad, bStride, transB);
                for (int item = 0; item < batch; item++) {
                    assertMatchesEjml("sharing " + sharing + " item " + item + " " + name(m, n, k, transA, transB),
                            m, n, k, a, pad + item * aStride, transA, b, pad + item * bStride, transB, c, item * m * n);
                }
                assertThat(c).isEqualTo(reference(batch, m, n, k, a, pad, aStride, transA, b, pad, bStride, transB));
            }
        }
    }

    @Test
    void writesOnlyItsOwnSliceOfC() {
        SplittableRandom rnd = new SplittableRandom(5);
        int m = 9;
        int n = 40;
        int k = 20;
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c = new float[3 + m * n + 4];
        java.util.Arrays.fill(c, -7f);
        GemmKernels.gemm(1, m, n, k, a, 0, 0, false, b, 0, 0, false, c, 3, 0);
        float[] ref = reference(1, m, n, k, a, 0, 0, false, b, 0, 0, false);
        assertThat(java.util.Arrays.copyOfRange(c, 3, 3 + m * n)).isEqualTo(ref);
        assertThat(java.util.Arrays.copyOfRange(c, 0, 3)).containsOnly(-7f);
        assertThat(java.util.Arrays.copyOfRange(c, 3 + m * n, c.length)).containsOnly(-7f);
    }

    // ---------------------------------------------------------------- kernel choice and tiling edges

    /**
     * The task grid deals the tiles out evenly and gives two threads an even number of equal tasks
     * where an odd number would leave one thread a task behind: 1024^2 (171 tiles, at least 9 row
     * blocks of at most MC rows) in 10 row blocks on two threads, 9 on one; the demo's forward
     * product over 3,200 tokens in 28 instead of 27; the ViT's 6,400 tokens in 54 either way.
     */
    @Test
    void taskGridIsEvenOnTwoThreads() {
        assertThat(PackedGemm.grid(1, 1024, 1024, 1024, 6, 16, PackedGemm.MC, 64, 8, false, 2)).containsExactly(10, 1024);
        assertThat(PackedGemm.grid(1, 1024, 1024, 1024, 6, 16, PackedGemm.MC, 64, 4, false, 1)).containsExactly(9, 1024);
        assertThat(PackedGemm.grid(1, 3200, 384, 128, 6, 16, PackedGemm.MC, 24, 8, false, 2)).containsExactly(28, 384);
        assertThat(PackedGemm.grid(1, 6400, 768, 192, 6, 16, PackedGemm.MC, 48, 8, false, 2)).containsExactly(54, 768);
        // The 6 x 64 tile's 360 rows a task (Zen 5): 2048^2 in at least 6 row blocks (342 tiles,
        // 57 a block); 6 by 2 column blocks of 16 panels move 6 + 2 = 8 matrices' worth of
        // operands, 8 by 1 move 9, so 12 tasks, 6 a thread.
        assertThat(PackedGemm.grid(1, 2048, 2048, 2048, 6, 64, PackedGemm.WIDE_MC, 32, 8, false, 2)).containsExactly(6, 1024);
        // Every row block at most MC rows, and the blocks within one tile of each other.
        for (int m : new int[] {7, 121, 1024, 3200, 6272}) {
            int rows = PackedGemm.grid(1, m, 64, 64, 6, 16, PackedGemm.MC, 4, 8, false, 2)[0];
            int tiles = PackedGemm.ceilDiv(m, 6);
            assertThat(PackedGemm.ceilDiv(tiles, rows) * 6).as("rows per block, m = %d", m).isLessThanOrEqualTo(PackedGemm.MC);
            assertThat(rows).as("row blocks, m = %d", m).isBetween(1, tiles);
        }
    }

    @Test
    void kernelChoiceFollowsTheShape() {
        MicroKernel kernel = GemmKernels.MICRO_KERNEL;
        assertThat(GemmKernels.choose(kernel, 8, 8, 8)).isEqualTo(GemmKernels.Kernel.DIRECT);
        assertThat(GemmKernels.choose(kernel, 8, 8, 9)).isEqualTo(GemmKernels.Kernel.PACKED);
        assertThat(GemmKernels.choose(kernel, 1, 1, 512)).isEqualTo(GemmKernels.Kernel.DIRECT);
        assertThat(GemmKernels.choose(kernel, 1024, 1024, 1024)).isEqualTo(GemmKernels.Kernel.PACKED);
        // A C with a handful of columns and many rows stays straight: as C^T it would fill the
        // tile, but it would pack (transpose) all of A, which costs more than the padding.
        assertThat(GemmKernels.choose(kernel, 6400, 3, 192)).isEqualTo(GemmKernels.Kernel.PACKED);
        assertThat(GemmKernels.choose(kernel, 3, 6400, 192)).isEqualTo(GemmKernels.Kernel.PACKED);
        // A convolution's weight gradient, dY [24, B L] times the columns [216, B L] transposed: straight,
        // B (1M floats) would be transposed into panels; as C^T only dY is.
        GemmOperand dy = GemmOperand.of(null, 0, 0, false, 24, 4900);
        GemmOperand colsT = GemmOperand.of(null, 0, 0, true, 4900, 216);
        assertThat(GemmKernels.choose(kernel, 1, 24, 216, 4900, dy, colsT)).isEqualTo(GemmKernels.Kernel.PACKED_TRANSPOSED);
        // The ViT's forward x W^T keeps the straight orientation (W^T is small next to x).
        GemmOperand x = GemmOperand.of(null, 0, 0, false, 6400, 192);
        GemmOperand wT = GemmOperand.of(null, 0, 0, true, 192, 768);
        assertThat(GemmKernels.choose(kernel, 1, 6400, 768, 192, x, wT)).isEqualTo(GemmKernels.Kernel.PACKED);
        // Weight gradients X^T dY over 6400 tokens: K blocks outermost, the smaller of X and dY as
        // A, so the qkv gradient (X 192 wide, dY 576) is solved straight, fc2's (X 768 wide) as C^T.
        GemmOperand xT = GemmOperand.of(null, 0, 0, true, 192, 6400);
        GemmOperand dyQkv = GemmOperand.of(null, 0, 0, false, 6400, 576);
        assertThat(GemmKernels.choose(kernel, 1, 192, 576, 6400, xT, dyQkv)).isEqualTo(GemmKernels.Kernel.K_OUTER);
        GemmOperand hT = GemmOperand.of(null, 0, 0, true, 768, 6400);
        GemmOperand dyFc2 = GemmOperand.of(null, 0, 0, false, 6400, 192);
        assertThat(GemmKernels.choose(kernel, 1, 768, 192, 6400, hT, dyFc2))
                .isEqualTo(GemmKernels.Kernel.K_OUTER_TRANSPOSED);
        // Over fewer tokens than two K blocks, the packed GEMM: the larger operand as A.
        GemmOperand xShort = GemmOperand.of(null, 0, 0, true, 192, 300);
        GemmOperand dyShort = GemmOperand.of(null, 0, 0, false, 300, 576);
        assertThat(GemmKernels.choose(kernel, 1, 192, 576, 300, xShort, dyShort))
                .isEqualTo(GemmKernels.Kernel.PACKED_TRANSPOSED);
    }

    /**
     * The weight gradient's K-outer GEMM: the same bits as the reference summed span by span (each
     * span's chain over its steps, then the spans added in order) on one, two and three threads,
     * straight and on C^T, with partial tiles of rows and columns, a last K block and a last span
     * that are not whole, one span and several, and a bias per column or per row; A read in place
     * and packed; one, two and three K blocks to a pass.
     */
    @Test
    void kOuterGemmAgreesWithTheReferenceSpanBySpanToTheBit() {
        SplittableRandom rnd = new SplittableRandom(13);
        MicroKernel kernel = GemmKernels.K_OUTER_KERNEL;
        int kc = PackedGemm.KC;
        int[][] shapes = {{2 * kernel.rows + 1, 3 * kernel.cols + 5, 2 * kc + 3}, {1, 1, 2 * kc}, {130, 40, 3 * kc + 1},
                {7, 300, 5 * kc - 7}, {13, kernel.cols + 3, 6 * kc + 1}, {2 * kernel.rows + 5, 2 * kernel.cols + 1, 25 * kc - 100}};
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = random(rnd, k * m);
                float[] b = random(rnd, k * n);
                float[] bias = random(rnd, n + 2);
                float[] expected = plusBias(spanBySpanReference(m, n, k, a, b), 1, m, n, bias, 2);
                GemmOperand ga = GemmOperand.of(a, 0, 0, true, m, k);
                GemmOperand gb = GemmOperand.of(b, 0, 0, false, k, n);
                float[] c = new float[m * n];
                GemmOperand gc = GemmOperand.of(c, 0, 0, false, m, n);
                GemmBias gbias = new GemmBias(bias, 2, false);
                for (boolean inPlace : new boolean[] {true, false}) {
                    for (int blocksPerPass = 1; blocksPerPass <= 3; blocksPerPass++) {
                        String what = String.format("%d threads, A %s, %d blocks a pass, ", threads,
                                inPlace ? "in place" : "packed", blocksPerPass);
                        java.util.Arrays.fill(c, Float.NaN);
                        KOuterGemm.gemm(kernel, m, n, k, ga, gb, gc, gbias, inPlace, blocksPerPass, null, false);
                        assertThat(c).as("%sstraight %s", what, name(m, n, k, true, false)).isEqualTo(expected);
                        java.util.Arrays.fill(c, Float.NaN);
                        KOuterGemm.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(),
                                gbias.transposed(), inPlace, blocksPerPass, null, false);
                        assertThat(c).as("%son C^T %s", what, name(m, n, k, true, false)).isEqualTo(expected);
                        // op(A)'s row sums: from A's packing (straight), from B's (on C^T, where A^T is B).
                        float[] sums = new float[m];
                        java.util.Arrays.fill(sums, Float.NaN);
                        java.util.Arrays.fill(c, Float.NaN);
                        KOuterGemm.gemm(kernel, m, n, k, ga, gb, gc, gbias, inPlace, blocksPerPass, sums, true);
                        assertThat(c).as("%sstraight with sums %s", what, name(m, n, k, true, false)).isEqualTo(expected);
                        assertThat(sums).as("%sA's row sums %s", what, name(m, n, k, true, false))
                                .isEqualTo(spanBySpanRowSums(m, k, a));
                        java.util.Arrays.fill(sums, Float.NaN);
                        java.util.Arrays.fill(c, Float.NaN);
                        KOuterGemm.gemm(kernel, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(),
                                gbias.transposed(), inPlace, blocksPerPass, sums, false);
                        assertThat(c).as("%son C^T with sums %s", what, name(m, n, k, true, false)).isEqualTo(expected);
                        assertThat(sums).as("%sB's column sums %s", what, name(m, n, k, true, false))
                                .isEqualTo(spanBySpanRowSums(m, k, a));
                    }
                }
                // A bias per row of a row-major C (the summing pass's other bias).
                float[] rowBias = random(rnd, m + 1);
                float[] expectedPerRow = spanBySpanReference(m, n, k, a, b);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        expectedPerRow[i * n + j] += rowBias[1 + i];
                    }
                }
                java.util.Arrays.fill(c, Float.NaN);
                KOuterGemm.gemm(kernel, m, n, k, ga, gb, gc, new GemmBias(rowBias, 1, true));
                assertThat(c).as("%d threads, straight, bias per row %s", threads, name(m, n, k, true, false))
                        .isEqualTo(expectedPerRow);
            }
        }
    }

    /**
     * The sums over k of A^T's rows, A [k, m]: a float chain over each span's steps in order from 0,
     * the spans' chains added in order (KOuterGemm's summation order, written out by hand).
     */
    private static float[] spanBySpanRowSums(int m, int k, float[] a) {
        int kc = KOuterGemm.blockSteps(k);
        int blocks = PackedGemm.ceilDiv(k, kc);
        int spans = KOuterGemm.spans(k);
        float[] total = new float[m];
        for (int i = 0; i < m; i++) {
            for (int s = 0; s < spans; s++) {
                float chain = 0f;
                for (int p = KOuterGemm.spanStart(blocks, spans, s) * kc,
                     p1 = Math.min(k, KOuterGemm.spanStart(blocks, spans, s + 1) * kc); p < p1; p++) {
                    chain += a[p * m + i];
                }
                total[i] = s == 0 ? chain : total[i] + chain;
            }
        }
        return total;
    }

    /** A^T B for A [k, m], B [k, n]: the three-loop reference over each span of k, the spans added in order. */
    private static float[] spanBySpanReference(int m, int n, int k, float[] a, float[] b) {
        int kc = KOuterGemm.blockSteps(k);
        int blocks = PackedGemm.ceilDiv(k, kc);
        int spans = KOuterGemm.spans(k);
        float[] sum = null;
        for (int s = 0; s < spans; s++) {
            int p0 = KOuterGemm.spanStart(blocks, spans, s) * kc;
            int p1 = Math.min(k, KOuterGemm.spanStart(blocks, spans, s + 1) * kc);
            float[] part = reference(1, m, n, p1 - p0, a, p0 * m, 0, true, b, p0 * n, 0, false);
            if (sum == null) {
                sum = part;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += part[i];
                }
            }
        }
        return sum;
    }

    /** Spans of k: a power of two, each at least three K blocks, at most eight; the blocks; worked by hand. */
    @Test
    void kOuterSpansDependOnKAlone() {
        assertThat(PackedGemm.KC).isEqualTo(256);
        assertThat(KOuterGemm.spans(512)).isEqualTo(1);        // 2 blocks
        assertThat(KOuterGemm.spans(5 * 256)).isEqualTo(1);    // 5 blocks: two spans would have 2 and 3
        assertThat(KOuterGemm.spans(6 * 256)).isEqualTo(2);    // 6 blocks
        assertThat(KOuterGemm.spans(2080)).isEqualTo(2);       // ViT-S, batch 32: 9 blocks of 232 steps
        assertThat(KOuterGemm.spans(3200)).isEqualTo(4);       // the demo, batch 64: 13 blocks of 247
        assertThat(KOuterGemm.spans(6400)).isEqualTo(8);       // ViT-192, batch 128: 25 blocks
        assertThat(KOuterGemm.spans(100_000)).isEqualTo(8);
        // Blocks as many per span: 9 blocks at 2,080 steps become 10 of 208 (5 a span), 13 at
        // 3,200 become 16 of 200 (4 a span), 25 at 6,400 become 32 of 200 (4 a span).
        assertThat(KOuterGemm.blockSteps(2080)).isEqualTo(208);
        assertThat(KOuterGemm.blockSteps(3200)).isEqualTo(200);
        assertThat(KOuterGemm.blockSteps(6400)).isEqualTo(200);
        assertThat(KOuterGemm.blockSteps(5 * 256)).isEqualTo(256);
        assertThat(KOuterGemm.blockSteps(6 * 256 + 1)).isEqualTo(193);   // 7 blocks -> 8 of 193, the last 186
        // Blocks 0-24 over 8 spans (a k whose blocks do not split evenly): 3, 3, 3, 3, 3, 3, 3, 4 blocks.
        assertThat(KOuterGemm.spanStart(25, 8, 1)).isEqualTo(3);
        assertThat(KOuterGemm.spanStart(25, 8, 7)).isEqualTo(21);
        assertThat(KOuterGemm.spanStart(25, 8, 8)).isEqualTo(25);
    }

    /**
     * Each micro-kernel reads A row-major (steps side by side) and column-major in place (rows side
     * by side, steps a stride apart) to the same bits: the chain of multiply-adds over k, from
     * zero or from C, worked with Math.fma.
     */
    @Test
    void everyMicroKernelReadsARowMajorOrColumnMajorToTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(14);
        int kc = 37;
        for (MicroKernel kernel : MicroKernel.values()) {
            int mr = kernel.rows;
            int nr = kernel.cols;
            int ldc = nr + 7;
            int rowStride = kc + 3;
            int stepStride = mr + 5;
            float[] rows = random(rnd, 2 + mr * rowStride);
            float[] steps = new float[3 + kc * stepStride];
            for (int r = 0; r < mr; r++) {
                for (int p = 0; p < kc; p++) {
                    steps[3 + p * stepStride + r] = rows[2 + r * rowStride + p];
                }
            }
            float[] b = random(rnd, 5 + kc * nr);
            float[] c0 = random(rnd, 1 + mr * ldc);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] expected = c0.clone();
                for (int r = 0; r < mr; r++) {
                    for (int j = 0; j < nr; j++) {
                        float acc = accumulate ? c0[1 + r * ldc + j] : 0f;
                        for (int p = 0; p < kc; p++) {
                            acc = Math.fma(rows[2 + r * rowStride + p], b[5 + p * nr + j], acc);
                        }
                        expected[1 + r * ldc + j] = acc;
                    }
                }
                float[] c = c0.clone();
                kernel.run(kc, rows, 2, rowStride, 1, b, 5, c, 1, ldc, accumulate);
                assertThat(c).as("%s A row-major, accumulate %b", kernel, accumulate).isEqualTo(expected);
                c = c0.clone();
                kernel.run(kc, steps, 3, 1, stepStride, b, 5, c, 1, ldc, accumulate);
                assertThat(c).as("%s A column-major, accumulate %b", kernel, accumulate).isEqualTo(expected);
            }
        }
    }

    /** Shapes on both sides of every boundary: direct/packed, tile rows and columns, K blocks. */
    private static List<int[]> boundaryShapes(MicroKernel kernel) {
        int r = kernel.rows;
        int w = kernel.cols;
        int kc = PackedGemm.blockSteps(kernel);
        List<int[]> shapes = new ArrayList<>();
        shapes.add(new int[] {8, 8, 8});
        shapes.add(new int[] {8, 8, 9});
        shapes.add(new int[] {1, 1, 512});
        shapes.add(new int[] {3, 20, 8});
        for (int m : new int[] {r - 1, r, r + 1, 3 * r + 2}) {
            for (int n : new int[] {w - 1, w, w + 1, 2 * w + 3}) {
                shapes.add(new int[] {m, n, 9});
            }
        }
        for (int k : new int[] {kc - 1, kc, kc + 1, 2 * kc + 5}) {
            shapes.add(new int[] {r + 3, w + 5, k});
        }
        // A last panel of columns narrower than the tile, run by the kernel of its width
        // (MicroKernel.narrowed): one vector, two, and widths that are not whole vectors.
        int v = ElementwiseKernels.L;
        for (int n : new int[] {v, w + v, w + v - 1, w + v + 1, 2 * w + 2 * v, w + 2 * v - 3}) {
            if (n % w != 0) {
                shapes.add(new int[] {2 * r + 1, n, 9});
                shapes.add(new int[] {r, n, kc + 7});
            }
        }
        shapes.add(new int[] {300, 2, 50});
        shapes.add(new int[] {2, 300, 50});
        shapes.add(new int[] {1, 257, 7});
        shapes.add(new int[] {257, 1, 7});
        shapes.add(new int[] {PackedGemm.taskRows(kernel) + 1, 3 * w + 1, 20});
        // Rows of A 1024 floats apart (packed by a tile narrower than four vectors, read in place
        // by the others: PackedGemm.packsAliasingA), and a task wider than
        // PackedGemm.L2_B_BYTES of B panels (its columns swept in parts).
        shapes.add(new int[] {2 * r + 1, 2 * w + 1, 1024});
        shapes.add(new int[] {2 * r + 1, 40 * w + 3, kc + 1});
        return shapes;
    }

    @Test
    void everyMicroKernelAgreesWithTheReferenceToTheBit() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (MicroKernel kernel : MicroKernel.values()) {
            for (int[] s : boundaryShapes(kernel)) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = random(rnd, 2 * m * k);
                float[] b = random(rnd, k * n);
                for (int t = 0; t < 4; t++) {
                    boolean transA = (t & 1) != 0;
                    boolean transB = (t & 2) != 0;
                    float[] expected = reference(2, m, n, k, a, 0, m * k, transA, b, 0, 0, transB);
                    float[] c = new float[2 * m * n];
                    GemmOperand ga = GemmOperand.of(a, 0, m * k, transA, m, k);
                    GemmOperand gb = GemmOperand.of(b, 0, 0, transB, k, n);
                    GemmOperand gc = GemmOperand.of(c, 0, m * n, false, m, n);
                    PackedGemm.gemm(kernel, 2, m, n, k, ga, gb, gc);
                    assertThat(c).as("%s %s", kernel, name(m, n, k, transA, transB)).isEqualTo(expected);
                    java.util.Arrays.fill(c, Float.NaN);
                    PackedGemm.gemm(kernel, 2, n, m, k, gb.transposed(), ga.transposed(), gc.transposed());
                    assertThat(c).as("%s transposed %s", kernel, name(m, n, k, transA, transB)).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * The 6 x 64 tile with either K block size (PackedGemm.KC, or WIDE_KC where cores run two
     * 512-bit multiply-adds a cycle), on both sides of WIDE_KC's boundaries, a batch of two, with a
     * bias, on one and two threads: the same bits as the reference whichever this machine uses.
     */
    @Test
    void eitherKBlockSizeGivesTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(14);
        MicroKernel kernel = MicroKernel.ROWS6_VEC4;
        int wide = PackedGemm.WIDE_KC;
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int k : new int[] {wide - 1, wide, wide + 1, 2 * wide + 5}) {
                int m = 2 * kernel.rows + 1;
                int n = 2 * kernel.cols + 5;
                float[] a = random(rnd, 2 * m * k);
                float[] b = random(rnd, k * n);
                float[] bias = random(rnd, n);
                for (int t = 0; t < 4; t++) {
                    boolean transA = (t & 1) != 0;
                    boolean transB = (t & 2) != 0;
                    float[] expected = plusBias(reference(2, m, n, k, a, 0, m * k, transA, b, 0, 0, transB), 2, m, n, bias, 0);
                    for (int maxKc : new int[] {PackedGemm.KC, wide}) {
                        float[] c = new float[2 * m * n];
                        PackedGemm.gemm(kernel, maxKc, 2, m, n, k, GemmOperand.of(a, 0, m * k, transA, m, k),
                                GemmOperand.of(b, 0, 0, transB, k, n), GemmOperand.of(c, 0, m * n, false, m, n),
                                new GemmBias(bias, 0, false));
                        assertThat(c).as("%d threads, K blocks of at most %d, %s", threads, maxKc, name(m, n, k, transA, transB))
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void everyKernelChoiceAgreesWithTheReferenceToTheBit() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int[] s : boundaryShapes(GemmKernels.MICRO_KERNEL)) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = random(rnd, m * k);
            float[] b = random(rnd, k * n);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                // A weight gradient's product over a k of several spans (KOuterGemm) adds the spans' sums.
                boolean spans = GemmKernels.K_OUTER && transA && !transB && k >= GemmKernels.K_OUTER_MIN_K;
                assertThat(gemm(1, m, n, k, a, 0, 0, transA, b, 0, 0, transB))
                        .as("%s via %s", name(m, n, k, transA, transB), GemmKernels.choose(GemmKernels.MICRO_KERNEL, 1, m, n, k,
                                GemmOperand.of(a, 0, 0, transA, m, k), GemmOperand.of(b, 0, 0, transB, k, n)))
                        .isEqualTo(spans ? spanBySpanReference(m, n, k, a, b) : reference(1, m, n, k, a, 0, 0, transA, b, 0, 0, transB));
            }
        }
    }

    /** C + bias[j] on every row: the separate add the fused epilogue must reproduce to the bit. */
    private static float[] plusBias(float[] c, int batch, int m, int n, float[] bias, int biasOff) {
        float[] out = c.clone();
        for (int item = 0; item < batch; item++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    out[item * m * n + i * n + j] += bias[biasOff + j];
                }
            }
        }
        return out;
    }

    @Test
    void biasInTheEpilogueGivesTheBitsOfTheProductThenAnAdd() {
        SplittableRandom rnd = new SplittableRandom(12);
        List<int[]> shapes = new ArrayList<>(boundaryShapes(GemmKernels.MICRO_KERNEL));
        shapes.add(new int[] {4000, 3, 300});    // packed on C^T: the bias is per row there
        shapes.add(new int[] {517, 301, 700});   // several tasks and K blocks
        shapes.add(new int[] {5, 4, 0});         // empty inner dimension: C = 0 + bias
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = random(rnd, 2 * m * k);
            float[] b = random(rnd, k * n);
            float[] bias = random(rnd, n + 3);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                float[] expected = plusBias(reference(2, m, n, k, a, 0, m * k, transA, b, 0, 0, transB), 2, m, n, bias, 3);
                float[] c = new float[2 * m * n];
                java.util.Arrays.fill(c, Float.NaN);
                GemmKernels.gemm(2, m, n, k, a, 0, m * k, transA, b, 0, 0, transB, c, 0, m * n, bias, 3);
                String what = name(m, n, k, transA, transB) + " + bias via "
                        + GemmKernels.choose(GemmKernels.MICRO_KERNEL, m, n, k);
                assertThat(c).as(what).isEqualTo(expected);
                float[] twin = new float[2 * m * n];
                GemmKernels.gemmReference(2, m, n, k, a, 0, m * k, transA, b, 0, 0, transB, twin, 0, m * n, bias, 3);
                assertThat(twin).as("reference " + what).isEqualTo(expected);
                if (k == 0) {
                    continue;
                }
                for (MicroKernel kernel : MicroKernel.values()) {
                    GemmOperand ga = GemmOperand.of(a, 0, m * k, transA, m, k);
                    GemmOperand gb = GemmOperand.of(b, 0, 0, transB, k, n);
                    GemmOperand gc = GemmOperand.of(c, 0, m * n, false, m, n);
                    GemmBias gbias = new GemmBias(bias, 3, false);
                    java.util.Arrays.fill(c, Float.NaN);
                    PackedGemm.gemm(kernel, 2, m, n, k, ga, gb, gc, gbias);
                    assertThat(c).as("%s %s", kernel, what).isEqualTo(expected);
                    java.util.Arrays.fill(c, Float.NaN);
                    PackedGemm.gemm(kernel, 2, n, m, k, gb.transposed(), ga.transposed(), gc.transposed(), gbias.transposed());
                    assertThat(c).as("%s transposed %s", kernel, what).isEqualTo(expected);
                }
            }
        }
    }

    /** The unpacked kernel of attention's per-head products: one to four vectors of columns per pass, ragged rows. */
    @Test
    void smallProductsAgreeWithTheReferenceToTheBit() {
        SplittableRandom rnd = new SplittableRandom(13);
        int l = ElementwiseKernels.L;
        for (int m : new int[] {1, 3, 4, 7, 50}) {
            for (int n : new int[] {1, l - 1, l, l + 1, 2 * l + 3, 49, 50, 64, 4 * l, 4 * l + 1, 9 * l - 2}) {
                for (int k : new int[] {1, 8, 64}) {
                    float[] a = random(rnd, m * k + 3);
                    float[] b = random(rnd, k * n + 5);
                    for (int t = 0; t < 4; t++) {
                        boolean transA = (t & 1) != 0;
                        boolean transB = (t & 2) != 0;
                        float[] c = new float[m * n + 2];
                        java.util.Arrays.fill(c, Float.NaN);
                        GemmKernels.gemmSmall(m, n, k, a, 3, transA, b, 5, transB, c, 2, new float[k * n]);
                        float[] expected = new float[m * n];
                        GemmKernels.gemmReference(1, m, n, k, a, 3, 0, transA, b, 5, 0, transB, expected, 0, 0);
                        assertThat(java.util.Arrays.copyOfRange(c, 2, 2 + m * n)).as("small " + name(m, n, k, transA, transB))
                                .isEqualTo(expected);
                        assertThat(c[0]).isNaN();
                        assertThat(c[1]).isNaN();
                    }
                }
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(8);
        // Each is big enough to be split into tasks on 2 threads, one per kernel choice:
        // direct (over the batch), packed (over rows; over columns too) and packed on C^T.
        int[][] shapes = {{6, 6, 6, 2000}, {517, 301, 700, 1}, {64, 1000, 33, 1}, {197, 64, 49, 12}, {4000, 3, 300, 1}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            int batch = s[3];
            float[] a = random(rnd, batch * m * k);
            float[] b = random(rnd, batch * k * n);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                Parallel.setThreads(1);
                float[] one = gemm(batch, m, n, k, a, 0, m * k, transA, b, 0, k * n, transB);
                Parallel.setThreads(2);
                float[] two = gemm(batch, m, n, k, a, 0, m * k, transA, b, 0, k * n, transB);
                assertThat(two).as(name(m, n, k, transA, transB)).isEqualTo(one);
            }
        }
    }

    @Test
    void concurrentAndNestedCallsKeepTheirScratchBuffersApart() throws Exception {
        Parallel.setThreads(2);
        SplittableRandom rnd = new SplittableRandom(11);
        int[][] shapes = {{300, 200, 100}, {130, 70, 500}};
        float[][] as = new float[2][];
        float[][] bs = new float[2][];
        float[][] expected = new float[2][];
        for (int s = 0; s < 2; s++) {
            int[] sh = shapes[s];
            as[s] = random(rnd, sh[0] * sh[2]);
            bs[s] = random(rnd, sh[2] * sh[1]);
            expected[s] = reference(1, sh[0], sh[1], sh[2], as[s], 0, 0, false, bs[s], 0, 0, true);
        }
        // Two caller threads at once, sharing the pool.
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < 2; s++) {
            int which = s;
            int[] sh = shapes[s];
            callers.add(new Thread(() -> {
                try {
                    for (int rep = 0; rep < 20; rep++) {
                        assertThat(gemm(1, sh[0], sh[1], sh[2], as[which], 0, 0, false, bs[which], 0, 0, true))
                                .isEqualTo(expected[which]);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        callers.forEach(Thread::start);
        for (Thread t : callers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        // Calls from inside pool tasks, as the attention kernel makes them.
        float[][] nested = new float[2][];
        Parallel.forRange(2, 1, (lo, hi) -> {
            for (int s = lo; s < hi; s++) {
                int[] sh = shapes[s];
                nested[s] = gemm(1, sh[0], sh[1], sh[2], as[s], 0, 0, false, bs[s], 0, 0, true);
            }
        });
        assertThat(nested[0]).isEqualTo(expected[0]);
        assertThat(nested[1]).isEqualTo(expected[1]);
    }

    /**
     * A weight gradient's product with op(A)'s row sums (its bias gradient) taken from the
     * product's reading of A: the product the same bits as Tensor.matmul, the sums KOuterGemm's
     * span-by-span chains to the bit on one and two threads, within a float sum's error bound of
     * the exact sums; a product of another path sums by sumTo, to its bits.
     */
    @Test
    void matmulWithSumsGivesTheWeightGradientsBiasGradient() {
        SplittableRandom rnd = new SplittableRandom(29);
        // {m, n, k}: the smaller operand as A (straight), and as B (the transposed problem), over several spans.
        int[][] shapes = {{40, 300, 6 * PackedGemm.KC + 11}, {300, 24, 3 * PackedGemm.KC + 5}};
        List<GemmKernels.Kernel> paths = new ArrayList<>();
        for (int[] sh : shapes) {
            int m = sh[0];
            int n = sh[1];
            int k = sh[2];
            assertThat(GemmKernels.rowSumsWithProduct(m, n, k, true, false)).as("%dx%dx%d", m, k, n).isTrue();
            paths.add(GemmKernels.choose(GemmKernels.MICRO_KERNEL, 1, m, n, k, GemmOperand.of(null, 0, 0, true, m, k),
                    GemmOperand.of(null, 0, 0, false, k, n)));
            float[] dy = random(rnd, k * m);
            Tensor a = Tensor.of(dy, k, m);    // dY [rows, out]: op(A) = dY^T
            Tensor b = randomTensor(rnd, k, n);
            float[] product = Tensor.matmul(a, true, b, false).toFloatArray();
            float[] expectedSums = spanBySpanRowSums(m, k, dy);
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                var r = Tensor.matmulWithSums(a, true, b, false);
                assertThat(r.product().toFloatArray()).as("%d threads, product %dx%dx%d", threads, m, k, n).isEqualTo(product);
                assertThat(r.sums().shape()).containsExactly(m);
                assertThat(r.sums().toFloatArray()).as("%d threads, sums %dx%dx%d", threads, m, k, n).isEqualTo(expectedSums);
            }
            for (int i = 0; i < m; i++) {
                double exact = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    exact += dy[p * m + i];
                    abs += Math.abs(dy[p * m + i]);
                }
                double gamma = k * 0x1p-24 / (1 - k * 0x1p-24);
                assertThat((double) expectedSums[i]).as("row %d of %dx%d", i, m, k).isCloseTo(exact,
                        org.assertj.core.api.Assertions.within(gamma * abs));
            }
        }
        assertThat(paths).containsExactly(GemmKernels.Kernel.K_OUTER, GemmKernels.Kernel.K_OUTER_TRANSPOSED);
        // A short k: not a weight gradient's path, so the default (matmul, then sumTo), to sumTo's bits.
        Tensor a = randomTensor(rnd, 100, 30);
        Tensor b = randomTensor(rnd, 100, 50);
        assertThat(GemmKernels.rowSumsWithProduct(30, 50, 100, true, false)).isFalse();
        var r = Tensor.matmulWithSums(a, true, b, false);
        assertThat(r.sums().toFloatArray()).isEqualTo(a.sumTo(30).toFloatArray());
        assertThat(r.product().toFloatArray()).isEqualTo(Tensor.matmul(a, true, b, false).toFloatArray());
        // Not transposed: op(A) = A, its rows summed along their length.
        var plain = Tensor.matmulWithSums(a.transpose(0, 1).contiguous(), false, b, false);
        assertThat(plain.sums().toFloatArray()).isEqualTo(a.transpose(0, 1).contiguous().sumTo(30, 1).toFloatArray());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tensor.matmulWithSums(randomTensor(rnd, 2, 100, 30), true, b, false))
                .hasMessageContaining("matmulWithSums: operands must be matrices, got [2, 100, 30] and [100, 50]");
    }

    // ---------------------------------------------------------------- through Tensor.matmul

    private static Tensor randomTensor(SplittableRandom rnd, int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        return Tensor.of(random(rnd, size), shape);
    }

    /** [..., rows, cols] of a (contiguous copy of a) tensor, item by item. */
    private static void assertTensorProduct(Tensor a, boolean transA, Tensor b, boolean transB) {
        Tensor c = Tensor.matmul(a, transA, b, transB);
        int[] cs = c.shape();
        int m = cs[cs.length - 2];
        int n = cs[cs.length - 1];
        int k = transA ? a.dim(-2) : a.dim(-1);
        int items = c.numel() / (m * n);
        float[] ad = a.expand(batched(cs, a.shape())).toFloatArray();
        float[] bd = b.expand(batched(cs, b.shape())).toFloatArray();
        float[] cd = c.toFloatArray();
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        for (int item = 0; item < items; item++) {
            assertMatchesEjml("tensor item " + item + " " + name(m, n, k, transA, transB), m, n, k,
                    ad, item * aRows * aCols, transA, bd, item * bRows * bCols, transB, cd, item * m * n);
        }
    }

    /** The operand's shape with the result's batch axes in front (for expanding it to the full batch). */
    private static int[] batched(int[] resultShape, int[] operandShape) {
        int[] full = resultShape.clone();
        full[full.length - 2] = operandShape[operandShape.length - 2];
        full[full.length - 1] = operandShape[operandShape.length - 1];
        return full;
    }

    @Test
    void tensorMatmulWithBroadcastBatchesMatchesEjml() {
        SplittableRandom rnd = new SplittableRandom(9);
        assertTensorProduct(randomTensor(rnd, 2, 3, 33, 17), false, randomTensor(rnd, 17, 40), false);
        assertTensorProduct(randomTensor(rnd, 33, 17), false, randomTensor(rnd, 4, 17, 40), false);
        assertTensorProduct(randomTensor(rnd, 3, 1, 20, 7), true, randomTensor(rnd, 1, 2, 9, 20), true);
        assertTensorProduct(randomTensor(rnd, 1, 257), false, randomTensor(rnd, 257, 7), false);
    }

    @Test
    void tensorMatmulOnTransposedAndSlicedViewsMatchesEjml() {
        SplittableRandom rnd = new SplittableRandom(10);
        // Transposed views: strides (1, rows), taken by the kernel as they are.
        Tensor at = randomTensor(rnd, 17, 33).transpose(0, 1);
        Tensor bt = randomTensor(rnd, 40, 17).transpose(0, 1);
        assertTensorProduct(at, false, bt, false);
        assertTensorProduct(at, true, randomTensor(rnd, 33, 12).transpose(0, 1), true);
        assertTensorProduct(randomTensor(rnd, 2, 5, 30, 8).transpose(2, 3), false, randomTensor(rnd, 2, 5, 30, 11), false);
        // Views that are neither row- nor column-major, and batch axes out of order.
        Tensor sliced = randomTensor(rnd, 33, 40).slice(1, 3, 20);
        assertTensorProduct(sliced, false, randomTensor(rnd, 17, 9), false);
        Tensor permuted = randomTensor(rnd, 6, 3, 4, 5).permute(1, 0, 2, 3);
        assertTensorProduct(permuted, false, randomTensor(rnd, 3, 6, 5, 7), false);
    }

    /**
     * A column-major A that several column blocks of tasks share is packed once, whole, before the
     * tasks (PackedGemm.SharedA): the same bits as the reference, on one and on two threads, with
     * a last partial tile of rows and a K split into blocks.
     */
    @Test
    void aColumnMajorASharedByColumnBlocksIsPackedOnceToTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(12);
        MicroKernel kernel = GemmKernels.MICRO_KERNEL;
        // One row block of 61 rows, 600 columns: the grid cuts columns, so the blocks share A's rows.
        int[][] shapes = {{61, 600, 600}, {PackedGemm.taskRows(kernel) + 7, 20 * kernel.cols + 3, PackedGemm.blockSteps(kernel) + 9}};
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = random(rnd, m * k);
                float[] b = random(rnd, k * n);
                for (boolean transB : new boolean[] {false, true}) {
                    float[] expected = reference(1, m, n, k, a, 0, 0, true, b, 0, 0, transB);
                    float[] c = new float[m * n];
                    PackedGemm.gemm(kernel, 1, m, n, k, GemmOperand.of(a, 0, 0, true, m, k),
                            GemmOperand.of(b, 0, 0, transB, k, n), GemmOperand.of(c, 0, 0, false, m, n));
                    assertThat(c).as("%d threads, %s", threads, name(m, n, k, true, transB)).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * Packing a column-major A (a transposition: 16 x 16 blocks in registers where vectors hold 16
     * floats, the rest float by float) puts A's element (row i0 + r, step p0 + p) at
     * dst[d + r * lda + p] and zeros in the rows past m: every float checked against that formula,
     * for blocks whose rows and steps are and are not multiples of 16, in a batch item other than
     * the first and from a row other than the first.
     */
    @Test
    void packingAColumnMajorAPlacesEveryFloat() {
        SplittableRandom rnd = new SplittableRandom(21);
        int[][] cases = {{16, 16}, {32, 48}, {37, 45}, {192, 400}, {5, 20}, {33, 15}, {64, 17}};
        for (int[] cs : cases) {
            int m = cs[0];
            int k = cs[1] + 9;
            int rows = 6;
            int i0 = m > 20 ? 3 : 0;
            int panels = (m - i0 + rows - 1) / rows + 1;   // one panel past m: zero rows
            int p0 = 4;
            int kc = cs[1];
            int lda = GemmPacking.packedARowStride(kc);
            int batchStride = m * k + 7;
            float[] data = random(rnd, 2 * batchStride);
            GemmOperand a = GemmOperand.of(data, 5, batchStride, true, m, k);
            float[] dst = new float[3 + panels * rows * lda];
            java.util.Arrays.fill(dst, Float.NaN);
            GemmPacking.packA(a, 1, m, i0, rows, panels, p0, kc, dst, 3, lda);
            for (int r = 0; r < panels * rows; r++) {
                for (int p = 0; p < kc; p++) {
                    float expected = i0 + r < m ? data[5 + batchStride + (i0 + r) + (p0 + p) * m] : 0f;
                    if (Float.floatToRawIntBits(dst[3 + r * lda + p]) != Float.floatToRawIntBits(expected)) {
                        fail("m %d, kc %d: row %d, step %d holds %s, expected %s", m, kc, r, p, dst[3 + r * lda + p], expected);
                    }
                }
            }
        }
    }
}

package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * Register-tiled GEMM micro-kernels: a tile of C, {@code rows} x {@code cols} (cols = vectors
 * times the vector length), is held in registers while the kernel walks {@code kc} steps of a
 * packed B panel ({@code kc} rows of {@code cols} contiguous floats) and the matching column of A:
 * per step, one load per B vector, one broadcast per A row and one fused multiply-add per
 * accumulator. The tile is as large as the vector registers allow, since each loaded B vector
 * then feeds {@code rows} multiply-adds and each broadcast feeds {@code vectors}. Each kernel has
 * two methods, one per layout of A, row-major or column-major ({@link #run}), each with its own
 * copy of the tile's loads and stores of C around its loop: a method cannot hand its caller 24
 * vector registers, and each loop must be a method of its own for the JIT ({@link #rowMajorA}).
 *
 * <p>Summation order: every C element is a single chain {@code c = fma(a[i,p], b[p,j], c)} over p
 * in increasing order. With {@code accumulate} false the chain starts from +0, with it true it
 * continues from the value in C, so splitting K into blocks, or the tile grid into any number of
 * tasks, never changes a bit of the result.
 */
enum MicroKernel {
    /**
     * 6 rows x 1 vector: 6 accumulators. Not a machine's kernel: the last panel of C's columns
     * when only one vector of it is left ({@link #narrowed}).
     */
    ROWS6_VEC1(6, 1) {
        @Override
        void rowMajorA(int kc, float[] a, int ai, int aRowStride, float[] b, int bi,
                       float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c0, c1, c2, c3, c4, c5;
            if (accumulate) {
                c0 = FloatVector.fromArray(S, c, ci);
                c1 = FloatVector.fromArray(S, c, ci + ldc);
                c2 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c3 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c4 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c5 = FloatVector.fromArray(S, c, ci + 5 * ldc);
            } else {
                c0 = c1 = c2 = c3 = c4 = c5 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bi + p * L);
                c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
                c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
                c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
                c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
                c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b0, c4);
                c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b0, c5);
            }
            c0.intoArray(c, ci);
            c1.intoArray(c, ci + ldc);
            c2.intoArray(c, ci + 2 * ldc);
            c3.intoArray(c, ci + 3 * ldc);
            c4.intoArray(c, ci + 4 * ldc);
            c5.intoArray(c, ci + 5 * ldc);
        }

        @Override
        void columnMajorA(int kc, float[] a, int ai, int aRowStride, int aStepStride, float[] b, int bi,
                          float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c0, c1, c2, c3, c4, c5;
            if (accumulate) {
                c0 = FloatVector.fromArray(S, c, ci);
                c1 = FloatVector.fromArray(S, c, ci + ldc);
                c2 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c3 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c4 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c5 = FloatVector.fromArray(S, c, ci + 5 * ldc);
            } else {
                c0 = c1 = c2 = c3 = c4 = c5 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                int s = p * aStepStride;
                FloatVector b0 = FloatVector.fromArray(S, b, bi + p * L);
                c0 = FloatVector.broadcast(S, a[a0 + s]).fma(b0, c0);
                c1 = FloatVector.broadcast(S, a[a1 + s]).fma(b0, c1);
                c2 = FloatVector.broadcast(S, a[a2 + s]).fma(b0, c2);
                c3 = FloatVector.broadcast(S, a[a3 + s]).fma(b0, c3);
                c4 = FloatVector.broadcast(S, a[a4 + s]).fma(b0, c4);
                c5 = FloatVector.broadcast(S, a[a5 + s]).fma(b0, c5);
            }
            c0.intoArray(c, ci);
            c1.intoArray(c, ci + ldc);
            c2.intoArray(c, ci + 2 * ldc);
            c3.intoArray(c, ci + 3 * ldc);
            c4.intoArray(c, ci + 4 * ldc);
            c5.intoArray(c, ci + 5 * ldc);
        }
    },

    /** 6 rows x 2 vectors: 12 accumulators, 15 registers with the B vectors and the broadcast. */
    ROWS6_VEC2(6, 2) {
        @Override
        void rowMajorA(int kc, float[] a, int ai, int aRowStride, float[] b, int bi,
                       float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
            if (accumulate) {
                c00 = FloatVector.fromArray(S, c, ci);
                c01 = FloatVector.fromArray(S, c, ci + L);
                c10 = FloatVector.fromArray(S, c, ci + ldc);
                c11 = FloatVector.fromArray(S, c, ci + ldc + L);
                c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
                c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
                c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
                c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
                c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
            } else {
                c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                int bp = bi + p * (2 * L);
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, a[a1 + p]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, a[a2 + p]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, a[a3 + p]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, a[a4 + p]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, a[a5 + p]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            }
            c00.intoArray(c, ci); c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        }

        @Override
        void columnMajorA(int kc, float[] a, int ai, int aRowStride, int aStepStride, float[] b, int bi,
                          float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
            if (accumulate) {
                c00 = FloatVector.fromArray(S, c, ci);
                c01 = FloatVector.fromArray(S, c, ci + L);
                c10 = FloatVector.fromArray(S, c, ci + ldc);
                c11 = FloatVector.fromArray(S, c, ci + ldc + L);
                c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
                c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
                c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
                c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
                c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
            } else {
                c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                int s = p * aStepStride;
                int bp = bi + p * (2 * L);
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector av = FloatVector.broadcast(S, a[a0 + s]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, a[a1 + s]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, a[a2 + s]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, a[a3 + s]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, a[a4 + s]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, a[a5 + s]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            }
            c00.intoArray(c, ci); c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        }
    },

    /**
     * 6 rows x 3 vectors: 18 accumulators, 22 registers with the B vectors and the broadcast.
     * {@link KOuterGemm}'s tile with 512-bit vectors on Zen 4 ({@link #forColumnMajorA}).
     */
    ROWS6_VEC3(6, 3) {
        @Override
        void rowMajorA(int kc, float[] a, int ai, int aRowStride, float[] b, int bi,
                       float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52;
            if (accumulate) {
                c00 = FloatVector.fromArray(S, c, ci);
                c01 = FloatVector.fromArray(S, c, ci + L);
                c02 = FloatVector.fromArray(S, c, ci + 2 * L);
                c10 = FloatVector.fromArray(S, c, ci + ldc);
                c11 = FloatVector.fromArray(S, c, ci + ldc + L);
                c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
                c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
                c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
                c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
                c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
                c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
                c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
                c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
                c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
                c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
            } else {
                c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                int bp = bi + p * (3 * L);
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
                av = FloatVector.broadcast(S, a[a1 + p]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
                av = FloatVector.broadcast(S, a[a2 + p]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
                av = FloatVector.broadcast(S, a[a3 + p]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
                av = FloatVector.broadcast(S, a[a4 + p]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
                av = FloatVector.broadcast(S, a[a5 + p]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
            }
            c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L);
        }

        @Override
        void columnMajorA(int kc, float[] a, int ai, int aRowStride, int aStepStride, float[] b, int bi,
                          float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52;
            if (accumulate) {
                c00 = FloatVector.fromArray(S, c, ci);
                c01 = FloatVector.fromArray(S, c, ci + L);
                c02 = FloatVector.fromArray(S, c, ci + 2 * L);
                c10 = FloatVector.fromArray(S, c, ci + ldc);
                c11 = FloatVector.fromArray(S, c, ci + ldc + L);
                c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
                c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
                c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
                c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
                c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
                c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
                c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
                c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
                c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
                c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
            } else {
                c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                int s = p * aStepStride;
                int bp = bi + p * (3 * L);
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector av = FloatVector.broadcast(S, a[a0 + s]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
                av = FloatVector.broadcast(S, a[a1 + s]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
                av = FloatVector.broadcast(S, a[a2 + s]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
                av = FloatVector.broadcast(S, a[a3 + s]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
                av = FloatVector.broadcast(S, a[a4 + s]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
                av = FloatVector.broadcast(S, a[a5 + s]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
            }
            c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L);
        }
    },

    /**
     * 6 rows x 4 vectors: 24 accumulators, 29 registers with the B vectors and the broadcast.
     * {@link PackedGemm}'s tile with 512-bit vectors ({@link #forThisMachine}).
     */
    ROWS6_VEC4(6, 4) {
        @Override
        void rowMajorA(int kc, float[] a, int ai, int aRowStride, float[] b, int bi,
                       float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
            if (accumulate) {
                c00 = FloatVector.fromArray(S, c, ci);
                c01 = FloatVector.fromArray(S, c, ci + L);
                c02 = FloatVector.fromArray(S, c, ci + 2 * L);
                c03 = FloatVector.fromArray(S, c, ci + 3 * L);
                c10 = FloatVector.fromArray(S, c, ci + ldc);
                c11 = FloatVector.fromArray(S, c, ci + ldc + L);
                c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
                c13 = FloatVector.fromArray(S, c, ci + ldc + 3 * L);
                c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
                c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
                c23 = FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * L);
                c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
                c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
                c33 = FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * L);
                c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
                c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
                c43 = FloatVector.fromArray(S, c, ci + 4 * ldc + 3 * L);
                c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
                c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
                c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
                c53 = FloatVector.fromArray(S, c, ci + 5 * ldc + 3 * L);
            } else {
                c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                int bp = bi + p * (4 * L);
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
                av = FloatVector.broadcast(S, a[a1 + p]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
                av = FloatVector.broadcast(S, a[a2 + p]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
                av = FloatVector.broadcast(S, a[a3 + p]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
                av = FloatVector.broadcast(S, a[a4 + p]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42); c43 = av.fma(b3, c43);
                av = FloatVector.broadcast(S, a[a5 + p]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52); c53 = av.fma(b3, c53);
            }
            c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L); c03.intoArray(c, ci + 3 * L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L); c13.intoArray(c, ci + ldc + 3 * L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L); c23.intoArray(c, ci + 2 * ldc + 3 * L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L); c33.intoArray(c, ci + 3 * ldc + 3 * L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L); c43.intoArray(c, ci + 4 * ldc + 3 * L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L); c53.intoArray(c, ci + 5 * ldc + 3 * L);
        }

        @Override
        void columnMajorA(int kc, float[] a, int ai, int aRowStride, int aStepStride, float[] b, int bi,
                          float[] c, int ci, int ldc, boolean accumulate) {
            FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
            if (accumulate) {
                c00 = FloatVector.fromArray(S, c, ci);
                c01 = FloatVector.fromArray(S, c, ci + L);
                c02 = FloatVector.fromArray(S, c, ci + 2 * L);
                c03 = FloatVector.fromArray(S, c, ci + 3 * L);
                c10 = FloatVector.fromArray(S, c, ci + ldc);
                c11 = FloatVector.fromArray(S, c, ci + ldc + L);
                c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
                c13 = FloatVector.fromArray(S, c, ci + ldc + 3 * L);
                c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
                c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
                c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
                c23 = FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * L);
                c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
                c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
                c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
                c33 = FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * L);
                c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
                c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
                c42 = FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L);
                c43 = FloatVector.fromArray(S, c, ci + 4 * ldc + 3 * L);
                c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
                c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
                c52 = FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L);
                c53 = FloatVector.fromArray(S, c, ci + 5 * ldc + 3 * L);
            } else {
                c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(S);
            }
            int a0 = ai;
            int a1 = ai + aRowStride;
            int a2 = ai + 2 * aRowStride;
            int a3 = ai + 3 * aRowStride;
            int a4 = ai + 4 * aRowStride;
            int a5 = ai + 5 * aRowStride;
            for (int p = 0; p < kc; p++) {
                int s = p * aStepStride;
                int bp = bi + p * (4 * L);
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector av = FloatVector.broadcast(S, a[a0 + s]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
                av = FloatVector.broadcast(S, a[a1 + s]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
                av = FloatVector.broadcast(S, a[a2 + s]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
                av = FloatVector.broadcast(S, a[a3 + s]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
                av = FloatVector.broadcast(S, a[a4 + s]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42); c43 = av.fma(b3, c43);
                av = FloatVector.broadcast(S, a[a5 + s]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52); c53 = av.fma(b3, c53);
            }
            c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L); c03.intoArray(c, ci + 3 * L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L); c12.intoArray(c, ci + ldc + 2 * L); c13.intoArray(c, ci + ldc + 3 * L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L); c22.intoArray(c, ci + 2 * ldc + 2 * L); c23.intoArray(c, ci + 2 * ldc + 3 * L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L); c32.intoArray(c, ci + 3 * ldc + 2 * L); c33.intoArray(c, ci + 3 * ldc + 3 * L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L); c42.intoArray(c, ci + 4 * ldc + 2 * L); c43.intoArray(c, ci + 4 * ldc + 3 * L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L); c52.intoArray(c, ci + 5 * ldc + 2 * L); c53.intoArray(c, ci + 5 * ldc + 3 * L);
        }
    };

    /** Tile height: rows of C (and of the A panel) per call. */
    final int rows;
    /** Tile width in floats: vectors times the vector length. */
    final int cols;

    MicroKernel(int rows, int vectors) {
        this.rows = rows;
        this.cols = vectors * L;
    }

    /**
     * {@link PackedGemm}'s tile: the largest that fits this machine's vector registers, 6 x 64 with
     * 512-bit vectors (AVX-512's 32 registers), 6 x 16 with narrower ones (AVX2's 16). Against the
     * 6 x 48 tile it replaced, the same bits and, in one JVM (medians of the rounds), 1.11-1.20x at
     * 256^2 (four panels where there were five and a 16-wide one), 0.98-1.16x on the demo model's
     * products with 128 columns (two panels, where 48 + 48 + 32 took three kernel calls per six
     * rows), 0.97-1.10x on the other squares and the ViT shapes (Zen 4, one and two threads;
     * BENCHMARKS.md, 2026-12-03 midday).
     */
    static MicroKernel forThisMachine() {
        return S.vectorBitSize() >= 512 ? ROWS6_VEC4 : ROWS6_VEC2;
    }

    /**
     * {@link KOuterGemm}'s tile, whose second loop reads a column-major A where it lies with
     * 512-bit vectors: 6 x 48 there (with the 6 x 64 tile the weight gradients ran at 0.84-1.04x,
     * 17 of 20 medians below 0.95; Zen 4, two threads, BENCHMARKS.md, 2026-12-03 midday), except
     * where a core runs two 512-bit multiply-adds a cycle ({@link CpuModel#FULL_RATE_512}): there
     * the 6 x 64 tile ran the ViT's weight gradients 1.08-1.13x faster, the same bits (Zen 5, two
     * threads, BENCHMARKS.md, 2026-12-03 late), and still 1.01-1.08x with A packed
     * ({@link KOuterGemm#READ_A_IN_PLACE}, 2026-12-03 late night). 6 x 16 with narrower vectors, as
     * {@link #forThisMachine}.
     */
    static MicroKernel forColumnMajorA() {
        if (S.vectorBitSize() < 512) {
            return ROWS6_VEC2;
        }
        return CpuModel.FULL_RATE_512 ? ROWS6_VEC4 : ROWS6_VEC3;
    }

    /**
     * The kernel of this one's height for a panel with {@code width} columns of C left (this one
     * when they fill its tile): as many vectors as they need, so that the last panel of a C whose
     * width is not a multiple of the tile's (288 columns are four 64-wide panels and 32 more) costs
     * its own vectors' multiply-adds, not a whole tile's. Its {@link #cols} is that panel's packed
     * width. The same chain of multiply-adds per element.
     */
    MicroKernel narrowed(int width) {
        int vectors = (width + L - 1) / L;
        if (vectors * L >= cols) {
            return this;
        }
        for (MicroKernel k : values()) {
            if (k.rows == rows && k.cols == vectors * L) {
                return k;
            }
        }
        throw new IllegalStateException("no " + rows + "-row kernel " + vectors + " vectors wide");
    }

    /**
     * C[rows x cols] at c[ci], row stride ldc, (+)= A[rows x kc] B[kc x cols]. A[r, p] is read at
     * {@code a[ai + r * aRowStride + p * aStepStride]}, one of the two strides 1: a row-major A
     * (or one packed row-major) has steps of k side by side, {@code aStepStride} 1; a column-major
     * A read in place (the dY^T of a weight gradient, {@link KOuterGemm}) has its rows side by side,
     * {@code aRowStride} 1. B is a packed panel, {@code cols} floats per step.
     *
     * <p>With {@code aStepStride} 1 every index in the loop is the loop counter plus a
     * loop-invariant offset (times a constant for B): the form of index whose bounds checks the
     * JIT's range-check elimination can prove once, before the loop. The kernel it replaced stepped
     * A by a variable stride, and its compiled loop kept one check per broadcast, six per step,
     * about 50 instructions per 18 multiply-adds; this form ran 1.1-1.4x faster on most shapes
     * (BENCHMARKS.md, 2026-11-30 night). The other loop, the same multiply-adds with A's index the
     * counter times a stride, keeps those checks; with AVX-512's 32 registers it still ran the
     * 6 x 48 tile as fast as the first on operands in cache (Zen 4, BENCHMARKS.md, 2026-12-03),
     * while the 6 x 16 tile of AVX2's 16 registers read A that way at 0.59-0.99x the first's rate
     * (spilling an accumulator when the rows' offsets were folded into one index; 2026-12-02,
     * later) and its weight gradients lost, which is why {@link KOuterGemm} reads A in place only
     * with 512-bit vectors.
     */
    final void run(int kc, float[] a, int ai, int aRowStride, int aStepStride, float[] b, int bi,
                   float[] c, int ci, int ldc, boolean accumulate) {
        if (aStepStride == 1) {
            rowMajorA(kc, a, ai, aRowStride, b, bi, c, ci, ldc, accumulate);
        } else {
            columnMajorA(kc, a, ai, aRowStride, aStepStride, b, bi, c, ci, ldc, accumulate);
        }
    }

    /**
     * {@link #run} with A's steps side by side. Each layout's loop is a method of its own, so that
     * the JIT compiles each for the one loop that runs in it: where {@link KOuterGemm} and
     * {@link PackedGemm} share a tile (the 6 x 64 on Zen 5), one method with both loops hot ran
     * PackedGemm's 2048^2 at 0.94-0.95x the Zen 4 choices' rate (ratios to OpenBLAS, processes
     * alternating), with the loops apart at 1.04-1.09x (BENCHMARKS.md, 2026-12-03 late).
     */
    abstract void rowMajorA(int kc, float[] a, int ai, int aRowStride, float[] b, int bi,
                            float[] c, int ci, int ldc, boolean accumulate);

    /** {@link #run} with A's steps {@code aStepStride} apart (its rows {@code aRowStride} apart, in practice 1). */
    abstract void columnMajorA(int kc, float[] a, int ai, int aRowStride, int aStepStride, float[] b, int bi,
                               float[] c, int ci, int ldc, boolean accumulate);
}

/*
 * Batched SGEMM: C = op(A) op(B) per batch item, C [M, N] row-major, op = transpose when flagged.
 * Two kernels compute every output with the same arithmetic, acc = fma(a[i,p], b[p,j], acc) for
 * p = 0, 1, ..., K-1 (the CPU backend's order too), so which one runs never changes the result:
 *
 *  - gemm_direct: one work-item per output, no local memory; for small products, where tiles
 *    would be mostly empty, and the simple twin the tiled kernel is tested against.
 *  - gemm_tiled_{nn,nt,tn,tt}: a work-group computes a TM x TN tile of C, stepping through K in
 *    slices of TK that are staged in local memory with vector loads of VW floats; each work-item
 *    keeps a WM x WN block of outputs in registers. Edges are handled by zero padding on load
 *    and bounds checks on store, so any size works.
 *
 * TM, TN, TK, WM, WN, VW are chosen per device by dev.mp3.opencl.GemmTuner (defaults in
 * GemmConfig) and defined by the host at build time; the values below only let the file compile
 * on its own.
 */

#ifndef TM
#define TM 64
#define TN 64
#define TK 16
#define WM 4
#define WN 4
#define VW 4
#endif

#define RM (TM / WM)        /* work-items along m */
#define RN (TN / WN)        /* work-items along n */
#define THREADS (RM * RN)

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

/* p[0..VW) into out, where element j is valid while start + j < limit; zeros past the limit. */
inline void load_run(const __global float* p, const int start, const int limit, float* out) {
    if (start + VW <= limit) {
#if VW == 1
        out[0] = p[0];
#else
        CAT(vstore, VW)(CAT(vload, VW)(0, p), 0, out);
#endif
    } else {
        for (int j = 0; j < VW; j++) {
            out[j] = start + j < limit ? p[j] : 0.0f;
        }
    }
}

/*
 * Stages rows r0 .. r0+R-1 and depths k0 .. k0+TK-1 of an operand in tile[k * R + r]. The operand's
 * element (r, k) is at src[r * ld + k] when kFast (k contiguous in memory), else at src[k * ld + r];
 * vectors always run along the contiguous axis. rows and depth bound the operand; outside is zero.
 */
inline void load_tile(__local float* tile, const int R, const __global float* src, const int ld, const bool kFast,
                      const int r0, const int rows, const int k0, const int depth, const int tid) {
    float run[VW];
    if (kFast) {
        const int perRow = TK / VW;
        for (int v = tid; v < R * perRow; v += THREADS) {
            const int r = v / perRow;
            const int kk = (v % perRow) * VW;
            if (r0 + r < rows) {
                load_run(src + (r0 + r) * ld + k0 + kk, k0 + kk, depth, run);
            } else {
                for (int j = 0; j < VW; j++) {
                    run[j] = 0.0f;
                }
            }
            for (int j = 0; j < VW; j++) {
                tile[(kk + j) * R + r] = run[j];
            }
        }
    } else {
        const int perRow = R / VW;
        for (int v = tid; v < TK * perRow; v += THREADS) {
            const int kk = v / perRow;
            const int r = (v % perRow) * VW;
            if (k0 + kk < depth) {
                load_run(src + (k0 + kk) * ld + r0 + r, r0 + r, rows, run);
            } else {
                for (int j = 0; j < VW; j++) {
                    run[j] = 0.0f;
                }
            }
            for (int j = 0; j < VW; j++) {
                tile[kk * R + r + j] = run[j];
            }
        }
    }
}

/* One TM x TN tile of C. Work-item (tn, tm) owns rows tm + wm*RM and columns tn + wn*RN, so that
 * neighbouring work-items read neighbouring local words and store neighbouring columns. */
inline void gemm_tile(const int M, const int N, const int K, const __global float* A, const int lda, const bool aKFast,
                      const __global float* B, const int ldb, const bool bKFast, __global float* C, const int ldc,
                      const __global float* bias, const bool hasBias, __local float* As, __local float* Bs) {
    const int tn = get_local_id(0);
    const int tm = get_local_id(1);
    const int tid = tm * RN + tn;
    const int m0 = get_group_id(1) * TM;
    const int n0 = get_group_id(0) * TN;
    float acc[WM][WN];
    for (int wm = 0; wm < WM; wm++) {
        for (int wn = 0; wn < WN; wn++) {
            acc[wm][wn] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < K; k0 += TK) {
        load_tile(As, TM, A, lda, aKFast, m0, M, k0, K, tid);
        load_tile(Bs, TN, B, ldb, bKFast, n0, N, k0, K, tid);
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < TK; kk++) {
            float a[WM];
            float b[WN];
            for (int wm = 0; wm < WM; wm++) {
                a[wm] = As[kk * TM + tm + wm * RM];
            }
            for (int wn = 0; wn < WN; wn++) {
                b[wn] = Bs[kk * TN + tn + wn * RN];
            }
            for (int wm = 0; wm < WM; wm++) {
                for (int wn = 0; wn < WN; wn++) {
                    acc[wm][wn] = fma(a[wm], b[wn], acc[wm][wn]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int wm = 0; wm < WM; wm++) {
        const int row = m0 + tm + wm * RM;
        if (row < M) {
            for (int wn = 0; wn < WN; wn++) {
                const int col = n0 + tn + wn * RN;
                if (col < N) {
                    /* The bias, if any, once the dot product is complete: the bits of matmul then add. */
                    C[row * ldc + col] = hasBias ? acc[wm][wn] + bias[col] : acc[wm][wn];
                }
            }
        }
    }
}

/* A is stored [M, K] (or [K, M] when TRANS_A), B [K, N] (or [N, K] when TRANS_B); each operand has a
 * row stride (ld) and a batch stride (0 = one matrix shared by the batch). With hasBias, bias[biasOff
 * + j] is added to every element of column j (a linear layer's bias, in the epilogue); otherwise
 * bias is any buffer and never read. Work-group (RN, RM, 1), global dimension 2 is the batch item. */
#define GEMM_TILED(NAME, TRANS_A, TRANS_B) \
__kernel __attribute__((reqd_work_group_size(RN, RM, 1))) \
void NAME(const int M, const int N, const int K, \
          const __global float* A, const int aOff, const int lda, const int aBatch, \
          const __global float* B, const int bOff, const int ldb, const int bBatch, \
          __global float* C, const int cOff, const int ldc, const int cBatch, \
          const __global float* bias, const int biasOff, const int hasBias) { \
    __local float As[TK * TM]; \
    __local float Bs[TK * TN]; \
    const int t = get_global_id(2); \
    gemm_tile(M, N, K, A + aOff + t * aBatch, lda, !(TRANS_A), B + bOff + t * bBatch, ldb, (TRANS_B), \
              C + cOff + t * cBatch, ldc, bias + biasOff, hasBias != 0, As, Bs); \
}

GEMM_TILED(gemm_tiled_nn, false, false)
GEMM_TILED(gemm_tiled_nt, false, true)
GEMM_TILED(gemm_tiled_tn, true, false)
GEMM_TILED(gemm_tiled_tt, true, true)

/* One output per work-item: global (N, M, batch). The bias as in the tiled kernels. */
__kernel void gemm_direct(const int M, const int N, const int K, const int transA, const int transB,
                          const __global float* A, const int aOff, const int lda, const int aBatch,
                          const __global float* B, const int bOff, const int ldb, const int bBatch,
                          __global float* C, const int cOff, const int ldc, const int cBatch,
                          const __global float* bias, const int biasOff, const int hasBias) {
    const int j = get_global_id(0);
    const int i = get_global_id(1);
    const int t = get_global_id(2);
    if (i >= M || j >= N) {
        return;
    }
    const __global float* a = A + aOff + t * aBatch;
    const __global float* b = B + bOff + t * bBatch;
    float acc = 0.0f;
    for (int p = 0; p < K; p++) {
        const float av = transA ? a[p * lda + i] : a[i * lda + p];
        const float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
        acc = fma(av, bv, acc);
    }
    C[cOff + t * cBatch + i * ldc + j] = hasBias ? acc + bias[biasOff + j] : acc;
}

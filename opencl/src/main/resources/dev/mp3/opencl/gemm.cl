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
 * With DB = 1 the local tiles are double-buffered: a work-item fetches its share of slice s + 1
 * from global memory into registers, computes slice s from one buffer, stores the fetched share
 * into the other buffer and meets the group at one barrier per slice, so global latency overlaps
 * the arithmetic. With DB = 0 one buffer is filled, computed and released (two barriers a slice).
 *
 * Local tiles are stored k-major, tile[k * stride + r], so the inner loop reads consecutive words
 * across work-items. An operand whose k runs along memory (A not transposed, B transposed) is
 * transposed while staged; its stride is padded by PAD_M (A) or PAD_N (B) words, chosen by the host
 * (GemmConfig.pad) so that the 32 work-items of a warp store to 32 different banks.
 *
 * TM, TN, TK, WM, WN, VW, DB, PAD_M, PAD_N are chosen per device by dev.mp3.opencl.GemmTuner
 * (defaults in GemmConfig) and defined by the host at build time; the values below only let the
 * file compile on its own.
 */

#ifndef TM
#define TM 64
#define TN 64
#define TK 16
#define WM 4
#define WN 4
#define VW 4
#define DB 1
#define PAD_M 2
#define PAD_N 2
#endif

#define RM (TM / WM)        /* work-items along m */
#define RN (TN / WN)        /* work-items along n */
#define THREADS (RM * RN)

/* Vector runs of VW floats in one slice of an R-row tile, and how many each work-item fetches. */
#define RUNS(R) (TK * (R) / VW)
#define LOADS(R) ((RUNS(R) + THREADS - 1) / THREADS)
/* Row stride of a staged tile: padded only when the operand is transposed on the way in. */
#define STRIDE(R, PAD, kFast) ((R) + ((kFast) ? (PAD) : 0))

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
 * Run v of a slice of an operand: (r, kk) is its first element's row and depth within the tile;
 * the run goes along k when kFast (k contiguous in memory), else along r.
 */
inline int run_r(const int v, const int R, const bool kFast) {
    return kFast ? v / (TK / VW) : (v % (R / VW)) * VW;
}

inline int run_k(const int v, const int R, const bool kFast) {
    return kFast ? (v % (TK / VW)) * VW : v / (R / VW);
}

/*
 * This work-item's share of rows r0 .. r0+R-1, depths k0 .. k0+TK-1 of an operand, into regs
 * (LOADS(R) runs of VW floats). The operand's element (r, k) is at src[r * ld + k] when kFast,
 * else at src[k * ld + r]; rows and depth bound it, and outside is zero.
 */
inline void fetch(float* regs, const int R, const __global float* src, const int ld, const bool kFast,
                  const int r0, const int rows, const int k0, const int depth, const int tid) {
    for (int l = 0; l < LOADS(R); l++) {
        const int v = tid + l * THREADS;
        float* run = regs + l * VW;
        const int r = run_r(v, R, kFast);
        const int kk = run_k(v, R, kFast);
        const bool inside = v < RUNS(R) && (kFast ? r0 + r < rows : k0 + kk < depth);
        if (inside && kFast) {
            load_run(src + (r0 + r) * ld + k0 + kk, k0 + kk, depth, run);
        } else if (inside) {
            load_run(src + (k0 + kk) * ld + r0 + r, r0 + r, rows, run);
        } else {
            for (int j = 0; j < VW; j++) {
                run[j] = 0.0f;
            }
        }
    }
}

/* Stores what fetch read into tile[k * stride + r]: transposed when kFast, as vectors otherwise. */
inline void stage(__local float* tile, const int R, const int stride, const bool kFast, const float* regs,
                  const int tid) {
    for (int l = 0; l < LOADS(R); l++) {
        const int v = tid + l * THREADS;
        if (LOADS(R) * THREADS == RUNS(R) || v < RUNS(R)) {
            const float* run = regs + l * VW;
            const int r = run_r(v, R, kFast);
            const int kk = run_k(v, R, kFast);
            if (kFast) {
                for (int j = 0; j < VW; j++) {
                    tile[(kk + j) * stride + r] = run[j];
                }
            } else {
#if VW == 1
                tile[kk * stride + r] = run[0];
#else
                CAT(vstore, VW)(CAT(vload, VW)(0, run), 0, tile + kk * stride + r);
#endif
            }
        }
    }
}

/* acc += one staged slice, k in order. Work-item (tn, tm) owns rows tm + wm*RM and columns
 * tn + wn*RN, so that neighbouring work-items read neighbouring local words. */
inline void multiply(float acc[WM][WN], const __local float* As, const int sa, const __local float* Bs,
                     const int sb, const int tm, const int tn) {
    for (int kk = 0; kk < TK; kk++) {
        float a[WM];
        float b[WN];
        for (int wm = 0; wm < WM; wm++) {
            a[wm] = As[kk * sa + tm + wm * RM];
        }
        for (int wn = 0; wn < WN; wn++) {
            b[wn] = Bs[kk * sb + tn + wn * RN];
        }
        for (int wm = 0; wm < WM; wm++) {
            for (int wn = 0; wn < WN; wn++) {
                acc[wm][wn] = fma(a[wm], b[wn], acc[wm][wn]);
            }
        }
    }
}

/* One TM x TN tile of C. As and Bs hold (1 + DB) slices of sa * TK and sb * TK floats. */
inline void gemm_tile(const int M, const int N, const int K, const __global float* A, const int lda, const bool aKFast,
                      const __global float* B, const int ldb, const bool bKFast, __global float* C, const int ldc,
                      const __global float* bias, const bool hasBias, const __global float* R, const bool hasR,
                      const int act, __global float* P, __local float* As, const int sa,
                      __local float* Bs, const int sb) {
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
    float ra[LOADS(TM) * VW];
    float rb[LOADS(TN) * VW];
#if DB
    fetch(ra, TM, A, lda, aKFast, m0, M, 0, K, tid);
    fetch(rb, TN, B, ldb, bKFast, n0, N, 0, K, tid);
    stage(As, TM, sa, aKFast, ra, tid);
    stage(Bs, TN, sb, bKFast, rb, tid);
    barrier(CLK_LOCAL_MEM_FENCE);
    int cur = 0;
    for (int k0 = 0; k0 < K; k0 += TK) {
        const bool more = k0 + TK < K;
        if (more) {
            fetch(ra, TM, A, lda, aKFast, m0, M, k0 + TK, K, tid);
            fetch(rb, TN, B, ldb, bKFast, n0, N, k0 + TK, K, tid);
        }
        multiply(acc, As + cur * sa * TK, sa, Bs + cur * sb * TK, sb, tm, tn);
        if (more) {
            /* The other buffer was last read before the previous barrier. */
            stage(As + (1 - cur) * sa * TK, TM, sa, aKFast, ra, tid);
            stage(Bs + (1 - cur) * sb * TK, TN, sb, bKFast, rb, tid);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        cur = 1 - cur;
    }
#else
    for (int k0 = 0; k0 < K; k0 += TK) {
        fetch(ra, TM, A, lda, aKFast, m0, M, k0, K, tid);
        fetch(rb, TN, B, ldb, bKFast, n0, N, k0, K, tid);
        stage(As, TM, sa, aKFast, ra, tid);
        stage(Bs, TN, sb, bKFast, rb, tid);
        barrier(CLK_LOCAL_MEM_FENCE);
        multiply(acc, As, sa, Bs, sb, tm, tn);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
#endif
    for (int wm = 0; wm < WM; wm++) {
        const int row = m0 + tm + wm * RM;
        if (row < M) {
            for (int wn = 0; wn < WN; wn++) {
                const int col = n0 + tn + wn * RN;
                if (col < N) {
                    /* The bias, then the addend, once the dot product is complete: the bits of the
                     * matmul followed by an add of each. */
                    float c = hasBias ? acc[wm][wn] + bias[col] : acc[wm][wn];
                    c = hasR ? c + R[row * ldc + col] : c;
                    if (act >= 0) {
                        P[row * ldc + col] = c;
                        c = unary_value(act, c);
                    }
                    C[row * ldc + col] = c;
                }
            }
        }
    }
}

/* A is stored [M, K] (or [K, M] when TRANS_A), B [K, N] (or [N, K] when TRANS_B); each operand has a
 * row stride (ld) and a batch stride (0 = one matrix shared by the batch). With hasBias, bias[biasOff
 * + j] is added to every element of column j (a linear layer's bias, in the epilogue); otherwise
 * bias is any buffer and never read. With hasR, the addend R (laid out as C, from rOff) is added
 * after the bias: a residual connection, or a gradient the product accumulates into; otherwise R is
 * never read. With act >= 0 (a U_* code of common.cl) the sum so far goes to P (laid out as C: the
 * pre-activation a backward pass needs) and act of it to C: a linear layer and its GELU in one
 * launch; with act < 0 P is never written. Work-group (RN, RM, 1), global dimension 2 is the batch
 * item. */
#define GEMM_TILED(NAME, TRANS_A, TRANS_B) \
__kernel __attribute__((reqd_work_group_size(RN, RM, 1))) \
void NAME(const int M, const int N, const int K, \
          const __global float* A, const int aOff, const int lda, const int aBatch, \
          const __global float* B, const int bOff, const int ldb, const int bBatch, \
          __global float* C, const int cOff, const int ldc, const int cBatch, \
          const __global float* bias, const int biasOff, const int hasBias, \
          const __global float* R, const int rOff, const int hasR, const int act, __global float* P) { \
    __local float As[(1 + DB) * TK * STRIDE(TM, PAD_M, !(TRANS_A))]; \
    __local float Bs[(1 + DB) * TK * STRIDE(TN, PAD_N, (TRANS_B))]; \
    const int t = get_global_id(2); \
    gemm_tile(M, N, K, A + aOff + t * aBatch, lda, !(TRANS_A), B + bOff + t * bBatch, ldb, (TRANS_B), \
              C + cOff + t * cBatch, ldc, bias + biasOff, hasBias != 0, R + rOff + t * cBatch, hasR != 0, \
              act, P + cOff + t * cBatch, As, STRIDE(TM, PAD_M, !(TRANS_A)), \
              Bs, STRIDE(TN, PAD_N, (TRANS_B))); \
}

GEMM_TILED(gemm_tiled_nn, false, false)
GEMM_TILED(gemm_tiled_nt, false, true)
GEMM_TILED(gemm_tiled_tn, true, false)
GEMM_TILED(gemm_tiled_tt, true, true)

/* One output per work-item: global (N, M, batch). The bias, addend and activation as in the tiled kernels. */
__kernel void gemm_direct(const int M, const int N, const int K, const int transA, const int transB,
                          const __global float* A, const int aOff, const int lda, const int aBatch,
                          const __global float* B, const int bOff, const int ldb, const int bBatch,
                          __global float* C, const int cOff, const int ldc, const int cBatch,
                          const __global float* bias, const int biasOff, const int hasBias,
                          const __global float* R, const int rOff, const int hasR, const int act,
                          __global float* P) {
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
    const int at = cOff + t * cBatch + i * ldc + j;
    float c = hasBias ? acc + bias[biasOff + j] : acc;
    c = hasR ? c + R[rOff + t * cBatch + i * ldc + j] : c;
    if (act >= 0) {
        P[at] = c;
        c = unary_value(act, c);
    }
    C[at] = c;
}

/*
 * Fused scaled dot-product attention with a separate key/value set (MP3's masked attention):
 * q [B, H, N, D], k and v [B, H, M, D] (and gOut like q) as views: any batch, head and row strides,
 * D contiguous, so the heads of a [B, N, H, D] projection are read where they lie, without a copy
 * (VIEW below); optional bias [H, N, M] shared by the batch. out, dq, dk and dv are written through
 * views too (the host lays them out [B, N, H, D], so merging the heads needs no copy); lse dense.
 *
 * Forward (flash-attention style): a work-group takes TILE query rows of one (batch, head) pair,
 * one work-item per query row; keys and values stream through local memory TILE rows at a time
 * and an online softmax keeps a running max and sum, so no N x M matrix is ever stored. The
 * log-sum-exp per query row is kept for the backward pass, which recomputes the probabilities:
 *
 *   p_ij = exp(scale q_i.k_j + bias_ij - lse_i),   delta_i = gOut_i . out_i,
 *   ds_ij = p_ij (gOut_i . v_j - delta_i),
 *   dq_i = scale sum_j ds_ij k_j   (attention_backward_dq: one work-item per query row)
 *   dk_j = scale sum_i ds_ij q_i,  dv_j = sum_i p_ij gOut_i   (attention_backward_dkdv: per key row)
 *   dbias_hij = sum_b ds_bhij      (attention_backward_dbias: per bias entry, summing b in order)
 *
 * Staged variants for MP3's small contexts (M up to a few dozen keys, chosen by the host): a
 * work-group takes any number of query rows of one pair (the host picks it from the kernel's
 * preferred work-group multiple, so wavefronts stay full) and stages all M key and value rows in
 * local memory once (__local arguments sized by the host). attention_forward_staged does the
 * forward's arithmetic in the same order (keys folded TILE at a time); attention_backward_staged
 * computes dq as attention_backward_dq does and also stores p and ds transposed, [pair, M, N], so
 * that attention_backward_dkdv_staged sums dk and dv over the queries with one work-item per
 * (key block, feature) - M x D / KPT items per pair instead of M - and attention_dbias_staged
 * sums ds over the batch. Same products, same order: the staged path gives the tiled path's bits
 * for out, lse, dq, dk and dv (dbias may differ in the last bit: the tiled kernel's recomputed
 * score may be contracted differently).
 *
 * Every output is a sum in a fixed order owned by one work-item: no atomics, deterministic.
 * HEAD_DIM and TILE are defined by the host (TILE fits the device's local memory). Loops over the
 * D features are unrolled so that a work-item's rows (q, accumulators) live in registers: without
 * the unrolling they index private arrays dynamically, which compilers place in slow stack memory
 * (clang's NVPTX back end kept 512-768 bytes per work-item there).
 */

#ifndef HEAD_DIM
#define HEAD_DIM 64
#define TILE 32
#endif
#ifndef KPT
#define KPT 4
#endif
#define D HEAD_DIM
/* Helpers taking a work-item's private rows by pointer must be inlined, or the rows go to the stack. */
#define INLINE inline __attribute__((always_inline))

/* A [B, H, rows, D] view: element offset, batch, head and row strides (D is contiguous). */
#define VIEW(x) const int x##Off, const int x##B, const int x##H, const int x##R
/* Row 0 of (batch, head) pair `pair` of view x: heads = H. */
#define PAIR_BASE(x, pair) (x + x##Off + ((pair) / heads) * x##B + ((pair) % heads) * x##H)

/* Rows j0 .. j0+TILE-1 of a [rows, D] matrix with row stride `stride` into tile, zeros past the
 * end; by the whole group. */
INLINE void load_rows(__local float* tile, const __global float* src, const int stride, const int j0,
                      const int rows) {
    const int end = (rows - j0) * D;
    for (int e = get_local_id(0); e < TILE * D; e += TILE) {
        tile[e] = e < end ? src[(j0 + e / D) * stride + e % D] : 0.0f;
    }
}

INLINE float dot_pl(const float* a, __local const float* b) {
    float s = 0.0f;
    #pragma unroll
    for (int c = 0; c < D; c++) {
        s = fma(a[c], b[c], s);
    }
    return s;
}

INLINE float dot_ll(__local const float* a, __local const float* b) {
    float s = 0.0f;
    #pragma unroll
    for (int c = 0; c < D; c++) {
        s = fma(a[c], b[c], s);
    }
    return s;
}

/*
 * Online softmax step of one query row qi over `count` (<= TILE) keys and values at ks, vs:
 * rescales the running sum and the accumulator to the new running max and adds the keys' terms.
 * bias points at the row's bias for the first of these keys (read only when hasBias).
 */
INLINE void fold_keys(const float* qi, __local const float* ks, __local const float* vs, const int count,
                      const __global float* bias, const int hasBias, const float scale, float* runMax,
                      float* runSum, float* acc) {
    float s[TILE];
    float tileMax = -INFINITY;
    for (int jj = 0; jj < count; jj++) {
        float sc = scale * dot_pl(qi, ks + jj * D);
        if (hasBias) {
            sc += bias[jj];
        }
        s[jj] = sc;
        tileMax = fmax(tileMax, sc);
    }
    const float newMax = fmax(*runMax, tileMax);
    const float correction = exp(*runMax - newMax);
    *runSum *= correction;
    #pragma unroll
    for (int c = 0; c < D; c++) {
        acc[c] *= correction;
    }
    for (int jj = 0; jj < count; jj++) {
        const float p = exp(s[jj] - newMax);
        *runSum += p;
        #pragma unroll
        for (int c = 0; c < D; c++) {
            acc[c] = fma(p, vs[jj * D + c], acc[c]);
        }
    }
    *runMax = newMax;
}

/* Rows 0 .. m-1 of a [rows, D] matrix with row stride `stride` into dst, packed; by the whole group. */
INLINE void stage_rows(__local float* dst, const __global float* src, const int stride, const int m) {
    for (int e = get_local_id(0); e < m * D; e += get_local_size(0)) {
        dst[e] = src[(e / D) * stride + e % D];
    }
}

/* Work-group (TILE), global (ceil(N / TILE) * TILE, BH). */
__kernel __attribute__((reqd_work_group_size(TILE, 1, 1)))
void attention_forward(const __global float* q, VIEW(q), const __global float* k, VIEW(k),
                       const __global float* v, VIEW(v),
                       const __global float* bias, const int hasBias, const int heads, const int n, const int m,
                       const float scale, __global float* out, VIEW(out), __global float* lse) {
    __local float ks[TILE * D];
    __local float vs[TILE * D];
    const int pair = get_group_id(1);
    const int i = get_group_id(0) * TILE + get_local_id(0);
    const bool active = i < n;
    const __global float* qp = PAIR_BASE(q, pair);
    const __global float* kp = PAIR_BASE(k, pair);
    const __global float* vp = PAIR_BASE(v, pair);
    const __global float* biasRow = bias + ((pair % heads) * n + i) * m;
    float qi[D];
    float acc[D];
    #pragma unroll
    for (int c = 0; c < D; c++) {
        qi[c] = active ? qp[i * qR + c] : 0.0f;
        acc[c] = 0.0f;
    }
    float runMax = -INFINITY;
    float runSum = 0.0f;
    for (int j0 = 0; j0 < m; j0 += TILE) {
        load_rows(ks, kp, kR, j0, m);
        load_rows(vs, vp, vR, j0, m);
        barrier(CLK_LOCAL_MEM_FENCE);
        if (active) {
            fold_keys(qi, ks, vs, min(TILE, m - j0), biasRow + j0, hasBias, scale, &runMax, &runSum, acc);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (active) {
        const float inv = runSum > 0.0f ? 1.0f / runSum : 0.0f;
        #pragma unroll
        for (int c = 0; c < D; c++) {
            PAIR_BASE(out, pair)[i * outR + c] = acc[c] * inv;
        }
        lse[pair * n + i] = runMax + log(runSum);
    }
}

/*
 * The forward for a small context: a work-group of any size takes that many query rows of one
 * pair, all m key and value rows staged in ks and vs (m x D floats each, sized by the host).
 * Global (ceil(N / group) * group, BH).
 */
__kernel void attention_forward_staged(const __global float* q, VIEW(q), const __global float* k, VIEW(k),
                                       const __global float* v, VIEW(v),
                                       const __global float* bias, const int hasBias, const int heads, const int n,
                                       const int m, const float scale, __global float* out, VIEW(out),
                                       __global float* lse, __local float* ks, __local float* vs) {
    const int pair = get_group_id(1);
    const int i = get_global_id(0);
    stage_rows(ks, PAIR_BASE(k, pair), kR, m);
    stage_rows(vs, PAIR_BASE(v, pair), vR, m);
    barrier(CLK_LOCAL_MEM_FENCE);
    if (i >= n) {
        return;
    }
    const __global float* qp = PAIR_BASE(q, pair) + i * qR;
    const __global float* biasRow = bias + ((pair % heads) * n + i) * m;
    float qi[D];
    float acc[D];
    #pragma unroll
    for (int c = 0; c < D; c++) {
        qi[c] = qp[c];
        acc[c] = 0.0f;
    }
    float runMax = -INFINITY;
    float runSum = 0.0f;
    for (int j0 = 0; j0 < m; j0 += TILE) {
        fold_keys(qi, ks + j0 * D, vs + j0 * D, min(TILE, m - j0), biasRow + j0, hasBias, scale, &runMax, &runSum,
                  acc);
    }
    const float inv = runSum > 0.0f ? 1.0f / runSum : 0.0f;
    #pragma unroll
    for (int c = 0; c < D; c++) {
        PAIR_BASE(out, pair)[i * outR + c] = acc[c] * inv;
    }
    lse[pair * n + i] = runMax + log(runSum);
}

/* delta_r = gOut_r . out_r over BH * N rows (row r: pair r / n, query r % n). */
__kernel void attention_delta(const __global float* out, VIEW(out), const __global float* gOut, VIEW(gOut), const int heads,
                              const int n, const int rows, __global float* delta) {
    const int r = get_global_id(0);
    if (r < rows) {
        const __global float* g = PAIR_BASE(gOut, r / n) + (r % n) * gOutR;
        const __global float* o = PAIR_BASE(out, r / n) + (r % n) * outR;
        float s = 0.0f;
        #pragma unroll
        for (int c = 0; c < D; c++) {
            s = fma(g[c], o[c], s);
        }
        delta[r] = s;
    }
}

/* dq for TILE query rows of one pair; keys and values stream through local memory. */
__kernel __attribute__((reqd_work_group_size(TILE, 1, 1)))
void attention_backward_dq(const __global float* q, VIEW(q), const __global float* k, VIEW(k),
                           const __global float* v, VIEW(v),
                           const __global float* bias, const int hasBias, const int heads, const int n, const int m,
                           const float scale, const __global float* gOut, VIEW(gOut), const __global float* lse,
                           const __global float* delta, __global float* dq, VIEW(dq)) {
    __local float ks[TILE * D];
    __local float vs[TILE * D];
    const int pair = get_group_id(1);
    const int i = get_group_id(0) * TILE + get_local_id(0);
    const bool active = i < n;
    const int row = pair * n + i;
    const __global float* qp = PAIR_BASE(q, pair) + i * qR;
    const __global float* gp = PAIR_BASE(gOut, pair) + i * gOutR;
    const __global float* kp = PAIR_BASE(k, pair);
    const __global float* vp = PAIR_BASE(v, pair);
    const __global float* biasRow = bias + ((pair % heads) * n + i) * m;
    float qi[D];
    float gi[D];
    float acc[D];
    #pragma unroll
    for (int c = 0; c < D; c++) {
        qi[c] = active ? qp[c] : 0.0f;
        gi[c] = active ? gp[c] : 0.0f;
        acc[c] = 0.0f;
    }
    const float l = active ? lse[row] : 0.0f;
    const float di = active ? delta[row] : 0.0f;
    for (int j0 = 0; j0 < m; j0 += TILE) {
        load_rows(ks, kp, kR, j0, m);
        load_rows(vs, vp, vR, j0, m);
        barrier(CLK_LOCAL_MEM_FENCE);
        if (active) {
            const int count = min(TILE, m - j0);
            for (int jj = 0; jj < count; jj++) {
                float sc = scale * dot_pl(qi, ks + jj * D);
                if (hasBias) {
                    sc += biasRow[j0 + jj];
                }
                const float p = exp(sc - l);
                const float ds = p * (dot_pl(gi, vs + jj * D) - di);
                #pragma unroll
                for (int c = 0; c < D; c++) {
                    acc[c] = fma(ds, ks[jj * D + c], acc[c]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (active) {
        #pragma unroll
        for (int c = 0; c < D; c++) {
            PAIR_BASE(dq, pair)[i * dqR + c] = acc[c] * scale;
        }
    }
}

/* dk and dv for TILE key rows of one pair; queries, output gradients, lse and delta stream through
 * local memory. The group's own key and value rows stay in local memory too, which keeps the
 * per-work-item registers to the two accumulators. */
__kernel __attribute__((reqd_work_group_size(TILE, 1, 1)))
void attention_backward_dkdv(const __global float* q, VIEW(q), const __global float* k, VIEW(k),
                             const __global float* v, VIEW(v),
                             const __global float* bias, const int hasBias, const int heads, const int n,
                             const int m, const float scale, const __global float* gOut, VIEW(gOut),
                             const __global float* lse, const __global float* delta, __global float* dk, VIEW(dk),
                             __global float* dv, VIEW(dv)) {
    __local float kOwn[TILE * D];
    __local float vOwn[TILE * D];
    __local float qs[TILE * D];
    __local float gs[TILE * D];
    __local float ls[TILE];
    __local float dls[TILE];
    const int pair = get_group_id(1);
    const int lid = get_local_id(0);
    const int j0 = get_group_id(0) * TILE;
    const int j = j0 + lid;
    const bool active = j < m;
    load_rows(kOwn, PAIR_BASE(k, pair), kR, j0, m);
    load_rows(vOwn, PAIR_BASE(v, pair), vR, j0, m);
    const __global float* qp = PAIR_BASE(q, pair);
    const __global float* gp = PAIR_BASE(gOut, pair);
    const __global float* biasHead = bias + (pair % heads) * n * m;
    float dkAcc[D];
    float dvAcc[D];
    #pragma unroll
    for (int c = 0; c < D; c++) {
        dkAcc[c] = 0.0f;
        dvAcc[c] = 0.0f;
    }
    for (int i0 = 0; i0 < n; i0 += TILE) {
        load_rows(qs, qp, qR, i0, n);
        load_rows(gs, gp, gOutR, i0, n);
        ls[lid] = i0 + lid < n ? lse[pair * n + i0 + lid] : 0.0f;
        dls[lid] = i0 + lid < n ? delta[pair * n + i0 + lid] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        if (active) {
            const int count = min(TILE, n - i0);
            for (int ii = 0; ii < count; ii++) {
                float sc = scale * dot_ll(qs + ii * D, kOwn + lid * D);
                if (hasBias) {
                    sc += biasHead[(i0 + ii) * m + j];
                }
                const float p = exp(sc - ls[ii]);
                const float ds = p * (dot_ll(gs + ii * D, vOwn + lid * D) - dls[ii]);
                #pragma unroll
                for (int c = 0; c < D; c++) {
                    dvAcc[c] = fma(p, gs[ii * D + c], dvAcc[c]);
                    dkAcc[c] = fma(ds, qs[ii * D + c], dkAcc[c]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (active) {
        #pragma unroll
        for (int c = 0; c < D; c++) {
            PAIR_BASE(dk, pair)[j * dkR + c] = dkAcc[c] * scale;
            PAIR_BASE(dv, pair)[j * dvR + c] = dvAcc[c];
        }
    }
}

/* dbias[h, i, j] = sum over the batch (in order) of ds; one work-item per bias entry. */
__kernel void attention_backward_dbias(const __global float* q, VIEW(q), const __global float* k, VIEW(k),
                                       const __global float* v, VIEW(v),
                                       const __global float* bias, const int batch, const int heads, const int n,
                                       const int m, const float scale, const __global float* gOut, VIEW(gOut),
                                       const __global float* lse, const __global float* delta,
                                       __global float* dbias) {
    const int e = get_global_id(0);
    if (e >= heads * n * m) {
        return;
    }
    const int j = e % m;
    const int i = (e / m) % n;
    const int h = e / (m * n);
    float acc = 0.0f;
    for (int b = 0; b < batch; b++) {
        const int pair = b * heads + h;
        const __global float* qi = PAIR_BASE(q, pair) + i * qR;
        const __global float* gi = PAIR_BASE(gOut, pair) + i * gOutR;
        const __global float* kj = PAIR_BASE(k, pair) + j * kR;
        const __global float* vj = PAIR_BASE(v, pair) + j * vR;
        float qk = 0.0f;
        float gv = 0.0f;
        #pragma unroll
        for (int c = 0; c < D; c++) {
            qk = fma(qi[c], kj[c], qk);
            gv = fma(gi[c], vj[c], gv);
        }
        const float p = exp(scale * qk + bias[e] - lse[pair * n + i]);
        acc += p * (gv - delta[pair * n + i]);
    }
    dbias[e] = acc;
}

/*
 * dq for a small context, as attention_backward_dq computes it, with the group's query rows and
 * all m key and value rows staged in ks and vs; also stores p_ij and ds_ij at pT and dsT
 * [pair, j, i] (consecutive work-items write consecutive addresses) for the two kernels below.
 * Global (ceil(N / group) * group, BH).
 */
__kernel void attention_backward_staged(const __global float* q, VIEW(q), const __global float* k, VIEW(k),
                                        const __global float* v, VIEW(v),
                                        const __global float* bias, const int hasBias, const int heads,
                                        const int n, const int m, const float scale, const __global float* gOut,
                                        VIEW(gOut), const __global float* lse, const __global float* out,
                                        VIEW(out), __global float* dq, VIEW(dq), __global float* pT,
                                        __global float* dsT,
                                        __local float* ks, __local float* vs) {
    const int pair = get_group_id(1);
    const int i = get_global_id(0);
    stage_rows(ks, PAIR_BASE(k, pair), kR, m);
    stage_rows(vs, PAIR_BASE(v, pair), vR, m);
    barrier(CLK_LOCAL_MEM_FENCE);
    if (i >= n) {
        return;
    }
    const int row = pair * n + i;
    const __global float* qp = PAIR_BASE(q, pair) + i * qR;
    const __global float* gp = PAIR_BASE(gOut, pair) + i * gOutR;
    const __global float* biasRow = bias + ((pair % heads) * n + i) * m;
    __global float* pCol = pT + pair * m * n + i;
    __global float* dsCol = dsT + pair * m * n + i;
    float qi[D];
    float gi[D];
    float acc[D];
    #pragma unroll
    for (int c = 0; c < D; c++) {
        qi[c] = qp[c];
        gi[c] = gp[c];
        acc[c] = 0.0f;
    }
    const float l = lse[row];
    /* delta_i = gOut_i . out_i, in attention_delta's order (that kernel's launch is saved here). */
    const __global float* op = PAIR_BASE(out, pair) + i * outR;
    float di = 0.0f;
    #pragma unroll
    for (int c = 0; c < D; c++) {
        di = fma(gi[c], op[c], di);
    }
    for (int j = 0; j < m; j++) {
        float sc = scale * dot_pl(qi, ks + j * D);
        if (hasBias) {
            sc += biasRow[j];
        }
        const float p = exp(sc - l);
        const float ds = p * (dot_pl(gi, vs + j * D) - di);
        pCol[j * n] = p;
        dsCol[j * n] = ds;
        #pragma unroll
        for (int c = 0; c < D; c++) {
            acc[c] = fma(ds, ks[j * D + c], acc[c]);
        }
    }
    #pragma unroll
    for (int c = 0; c < D; c++) {
        PAIR_BASE(dq, pair)[i * dqR + c] = acc[c] * scale;
    }
}

/*
 * dk and dv from the stored pT and dsT: work-item e of pair get_global_id(1) owns feature e % D of
 * keys (e / D) * KPT .. + KPT-1, summing over the queries in order (as attention_backward_dkdv
 * does); q_i and gOut_i are read once for its KPT keys, and neighbouring items read neighbouring
 * features. Global (ceil(M / KPT) * D rounded up to the group, BH).
 */
__kernel void attention_backward_dkdv_staged(const __global float* q, VIEW(q), const __global float* gOut, VIEW(gOut),
                                             const int heads, const int n, const int m, const float scale,
                                             const __global float* pT, const __global float* dsT,
                                             __global float* dk, VIEW(dk), __global float* dv, VIEW(dv)) {
    const int pair = get_global_id(1);
    const int e = get_global_id(0);
    const int c = e % D;
    const int j0 = (e / D) * KPT;
    if (j0 >= m) {
        return;
    }
    const int keys = min(KPT, m - j0);
    const __global float* qc = PAIR_BASE(q, pair) + c;
    const __global float* gc = PAIR_BASE(gOut, pair) + c;
    const __global float* pRows = pT + (pair * m + j0) * n;
    const __global float* dsRows = dsT + (pair * m + j0) * n;
    float dkAcc[KPT];
    float dvAcc[KPT];
    #pragma unroll
    for (int r = 0; r < KPT; r++) {
        dkAcc[r] = 0.0f;
        dvAcc[r] = 0.0f;
    }
    for (int i = 0; i < n; i++) {
        const float qv = qc[i * qR];
        const float gv = gc[i * gOutR];
        #pragma unroll
        for (int r = 0; r < KPT; r++) {
            if (r < keys) {
                dvAcc[r] = fma(pRows[r * n + i], gv, dvAcc[r]);
                dkAcc[r] = fma(dsRows[r * n + i], qv, dkAcc[r]);
            }
        }
    }
    #pragma unroll
    for (int r = 0; r < KPT; r++) {
        if (r < keys) {
            PAIR_BASE(dk, pair)[(j0 + r) * dkR + c] = dkAcc[r] * scale;
            PAIR_BASE(dv, pair)[(j0 + r) * dvR + c] = dvAcc[r];
        }
    }
}

/* dbias[h, i, j] = sum over the batch (in order) of the stored dsT[b * heads + h, j, i]. */
__kernel void attention_dbias_staged(const __global float* dsT, const int batch, const int heads, const int n,
                                     const int m, __global float* dbias) {
    const int e = get_global_id(0);
    if (e >= heads * m * n) {
        return;
    }
    const int i = e % n;
    const int j = (e / n) % m;
    const int h = e / (n * m);
    float acc = 0.0f;
    for (int b = 0; b < batch; b++) {
        acc += dsT[((b * heads + h) * m + j) * n + i];
    }
    dbias[(h * n + i) * m + j] = acc;
}

/*
 * Gathers and scatter-adds of rows: indexSelect / indexAdd along axis 0 and takeAlong /
 * scatterAlong along the last axis. Scatter-adds are deterministic: duplicate indices add in
 * index order, never through float atomics. Out-of-range indices are skipped (gathers write 0)
 * and reported through the error flag (see report_bad_index in common.cl).
 * Op codes for the error flag: 1 indexSelect, 2 indexAdd, 3 takeAlong, 4 scatterAlong.
 */

#define E_INDEX_SELECT 1
#define E_INDEX_ADD 2
#define E_TAKE_ALONG 3
#define E_SCATTER_ALONG 4

/*
 * out[i, c] = x[idx[i], c], x [rows, rowLen]; one work-item per output element. With orZero, index
 * -1 gives a zero row (indexSelectOrZero: the backward of a gather by distinct indices, given their
 * inverse).
 */
__kernel void index_select(const __global float* x, const int rows, const int rowLen, const __global int* idx,
                           const int count, const int orZero, __global float* out, __global int* err) {
    const int gid = get_global_id(0);
    if (gid >= count * rowLen) {
        return;
    }
    const int i = gid / rowLen;
    const int c = gid % rowLen;
    const int r = idx[i];
    if (orZero && r == -1) {
        out[gid] = 0.0f;
        return;
    }
    if (r < 0 || r >= rows) {
        report_bad_index(err, E_INDEX_SELECT, r, rows);
        out[gid] = 0.0f;
        return;
    }
    out[gid] = x[r * rowLen + c];
}

/*
 * indexAdd in four steps, all over integers until the last, so that no float sum depends on
 * scheduling:
 *   1. index_add_count:  counts[r] = how many entries name row r (integer atomics: exact)
 *   2. exclusive_scan:   starts[r] = counts[0] + ... + counts[r-1]
 *   3. index_add_place:  each entry i writes its position into row idx[i]'s slot range
 *                        (slot order within a row is arbitrary at this point)
 *   4. index_add_sort:   each row sorts its slots ascending (heap sort), restoring index order
 *   5. index_add_sum:    out[r, c] = sum over the row's entries, in index order, of g[i, c]
 */
__kernel void index_add_count(const __global int* idx, const int count, const int rows, __global int* counts,
                              __global int* err) {
    const int i = get_global_id(0);
    if (i >= count) {
        return;
    }
    const int r = idx[i];
    if (r < 0 || r >= rows) {
        report_bad_index(err, E_INDEX_ADD, r, rows);
        return;
    }
    atomic_inc(&counts[r]);
}

/* starts[r] = sum_{s < r} counts[s], by one work-group of SCAN_LOCAL (power of two) work-items:
 * each sums a contiguous chunk, the chunk totals are scanned in local memory, then each work-item
 * writes its chunk's prefixes. Integers, so the order does not matter for the result. */
__kernel void exclusive_scan(const __global int* counts, const int n, __global int* starts,
                             __local int* totals) {
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const int chunk = (n + L - 1) / L;
    const int lo = min(n, l * chunk);
    const int hi = min(n, lo + chunk);
    int s = 0;
    for (int r = lo; r < hi; r++) {
        s += counts[r];
    }
    totals[l] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l == 0) {
        int run = 0;
        for (int t = 0; t < L; t++) {
            const int v = totals[t];
            totals[t] = run;
            run += v;
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    int run = totals[l];
    for (int r = lo; r < hi; r++) {
        starts[r] = run;
        run += counts[r];
    }
}

__kernel void index_add_place(const __global int* idx, const int count, const int rows,
                              const __global int* starts, __global int* cursor, __global int* slots) {
    const int i = get_global_id(0);
    if (i >= count) {
        return;
    }
    const int r = idx[i];
    if (r < 0 || r >= rows) {
        return;
    }
    slots[starts[r] + atomic_inc(&cursor[r])] = i;
}

/* Heap sort of one row's slots: in place and O(len log len) even when most entries name one row
 * (an embedding's backward with a frequent token), where an insertion sort would be quadratic. */
inline void sift_down(__global int* a, int root, const int last) {
    while (2 * root + 1 <= last) {
        const int child = 2 * root + 1;
        int top = root;
        if (a[top] < a[child]) {
            top = child;
        }
        if (child + 1 <= last && a[top] < a[child + 1]) {
            top = child + 1;
        }
        if (top == root) {
            return;
        }
        const int t = a[root];
        a[root] = a[top];
        a[top] = t;
        root = top;
    }
}

__kernel void index_add_sort(const __global int* starts, const __global int* counts, const int rows,
                             __global int* slots) {
    const int r = get_global_id(0);
    if (r >= rows) {
        return;
    }
    __global int* s = slots + starts[r];
    const int len = counts[r];
    for (int root = len / 2 - 1; root >= 0; root--) {
        sift_down(s, root, len - 1);
    }
    for (int last = len - 1; last > 0; last--) {
        const int t = s[0];
        s[0] = s[last];
        s[last] = t;
        sift_down(s, 0, last - 1);
    }
}

/* out[r, c] = 0 + g[i1, c] + g[i2, c] + ... for the row's entries i1 < i2 < ..., g [count, rowLen]. */
__kernel void index_add_sum(const __global float* g, const int rowLen, const int rows, const __global int* starts,
                            const __global int* counts, const __global int* slots, __global float* out) {
    const int gid = get_global_id(0);
    if (gid >= rows * rowLen) {
        return;
    }
    const int r = gid / rowLen;
    const int c = gid % rowLen;
    const int s0 = starts[r];
    const int len = counts[r];
    float acc = 0.0f;
    for (int t = 0; t < len; t++) {
        acc += g[slots[s0 + t] * rowLen + c];
    }
    out[gid] = acc;
}

/* out[r, j] = x[r, idx[r, j]], x [rows, n], idx and out [rows, k]. */
__kernel void take_along(const __global float* x, const int n, const __global int* idx, const int k, const int rows,
                         __global float* out, __global int* err) {
    const int gid = get_global_id(0);
    if (gid >= rows * k) {
        return;
    }
    const int r = gid / k;
    const int t = idx[gid];
    if (t < 0 || t >= n) {
        report_bad_index(err, E_TAKE_ALONG, t, n);
        out[gid] = 0.0f;
        return;
    }
    out[gid] = x[r * n + t];
}

/* out[r, idx[r, j]] += g[r, j] for j = 0, 1, ... in order; out [rows, n] arrives zeroed. One
 * work-item per row keeps duplicates in index order. */
__kernel void scatter_along(const __global float* g, const __global int* idx, const int k, const int n,
                            const int rows, __global float* out, __global int* err) {
    const int r = get_global_id(0);
    if (r >= rows) {
        return;
    }
    for (int j = 0; j < k; j++) {
        const int t = idx[r * k + j];
        if (t < 0 || t >= n) {
            report_bad_index(err, E_SCATTER_ALONG, t, n);
            continue;
        }
        out[r * n + t] += g[r * k + j];
    }
}

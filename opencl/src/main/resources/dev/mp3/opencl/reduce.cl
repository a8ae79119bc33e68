/*
 * Reductions of a contiguous array viewed as [outer, n, inner] over the middle axis.
 * A reduction runs in passes: each pass cuts the axis into fixed chunks of CHUNK entries and
 * reduces every chunk serially, giving [outer, parts, inner], until one part is left. The chunk
 * size is a constant, so the summation order depends on the shape alone, never on the device's
 * work-group count, and every pass keeps the whole device busy (no long serial column loops).
 * A sum over the rows of a matrix (outer 1) takes one launch instead, reduce_columns.
 */

#define CHUNK 64
#define R_SUM 0
#define R_MAX 1

/* out[o, p, i] = reduce_{j in chunk p} x[o, j, i], divided by divisor (n for a mean's last pass, else 1). */
__kernel void reduce_chunks(const __global float* x, const int outer, const int n, const int inner,
                            const int parts, const int op, const float divisor, __global float* out) {
    const int gid = get_global_id(0);
    if (gid >= outer * parts * inner) {
        return;
    }
    const int i = gid % inner;
    const int p = (gid / inner) % parts;
    const int o = gid / (inner * parts);
    const int j0 = p * CHUNK;
    const int j1 = min(n, j0 + CHUNK);
    const __global float* base = x + o * n * inner + i;
    float acc;
    if (op == R_MAX) {
        acc = base[j0 * inner];
        for (int j = j0 + 1; j < j1; j++) {
            acc = java_max(acc, base[j * inner]);
        }
    } else {
        acc = 0.0f;
        for (int j = j0; j < j1; j++) {
            acc += base[j * inner];
        }
    }
    out[gid] = acc / divisor;
}

#define LANES 16

/* out[i] = (sum over j of x[j, i]) / divisor for a dense x [n, inner], in one launch: a bias's or a
 * layer norm's gradient summed over the rows of a batch. Work-group (LANES columns, LANES lanes):
 * lane l adds rows l, l + LANES, l + 2 LANES ... in order, then the LANES partial sums are added
 * in a fixed tree, so the order depends on n alone, as in reduce_chunks. Neighbouring work-items
 * read neighbouring columns of a row. */
__kernel __attribute__((reqd_work_group_size(LANES, LANES, 1)))
void reduce_columns(const __global float* x, const int n, const int inner, const float divisor,
                    __global float* out) {
    __local float part[LANES][LANES];
    const int c = get_local_id(0);
    const int l = get_local_id(1);
    const int i = get_group_id(0) * LANES + c;
    float acc = 0.0f;
    if (i < inner) {
        for (int j = l; j < n; j += LANES) {
            acc += x[j * inner + i];
        }
    }
    part[l][c] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = LANES / 2; s > 0; s >>= 1) {
        if (l < s) {
            part[l][c] += part[l + s][c];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0 && i < inner) {
        out[i] = part[0][c] / divisor;
    }
}

/* Index of the first maximum along the middle axis (NaN counts as the maximum, as on the CPU). */
__kernel void argmax(const __global float* x, const int outer, const int n, const int inner, __global int* out) {
    const int gid = get_global_id(0);
    if (gid >= outer * inner) {
        return;
    }
    const int i = gid % inner;
    const int o = gid / inner;
    const __global float* base = x + o * n * inner + i;
    int best = 0;
    float bestValue = base[0];
    for (int j = 1; j < n; j++) {
        const float v = base[j * inner];
        if (v > bestValue || (isnan(v) && !isnan(bestValue))) {
            bestValue = v;
            best = j;
        }
    }
    out[gid] = best;
}

/*
 * Reductions of a contiguous array viewed as [outer, n, inner] over the middle axis.
 * A reduction runs in passes: each pass cuts the axis into fixed chunks of CHUNK entries and
 * reduces every chunk serially, giving [outer, parts, inner], until one part is left. The chunk
 * size is a constant, so the summation order depends on the shape alone, never on the device's
 * work-group count, and every pass keeps the whole device busy (no long serial column loops).
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

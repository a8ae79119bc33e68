/*
 * Shared by every kernel family (the host prepends this file to each family's source):
 * the strided View, Java's max/min semantics, work-group reductions and the device error flag.
 * Portable OpenCL C 1.2: no extensions are assumed here.
 */

/* A strided view of a buffer, the kernels' mirror of dev.mp3.tensor.Tensor: element i in row-major
 * order over shape[0..rank) lives at offset + sum_a coord_a * stride[a]. The host merges axes that
 * all operands of a launch traverse contiguously, so most launches see rank 1. Packed by
 * dev.mp3.opencl.Views (2 + 2 * MAX_RANK ints, no padding). */
#define MAX_RANK 8
typedef struct {
    int rank;
    int offset;
    int shape[MAX_RANK];
    int stride[MAX_RANK];
} View;

inline int view_at(const View* v, int i) {
    int off = v->offset;
    for (int a = v->rank - 1; a >= 0; a--) {
        int d = v->shape[a];
        off += (i % d) * v->stride[a];
        i /= d;
    }
    return off;
}

/* Java's Math.max / Math.min: NaN wins, and +0 > -0. The CPU backend is the reference. */
inline float java_max(float a, float b) {
    if (isnan(a) || isnan(b)) {
        return a + b;
    }
    if (a == b) {
        return (a == 0.0f && signbit(a)) ? b : a;
    }
    return a > b ? a : b;
}

inline float java_min(float a, float b) {
    if (isnan(a) || isnan(b)) {
        return a + b;
    }
    if (a == b) {
        return (a == 0.0f && !signbit(a)) ? b : a;
    }
    return a < b ? a : b;
}

/* Tree reductions over a work-group whose size is a power of two. The tree is fixed by the
 * work-group size alone, so a row always reduces in the same order. */
inline float group_sum(float v, __local float* scratch) {
    const int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = get_local_size(0) / 2; h > 0; h >>= 1) {
        if (l < h) {
            scratch[l] += scratch[l + h];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

inline float group_max(float v, __local float* scratch) {
    const int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = get_local_size(0) / 2; h > 0; h >>= 1) {
        if (l < h) {
            scratch[l] = java_max(scratch[l], scratch[l + h]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

/* Index ops cannot throw on the device: the first bad index is recorded in a small flag buffer
 * ([op, index, bound]) that the host checks at its next read-back and turns into an
 * IllegalArgumentException naming the op. Op codes are listed in dev.mp3.opencl.DeviceErrors. */
inline void report_bad_index(__global int* err, int op, int index, int bound) {
    if (atomic_cmpxchg(err, 0, op) == 0) {
        err[1] = index;
        err[2] = bound;
    }
}

/*
 * Elementwise kernels over strided views (broadcasting is a stride of 0, so nothing is
 * materialised), plus counter-based random numbers and the Adam update. Every kernel takes the
 * element count n first, then a (View, buffer) pair per operand, outputs last, then scalars.
 * The scalar formulas mirror dev.mp3.tensor.cpu.ElementwiseKernels, the reference.
 */

/* The unary op codes and formulas (unary_value, unary_derivative) are in common.cl: the GEMM's
 * epilogue applies activations with the same code. */

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_MAX 4
#define B_MIN 5

inline float binary_value(int op, float a, float b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return java_max(a, b);
        default: return java_min(a, b);
    }
}

// ---------------------------------------------------------------- memory

/* Bit copy, so one kernel serves F32 and I32 (and keeps NaN payloads). */
__kernel void copy_bits(const int n, const View sv, const __global uint* src, const View dv, __global uint* dst) {
    const int i = get_global_id(0);
    if (i < n) {
        dst[view_at(&dv, i)] = src[view_at(&sv, i)];
    }
}

__kernel void fill(const int n, const View dv, __global float* dst, const float value) {
    const int i = get_global_id(0);
    if (i < n) {
        dst[view_at(&dv, i)] = value;
    }
}

/* Zeroes a whole buffer (both dtypes): newly allocated storage is zero-filled. */
__kernel void zero_bits(const int n, __global uint* dst) {
    const int i = get_global_id(0);
    if (i < n) {
        dst[i] = 0u;
    }
}

/* dst += alpha * src with one rounding (fma), as the CPU's axpy. */
__kernel void axpy(const int n, const View sv, const __global float* src, const View dv, __global float* dst,
                   const float alpha) {
    const int i = get_global_id(0);
    if (i < n) {
        const int d = view_at(&dv, i);
        dst[d] = fma(alpha, src[view_at(&sv, i)], dst[d]);
    }
}

__kernel void scale(const int n, const View dv, __global float* dst, const float alpha) {
    const int i = get_global_id(0);
    if (i < n) {
        const int d = view_at(&dv, i);
        dst[d] = dst[d] * alpha;
    }
}

// ---------------------------------------------------------------- elementwise math

__kernel void unary(const int n, const View xv, const __global float* x, const View ov, __global float* out,
                    const int op) {
    const int i = get_global_id(0);
    if (i < n) {
        out[view_at(&ov, i)] = unary_value(op, x[view_at(&xv, i)]);
    }
}

__kernel void unary_backward(const int n, const View xv, const __global float* x, const View gv,
                             const __global float* gy, const View ov, __global float* out, const int op) {
    const int i = get_global_id(0);
    if (i < n) {
        out[view_at(&ov, i)] = gy[view_at(&gv, i)] * unary_derivative(op, x[view_at(&xv, i)]);
    }
}

__kernel void binary(const int n, const View av, const __global float* a, const View bv, const __global float* b,
                     const View ov, __global float* out, const int op) {
    const int i = get_global_id(0);
    if (i < n) {
        out[view_at(&ov, i)] = binary_value(op, a[view_at(&av, i)], b[view_at(&bv, i)]);
    }
}

__kernel void affine(const int n, const View xv, const __global float* x, const View ov, __global float* out,
                     const float scale, const float shift) {
    const int i = get_global_id(0);
    if (i < n) {
        out[view_at(&ov, i)] = fma(x[view_at(&xv, i)], scale, shift);
    }
}

__kernel void clamp_values(const int n, const View xv, const __global float* x, const View ov, __global float* out,
                           const float lo, const float hi) {
    const int i = get_global_id(0);
    if (i < n) {
        out[view_at(&ov, i)] = java_min(hi, java_max(lo, x[view_at(&xv, i)]));
    }
}

__kernel void clamp_backward(const int n, const View xv, const __global float* x, const View gv,
                             const __global float* gy, const View ov, __global float* out,
                             const float lo, const float hi) {
    const int i = get_global_id(0);
    if (i < n) {
        const float v = x[view_at(&xv, i)];
        out[view_at(&ov, i)] = (v > lo && v < hi) ? gy[view_at(&gv, i)] : 0.0f;
    }
}

__kernel void masked_fill(const int n, const View xv, const __global float* x, const View mv,
                          const __global float* mask, const View ov, __global float* out, const float value) {
    const int i = get_global_id(0);
    if (i < n) {
        out[view_at(&ov, i)] = mask[view_at(&mv, i)] != 0.0f ? value : x[view_at(&xv, i)];
    }
}

__kernel void equal_f32(const int n, const View av, const __global float* a, const View bv, const __global float* b,
                        const View ov, __global float* out) {
    const int i = get_global_id(0);
    if (i < n) {
        out[view_at(&ov, i)] = a[view_at(&av, i)] == b[view_at(&bv, i)] ? 1.0f : 0.0f;
    }
}

__kernel void equal_i32(const int n, const View av, const __global int* a, const View bv, const __global int* b,
                        const View ov, __global float* out) {
    const int i = get_global_id(0);
    if (i < n) {
        out[view_at(&ov, i)] = a[view_at(&av, i)] == b[view_at(&bv, i)] ? 1.0f : 0.0f;
    }
}

// ---------------------------------------------------------------- random numbers (dev.mp3.tensor.Rng)

#define GOLDEN 0x9E3779B97F4A7C15UL

/* SplitMix64's finaliser, bit for bit as Rng.mix (Java's >>> is ulong's >>). */
inline ulong mix64(ulong z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

/* Rng.uniformAt: 24 random bits scaled to [0, 1); exact in float, so bit-identical to the CPU. */
inline float uniform_at(ulong key, ulong i) {
    return (float) (mix64(key + (i + 1UL) * GOLDEN) >> 40) * 0x1p-24f;
}

__kernel void random_uniform(const int n, __global float* out, const ulong key) {
    const int i = get_global_id(0);
    if (i < n) {
        out[i] = uniform_at(key, (ulong) i);
    }
}

/* Backend.dropoutMask: keep (1/(1-p)) where uniform draw i reaches p, else 0. */
__kernel void dropout_mask(const int n, __global float* out, const ulong key, const float p, const float keep) {
    const int i = get_global_id(0);
    if (i < n) {
        out[i] = uniform_at(key, (ulong) i) >= p ? keep : 0.0f;
    }
}

/* Rng.normalAt: Box-Muller from uniforms 2i and 2i+1. The CPU computes the transform in double;
 * with cl_khr_fp64 (probed by the host, which then defines HAS_FP64) so do we, else in float. */
#ifdef HAS_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
__kernel void random_normal(const int n, __global float* out, const ulong key) {
    const int i = get_global_id(0);
    if (i < n) {
        double u1 = uniform_at(key, 2UL * i);
        double u2 = uniform_at(key, 2UL * i + 1UL);
        out[i] = (float) (sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2));
    }
}
#else
__kernel void random_normal(const int n, __global float* out, const ulong key) {
    const int i = get_global_id(0);
    if (i < n) {
        float u1 = uniform_at(key, 2UL * i);
        float u2 = uniform_at(key, 2UL * i + 1UL);
        out[i] = sqrt(-2.0f * log(1.0f - u1)) * cos(2.0f * M_PI_F * u2);
    }
}
#endif

// ---------------------------------------------------------------- optimizer

/* One Adam/AdamW step on dense param, grad, m, v; the constants are derived on the host exactly as
 * dev.mp3.tensor.cpu.ElementwiseKernels.adam derives them: decay = 1 - lr*wd (AdamW) or 1,
 * l2 = wd (Adam) or 0. */
__kernel void adam(const int n, __global float* p, const __global float* g, __global float* m, __global float* v,
                   const float beta1, const float beta2, const float eps, const float decay, const float l2,
                   const float stepSize, const float invSqrtBias2) {
    const int i = get_global_id(0);
    if (i < n) {
        const float pi = p[i];
        const float gi = g[i] + pi * l2;
        const float mi = m[i] * beta1 + gi * (1.0f - beta1);
        const float vi = v[i] * beta2 + gi * gi * (1.0f - beta2);
        m[i] = mi;
        v[i] = vi;
        const float denom = sqrt(vi) * invSqrtBias2 + eps;
        p[i] = pi * decay - mi / denom * stepSize;
    }
}

/* ---------------------------------------------------------------- multi-tensor optimizer step
 * One optimizer update over many parameters in a handful of launches (ClBackend.adamStep):
 * sum_squares_multi adds the squares of up to 64 gradients per launch into per-work-group
 * partial sums; adam_prepare (one work-group) reduces them to the total norm, derives the clip
 * scale and whether the update may run (norm and guard finite) into a status buffer
 * [norm, guard, scale, ok]; adam_multi updates up to 16 parameters per launch, reading the scale
 * and the ok flag from that buffer, so no value comes back to the host in between. Each slot k
 * has its own buffers (pointer arguments: OpenCL 1.2 has no pointers in buffers) and element
 * count; a work-item strides over every slot in turn, so no element looks up its slot. Unused
 * slots have count 0. */

#define FOR16(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define FOR64(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31) \
    X(32) X(33) X(34) X(35) X(36) X(37) X(38) X(39) X(40) X(41) X(42) X(43) X(44) X(45) X(46) X(47) \
    X(48) X(49) X(50) X(51) X(52) X(53) X(54) X(55) X(56) X(57) X(58) X(59) X(60) X(61) X(62) X(63)

#define SQ_ARG(k) __global const float* g##k,
#define SQ_SLOT(k) for (int i = gid; i < cnt[k]; i += gsize) { const float x = g##k[i]; acc += x * x; }

__kernel void sum_squares_multi(const int16 c0, const int16 c1, const int16 c2, const int16 c3, FOR64(SQ_ARG)
                                __global float* partials, const int partialOffset, __local float* scratch) {
    int cnt[64];
    vstore16(c0, 0, cnt);
    vstore16(c1, 1, cnt);
    vstore16(c2, 2, cnt);
    vstore16(c3, 3, cnt);
    const int gid = get_global_id(0);
    const int gsize = get_global_size(0);
    float acc = 0.0f;
    FOR64(SQ_SLOT)
    const int lid = get_local_id(0);
    scratch[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = get_local_size(0) / 2; s > 0; s >>= 1) {
        if (lid < s) {
            scratch[lid] += scratch[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        partials[partialOffset + get_group_id(0)] = scratch[0];
    }
}

/* One work-group: status = [norm, guard, scale, ok]. Without clipping (maxNorm 0) the norm is NaN
 * and the scale 1; without a guard (hasGuard 0) the guard is NaN and does not stop the update.
 * scale = maxNorm / (norm + 1e-6) when that is below 1, as PyTorch's clip_grad_norm_. */
__kernel void adam_prepare(const int np, __global const float* partials, const float maxNorm,
                           __global const float* guard, const int hasGuard, __global float* status,
                           __local float* scratch) {
    const int lid = get_local_id(0);
    float acc = 0.0f;
    for (int i = lid; i < np; i += get_local_size(0)) {
        acc += partials[i];
    }
    scratch[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = get_local_size(0) / 2; s > 0; s >>= 1) {
        if (lid < s) {
            scratch[lid] += scratch[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        const int clip = maxNorm > 0.0f;
        const float norm = clip ? sqrt(scratch[0]) : NAN;
        const float g = hasGuard ? guard[0] : NAN;
        const int ok = (!clip || isfinite(norm)) && (!hasGuard || isfinite(g));
        float scale = 1.0f;
        if (clip && ok) {
            const float coef = maxNorm / (norm + 1e-6f);
            scale = coef < 1.0f ? coef : 1.0f;
        }
        status[0] = norm;
        status[1] = g;
        status[2] = scale;
        status[3] = ok ? 1.0f : 0.0f;
    }
}

#define ADAM_ARG(k) __global float* p##k, __global const float* g##k, __global float* m##k, __global float* v##k,
#define ADAM_SLOT(k) { \
        const int on = (decayMask >> k) & 1; \
        const float decay = on ? decayOn : 1.0f; \
        const float l2 = on ? l2On : 0.0f; \
        for (int i = gid; i < cnt[k]; i += gsize) { \
            const float pi = p##k[i]; \
            const float gi = g##k[i] * scale + pi * l2; \
            const float mi = m##k[i] * beta1 + gi * (1.0f - beta1); \
            const float vi = v##k[i] * beta2 + gi * gi * (1.0f - beta2); \
            m##k[i] = mi; \
            v##k[i] = vi; \
            const float denom = sqrt(vi) * invSqrtBias2 + eps; \
            p##k[i] = pi * decay - mi / denom * stepSize; \
        } \
    }

/* Adam/AdamW as the adam kernel above on up to 16 parameters; decayMask bit k says whether slot k
 * takes weight decay (decayOn = 1 - lr*wd and l2On = 0 for AdamW, 1 and wd for Adam). The gradient
 * is multiplied by the status's clip scale; nothing changes when its ok flag is 0. */
__kernel void adam_multi(const int16 counts, FOR16(ADAM_ARG) __global const float* status, const int decayMask,
                         const float beta1, const float beta2, const float eps, const float decayOn, const float l2On,
                         const float stepSize, const float invSqrtBias2) {
    if (status[3] == 0.0f) {
        return;
    }
    const float scale = status[2];
    int cnt[16];
    vstore16(counts, 0, cnt);
    const int gid = get_global_id(0);
    const int gsize = get_global_size(0);
    FOR16(ADAM_SLOT)
}

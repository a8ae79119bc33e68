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

// ---------------------------------------------------------------- unary ops (elementwise.cl, gemm.cl's epilogue)

/* Unary op codes: the host maps dev.mp3.tensor.UnaryOp onto these (ElementwiseKernels.code). */
#define U_NEG 0
#define U_EXP 1
#define U_LOG 2
#define U_SQRT 3
#define U_RSQRT 4
#define U_TANH 5
#define U_RELU 6
#define U_GELU 7
#define U_GELU_TANH 8
#define U_SIGMOID 9
#define U_SQUARE 10
#define U_ABS 11

#define SQRT_HALF 0.70710678118654752f
#define INV_SQRT_2PI 0.39894228040143268f
#define GELU_TANH_C 0.7978845608028654f
#define GELU_TANH_A 0.044715f

/* erf by Abramowitz and Stegun 7.1.26, the same approximation as the CPU backend, so that GELU
 * agrees to float rounding rather than to the approximation's 1.5e-7 absolute error. */
inline float erf_as(float z) {
    float a = fabs(z);
    float t = 1.0f / (1.0f + 0.3275911f * a);
    float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
    float r = 1.0f - poly * exp(-a * a);
    return copysign(r, z);
}

/* tanh as the CPU backend computes it (Cephes' tanhf): x (1 + x^2 P(x^2)) below 0.625, else
 * 1 - 2 / (e^{2|x|} + 1) with x's sign. The device's own tanh may stop one ulp short of +-1 (PoCL's
 * does, even at infinity), an error that the derivative 1 - t^2 of TANH and GELU_TANH magnifies
 * into absolute errors of 1e-5 in the tails. */
inline float tanh_cephes(float x) {
    const float a = fabs(x);
    if (a < 0.625f) {
        const float z = x * x;
        const float p = fma(fma(fma(fma(-5.70498872745e-3f, z, 2.06390887954e-2f), z, -5.37397155531e-2f), z,
                                1.33314422036e-1f), z, -3.33332819422e-1f);
        return x * fma(p, z, 1.0f);
    }
    const float big = 1.0f - 2.0f / (exp(a + a) + 1.0f);
    return x < 0.0f ? -big : big;
}

inline float unary_value(int op, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return 1.0f / sqrt(x);
        case U_TANH: return tanh_cephes(x);
        case U_RELU: return x > 0.0f ? x : 0.0f;
        case U_GELU: return 0.5f * x * (1.0f + erf_as(x * SQRT_HALF));
        case U_GELU_TANH: return 0.5f * x * (1.0f + tanh_cephes(GELU_TANH_C * (x + GELU_TANH_A * x * x * x)));
        case U_SIGMOID: return 1.0f / (1.0f + exp(-x));
        case U_SQUARE: return x * x;
        default: return fabs(x);
    }
}

/* d op(x) / dx. */
inline float unary_derivative(int op, float x) {
    switch (op) {
        case U_NEG: return -1.0f;
        case U_EXP: return exp(x);
        case U_LOG: return 1.0f / x;
        case U_SQRT: return 0.5f / sqrt(x);
        case U_RSQRT: return -0.5f / (x * sqrt(x));
        case U_TANH: {
            float t = tanh_cephes(x);
            return 1.0f - t * t;
        }
        case U_RELU: return x > 0.0f ? 1.0f : 0.0f;
        case U_GELU:
            return 0.5f * (1.0f + erf_as(x * SQRT_HALF)) + x * INV_SQRT_2PI * exp(-0.5f * x * x);
        case U_GELU_TANH: {
            float u = GELU_TANH_C * (x + GELU_TANH_A * x * x * x);
            float t = tanh_cephes(u);
            return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * GELU_TANH_C * (1.0f + 3.0f * GELU_TANH_A * x * x);
        }
        case U_SIGMOID: {
            float s = 1.0f / (1.0f + exp(-x));
            return s * (1.0f - s);
        }
        case U_SQUARE: return 2.0f * x;
        default: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f);
    }
}

/*
 * Row kernels over contiguous [rows, C] arrays: softmax and log-softmax, layer norm and cross
 * entropy, each forward next to its backward. One work-group per row; its size L (a power of two
 * chosen by the host from C alone) fixes the reduction tree, so a row always sums in the same
 * order. Work-item l handles columns l, l + L, l + 2L, ...
 * Formulas mirror dev.mp3.tensor.cpu.RowsKernels.
 */

// ---------------------------------------------------------------- softmax

__kernel void softmax_forward(const __global float* x, __global float* y, const int c, const int logOut,
                              __local float* scratch) {
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const __global float* xr = x + row * c;
    __global float* yr = y + row * c;
    float m = -INFINITY;
    for (int j = l; j < c; j += L) {
        m = java_max(m, xr[j]);
    }
    const float max = group_max(m, scratch);
    float s = 0.0f;
    for (int j = l; j < c; j += L) {
        s += exp(xr[j] - max);
    }
    const float sum = group_sum(s, scratch);
    if (logOut) {
        /* (x - max) - log(sum): max + log(sum) would round to the float spacing of max (1e-3 at 1e4). */
        const float logSum = log(sum);
        for (int j = l; j < c; j += L) {
            yr[j] = (xr[j] - max) - logSum;
        }
    } else {
        const float inv = 1.0f / sum;
        for (int j = l; j < c; j += L) {
            yr[j] = exp(xr[j] - max) * inv;
        }
    }
}

/* softmax: dx = y * (gy - sum(gy * y)); log-softmax: dx = gy - exp(y) * sum(gy). */
__kernel void softmax_backward(const __global float* y, const __global float* gy, __global float* dx, const int c,
                               const int logOut, __local float* scratch) {
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const __global float* yr = y + row * c;
    const __global float* gr = gy + row * c;
    __global float* dr = dx + row * c;
    float s = 0.0f;
    for (int j = l; j < c; j += L) {
        s += logOut ? gr[j] : gr[j] * yr[j];
    }
    const float total = group_sum(s, scratch);
    for (int j = l; j < c; j += L) {
        dr[j] = logOut ? gr[j] - exp(yr[j]) * total : (gr[j] - total) * yr[j];
    }
}

// ---------------------------------------------------------------- layer norm

/* The mean of a row's deviations d = x - x[0] from its first element: with a large common offset
 * (x ~ 1e4 + noise) the deviations are exact, while a float sum of x itself would lose the mean to
 * rounding (about c ulps of 1e4) and shift every output. As dev.mp3.tensor.cpu.Rows.layerNorm. */
inline float row_shifted_mean(const __global float* xr, const float k, const int c, __local float* scratch) {
    float s = 0.0f;
    for (int j = get_local_id(0); j < c; j += get_local_size(0)) {
        s += xr[j] - k;
    }
    return group_sum(s, scratch) / c;
}

/* y = ((x - k) - md) * rstd * gamma + beta with k = x[0], md = mean(x - k); variance by the
 * two-pass formula over the same deviations. */
__kernel void layer_norm_forward(const __global float* x, const __global float* gamma, const __global float* beta,
                                 const float eps, const int c, __global float* y, __global float* mean,
                                 __global float* rstd, __local float* scratch) {
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const __global float* xr = x + row * c;
    __global float* yr = y + row * c;
    const float k = xr[0];
    const float md = row_shifted_mean(xr, k, c, scratch);
    float q = 0.0f;
    for (int j = l; j < c; j += L) {
        const float d = (xr[j] - k) - md;
        q += d * d;
    }
    const float var = group_sum(q, scratch);
    const float rs = 1.0f / sqrt(var / c + eps);
    if (l == 0) {
        mean[row] = k + md;
        rstd[row] = rs;
    }
    for (int j = l; j < c; j += L) {
        yr[j] = ((xr[j] - k) - md) * rs * gamma[j] + beta[j];
    }
}

/* dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = gy * gamma; xhat is recomputed as the
 * forward computed it (deviations from x[0]), not from the stored mean, which for rows with a large
 * offset is only as exact as the float spacing at that offset. Each row's md = mean(x - x[0]) goes
 * to rowMd for layer_norm_backward_params. */
__kernel void layer_norm_backward_dx(const __global float* gy, const __global float* x, const __global float* gamma,
                                     __global float* rowMd, const __global float* rstd, const int c,
                                     const __global float* R, const int rOff, const int hasR,
                                     __global float* dx, __local float* scratch) {
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const __global float* gr = gy + row * c;
    const __global float* xr = x + row * c;
    __global float* dr = dx + row * c;
    const float k = xr[0];
    const float md = row_shifted_mean(xr, k, c, scratch);
    if (l == 0) {
        rowMd[row] = md;
    }
    const float rs = rstd[row];
    float sg = 0.0f;
    float sgx = 0.0f;
    for (int j = l; j < c; j += L) {
        const float g = gr[j] * gamma[j];
        sg += g;
        sgx += g * (((xr[j] - k) - md) * rs);
    }
    const float mg = group_sum(sg, scratch) / c;
    const float mgx = group_sum(sgx, scratch) / c;
    for (int j = l; j < c; j += L) {
        /* The addend (a gradient the input already holds) after dx is complete: the bits of a separate add.
         * A GPU compiler would otherwise fuse rs * (...) + R into one fma, rounding once (seen on an H200). */
#pragma OPENCL FP_CONTRACT OFF
        const float xhat = ((xr[j] - k) - md) * rs;
        const float d = rs * (gr[j] * gamma[j] - mg - xhat * mgx);
        dr[j] = hasR ? d + R[rOff + row * c + j] : d;
    }
}

/* Per block of `block` rows, the column sums dgamma = sum gy * xhat and dbeta = sum gy, written as
 * partials [blocks, c]; the host then sums the blocks with reduce_chunks. One work-item per
 * (block, column), reading coalesced along the columns; xhat as layer_norm_backward_dx has it. */
__kernel void layer_norm_backward_params(const __global float* gy, const __global float* x,
                                         const __global float* rowMd, const __global float* rstd, const int rows,
                                         const int c, const int block, __global float* pgamma,
                                         __global float* pbeta) {
    const int gid = get_global_id(0);
    const int blocks = (rows + block - 1) / block;
    if (gid >= blocks * c) {
        return;
    }
    const int j = gid % c;
    const int b = gid / c;
    float sg = 0.0f;
    float sb = 0.0f;
    for (int r = b * block; r < min(rows, (b + 1) * block); r++) {
        const float g = gy[r * c + j];
        sg += g * (((x[r * c + j] - x[r * c]) - rowMd[r]) * rstd[r]);
        sb += g;
    }
    pgamma[gid] = sg;
    pbeta[gid] = sb;
}

// ---------------------------------------------------------------- cross entropy

/* log sum_j exp(x_j - max) of one row, by the whole work-group; the row's max goes to *max. Kept
 * apart from max: the losses below use (x - max) - this, which stays exact for large logits where
 * max + this would round to the float spacing of max. */
inline float row_log_sum_exp_shifted(const __global float* xr, const int c, float* max, __local float* scratch) {
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    float m = -INFINITY;
    for (int j = l; j < c; j += L) {
        m = java_max(m, xr[j]);
    }
    *max = group_max(m, scratch);
    float s = 0.0f;
    for (int j = l; j < c; j += L) {
        s += exp(xr[j] - *max);
    }
    return log(group_sum(s, scratch));
}

/* loss = logSum - (1-s)(x[t] - max) - (s/C) sum_j (x[j] - max), with logSum = log sum_j exp(x[j] - max);
 * rows with a target outside [0, C) give 0. The branch
 * on the target is uniform over the work-group, so no work-item skips a barrier. */
__kernel void cross_entropy_forward(const __global float* logits, const __global int* targets, const int c,
                                    const float smoothing, __global float* loss, __local float* scratch) {
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const int t = targets[row];
    if (t < 0 || t >= c) {
        if (l == 0) {
            loss[row] = 0.0f;
        }
        return;
    }
    const __global float* xr = logits + row * c;
    float max;
    const float logSum = row_log_sum_exp_shifted(xr, c, &max, scratch);
    float v = logSum - (1.0f - smoothing) * (xr[t] - max);
    if (smoothing != 0.0f) {
        float s = 0.0f;
        for (int j = l; j < c; j += L) {
            s += xr[j] - max;
        }
        v -= smoothing / c * group_sum(s, scratch);
    }
    if (l == 0) {
        loss[row] = v;
    }
}

/* dlogits[r, j] = gLoss[r] * (p_j - s/C - (1-s) [j == t]); zero for ignored rows. */
__kernel void cross_entropy_backward(const __global float* logits, const __global int* targets, const int c,
                                     const float smoothing, const __global float* gLoss, __global float* dx,
                                     __local float* scratch) {
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const int t = targets[row];
    __global float* dr = dx + row * c;
    if (t < 0 || t >= c) {
        for (int j = l; j < c; j += L) {
            dr[j] = 0.0f;
        }
        return;
    }
    const __global float* xr = logits + row * c;
    float max;
    const float logSum = row_log_sum_exp_shifted(xr, c, &max, scratch);
    const float g = gLoss[row];
    const float shift = smoothing / c;
    for (int j = l; j < c; j += L) {
        float d = g * (exp((xr[j] - max) - logSum) - shift);
        if (j == t) {
            d -= g * (1.0f - smoothing);
        }
        dr[j] = d;
    }
}

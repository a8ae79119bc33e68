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
        const float shift = max + log(sum);
        for (int j = l; j < c; j += L) {
            yr[j] = xr[j] - shift;
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

/* y = (x - mean) * rstd * gamma + beta, variance by the two-pass formula. */
__kernel void layer_norm_forward(const __global float* x, const __global float* gamma, const __global float* beta,
                                 const float eps, const int c, __global float* y, __global float* mean,
                                 __global float* rstd, __local float* scratch) {
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const __global float* xr = x + row * c;
    __global float* yr = y + row * c;
    float s = 0.0f;
    for (int j = l; j < c; j += L) {
        s += xr[j];
    }
    const float mu = group_sum(s, scratch) / c;
    float q = 0.0f;
    for (int j = l; j < c; j += L) {
        const float d = xr[j] - mu;
        q += d * d;
    }
    const float var = group_sum(q, scratch);
    const float rs = 1.0f / sqrt(var / c + eps);
    if (l == 0) {
        mean[row] = mu;
        rstd[row] = rs;
    }
    for (int j = l; j < c; j += L) {
        yr[j] = (xr[j] - mu) * rs * gamma[j] + beta[j];
    }
}

/* dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = gy * gamma. */
__kernel void layer_norm_backward_dx(const __global float* gy, const __global float* x, const __global float* gamma,
                                     const __global float* mean, const __global float* rstd, const int c,
                                     __global float* dx, __local float* scratch) {
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const __global float* gr = gy + row * c;
    const __global float* xr = x + row * c;
    __global float* dr = dx + row * c;
    const float mu = mean[row];
    const float rs = rstd[row];
    float sg = 0.0f;
    float sgx = 0.0f;
    for (int j = l; j < c; j += L) {
        const float g = gr[j] * gamma[j];
        sg += g;
        sgx += g * ((xr[j] - mu) * rs);
    }
    const float mg = group_sum(sg, scratch) / c;
    const float mgx = group_sum(sgx, scratch) / c;
    for (int j = l; j < c; j += L) {
        const float xhat = (xr[j] - mu) * rs;
        dr[j] = rs * (gr[j] * gamma[j] - mg - xhat * mgx);
    }
}

/* Per block of `block` rows, the column sums dgamma = sum gy * xhat and dbeta = sum gy, written as
 * partials [blocks, c]; the host then sums the blocks with reduce_chunks. One work-item per
 * (block, column), reading coalesced along the columns. */
__kernel void layer_norm_backward_params(const __global float* gy, const __global float* x,
                                         const __global float* mean, const __global float* rstd, const int rows,
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
        sg += g * ((x[r * c + j] - mean[r]) * rstd[r]);
        sb += g;
    }
    pgamma[gid] = sg;
    pbeta[gid] = sb;
}

// ---------------------------------------------------------------- cross entropy

/* log sum_j exp(x_j) of one row, by the whole work-group. */
inline float row_log_sum_exp(const __global float* xr, const int c, __local float* scratch) {
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    float m = -INFINITY;
    for (int j = l; j < c; j += L) {
        m = java_max(m, xr[j]);
    }
    const float max = group_max(m, scratch);
    float s = 0.0f;
    for (int j = l; j < c; j += L) {
        s += exp(xr[j] - max);
    }
    return max + log(group_sum(s, scratch));
}

/* loss = lse - (1-s) x[t] - (s/C) sum_j x[j]; rows with a target outside [0, C) give 0. The branch
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
    const float lse = row_log_sum_exp(xr, c, scratch);
    float v = lse - (1.0f - smoothing) * xr[t];
    if (smoothing != 0.0f) {
        float s = 0.0f;
        for (int j = l; j < c; j += L) {
            s += xr[j];
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
    const float lse = row_log_sum_exp(xr, c, scratch);
    const float g = gLoss[row];
    const float shift = smoothing / c;
    for (int j = l; j < c; j += L) {
        float d = g * (exp(xr[j] - lse) - shift);
        if (j == t) {
            d -= g * (1.0f - smoothing);
        }
        dr[j] = d;
    }
}

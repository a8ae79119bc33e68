/*
 * The kernels of 1-D convolutional networks over contiguous arrays: im2col (unfold_1d) and its
 * backward col2im (fold_1d), with which a convolution becomes the GEMM of gemm.cl, and batch norm
 * over [B, C, L] per channel, forward next to backward.
 * Formulas mirror dev.mp3.tensor.cpu.ConvKernels.
 */

// ---------------------------------------------------------------- unfold (im2col) and fold (col2im)

/* cols[c * ksize + k, b, t] = x[b, c, t * stride - padding + k * dilation], 0 in the padding; one
 * work-item per column element. ksize is the kernel size ("kernel" is a keyword of OpenCL C). */
__kernel void unfold_1d(const __global float* x, const int batch, const int channels, const int length,
                        const int ksize, const int stride, const int padding, const int dilation,
                        const int outLength, __global float* cols) {
    const int gid = get_global_id(0);
    if (gid >= channels * ksize * batch * outLength) {
        return;
    }
    const int t = gid % outLength;
    const int run = gid / outLength;
    const int b = run % batch;
    const int r = run / batch;
    const int k = r % ksize;
    const int i = t * stride - padding + k * dilation;
    cols[gid] = i >= 0 && i < length ? x[(b * channels + r / ksize) * length + i] : 0.0f;
}

/* x[b, c, i] = sum over (k, t) with t * stride - padding + k * dilation = i of cols[c * ksize + k, b, t],
 * added in increasing k; one work-item per input element, so no two write the same place. */
__kernel void fold_1d(const __global float* cols, const int batch, const int channels, const int length,
                      const int ksize, const int stride, const int padding, const int dilation,
                      const int outLength, __global float* x) {
    const int gid = get_global_id(0);
    if (gid >= batch * channels * length) {
        return;
    }
    const int i = gid % length;
    const int bc = gid / length;
    const int b = bc / channels;
    const int c = bc % channels;
    float s = 0.0f;
    for (int k = 0; k < ksize; k++) {
        const int at = i + padding - k * dilation;
        if (at >= 0 && at % stride == 0 && at / stride < outLength) {
            s += cols[((c * ksize + k) * batch + b) * outLength + at / stride];
        }
    }
    x[gid] = s;
}

// ---------------------------------------------------------------- batch norm

/* One work-group per channel c; work-item l takes the channel's elements l, l + L, ... of its
 * B * length, element e living at ((e / length) * channels + c) * length + e % length. */
inline int channel_at(const int e, const int c, const int channels, const int length) {
    return ((e / length) * channels + c) * length + e % length;
}

/* The mean of channel c's deviations from its first element x[0, c, 0]: exact for data with a
 * large common offset (see layer norm in rows.cl). */
inline float channel_shifted_mean(const __global float* x, const float k, const int c, const int channels,
                                  const int length, const int n, __local float* scratch) {
    float s = 0.0f;
    for (int e = get_local_id(0); e < n; e += get_local_size(0)) {
        s += x[channel_at(e, c, channels, length)] - k;
    }
    return group_sum(s, scratch) / n;
}

/* y = ((x - k) - md) * rstd * gamma + beta with k = x[0, c, 0], md = mean(x - k); the biased
 * variance by the two-pass formula over the same deviations. */
__kernel void batch_norm_forward(const __global float* x, const __global float* gamma, const __global float* beta,
                                 const float eps, const int batch, const int channels, const int length,
                                 __global float* y, __global float* mean, __global float* rstd,
                                 __local float* scratch) {
    const int c = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const int n = batch * length;
    const float k = x[c * length];
    const float md = channel_shifted_mean(x, k, c, channels, length, n, scratch);
    float q = 0.0f;
    for (int e = l; e < n; e += L) {
        const float d = (x[channel_at(e, c, channels, length)] - k) - md;
        q += d * d;
    }
    const float var = group_sum(q, scratch);
    const float rs = 1.0f / sqrt(var / n + eps);
    if (l == 0) {
        mean[c] = k + md;
        rstd[c] = rs;
    }
    const float g = gamma[c];
    const float b = beta[c];
    for (int e = l; e < n; e += L) {
        const int at = channel_at(e, c, channels, length);
        y[at] = ((x[at] - k) - md) * rs * g + b;
    }
}

/* dx = gamma * rstd * (gy - mean(gy) - xhat * mean(gy * xhat)), dgamma = sum gy * xhat,
 * dbeta = sum gy; xhat recomputed as the forward computed it. */
__kernel void batch_norm_backward(const __global float* gy, const __global float* x, const __global float* gamma,
                                  const __global float* rstd, const int batch, const int channels, const int length,
                                  __global float* dx, __global float* dgamma, __global float* dbeta,
                                  __local float* scratch) {
    const int c = get_group_id(0);
    const int l = get_local_id(0);
    const int L = get_local_size(0);
    const int n = batch * length;
    const float k = x[c * length];
    const float md = channel_shifted_mean(x, k, c, channels, length, n, scratch);
    const float rs = rstd[c];
    float sg = 0.0f;
    float sgx = 0.0f;
    for (int e = l; e < n; e += L) {
        const int at = channel_at(e, c, channels, length);
        sg += gy[at];
        sgx += gy[at] * (((x[at] - k) - md) * rs);
    }
    const float sumG = group_sum(sg, scratch);
    const float sumGX = group_sum(sgx, scratch);
    if (l == 0) {
        dgamma[c] = sumGX;
        dbeta[c] = sumG;
    }
    const float mg = sumG / n;
    const float mgx = sumGX / n;
    const float scale = gamma[c] * rs;
    for (int e = l; e < n; e += L) {
        const int at = channel_at(e, c, channels, length);
        const float xhat = ((x[at] - k) - md) * rs;
        dx[at] = ((gy[at] - mg) - xhat * mgx) * scale;
    }
}

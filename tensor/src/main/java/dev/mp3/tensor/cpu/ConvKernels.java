package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * The kernels of 1-D convolutional networks over contiguous arrays: im2col ({@link #unfold1d}) and
 * its backward col2im ({@link #fold1d}), with which a convolution becomes the GEMM of
 * {@link GemmKernels}, and batch norm over [B, C, L] per channel, forward next to backward.
 * Rows of unfold/fold and channels of batch norm are independent and go to threads whole; every
 * sum runs in a fixed order, so results do not depend on the thread count.
 */
final class ConvKernels {
    private ConvKernels() {}

    private static int grain(int len) {
        return Math.max(1, 8192 / Math.max(1, len));
    }

    /** The first output position t whose input index t * stride - padding + k * dilation is >= 0. */
    private static int firstValid(int k, int stride, int padding, int dilation) {
        return Math.max(0, Math.ceilDiv(padding - k * dilation, stride));
    }

    /** One past the last output position whose input index is < length, capped at outLength. */
    private static int endValid(int k, int length, int outLength, int stride, int padding, int dilation) {
        return Math.min(outLength, Math.floorDiv(length - 1 + padding - k * dilation, stride) + 1);
    }

    // ---------------------------------------------------------------- unfold (im2col) and fold (col2im)

    /**
     * cols[c * kernel + k, b, t] = x[b, c, t * stride - padding + k * dilation] for x [B, C, length];
     * cols arrives zeroed, so the padding is left as it is. Each (row, b) pair is one run of outLength.
     */
    static void unfold1d(float[] x, int batch, int channels, int length, int kernel, int stride, int padding,
                         int dilation, int outLength, float[] cols) {
        Parallel.forRange(channels * kernel * batch, grain(outLength), (lo, hi) -> {
            for (int run = lo; run < hi; run++) {
                int r = run / batch;
                int b = run % batch;
                int k = r % kernel;
                int src = (b * channels + r / kernel) * length - padding + k * dilation;
                int dst = run * outLength;
                int t0 = firstValid(k, stride, padding, dilation);
                int t1 = endValid(k, length, outLength, stride, padding, dilation);
                if (stride == 1 && t1 > t0) {
                    System.arraycopy(x, src + t0, cols, dst + t0, t1 - t0);
                } else {
                    for (int t = t0; t < t1; t++) {
                        cols[dst + t] = x[src + t * stride];
                    }
                }
            }
        });
    }

    /**
     * x[b, c, i] = sum over (k, t) with t * stride - padding + k * dilation = i of cols[c * kernel + k,
     * b, t], into x [B, C, length] zeroed; the terms of each element are added in increasing k.
     */
    static void fold1d(float[] cols, int batch, int channels, int length, int kernel, int stride, int padding,
                       int dilation, int outLength, float[] x) {
        Parallel.forRange(batch * channels, grain(kernel * outLength), (lo, hi) -> {
            for (int bc = lo; bc < hi; bc++) {
                int b = bc / channels;
                int c = bc % channels;
                for (int k = 0; k < kernel; k++) {
                    int dst = bc * length - padding + k * dilation;
                    int src = ((c * kernel + k) * batch + b) * outLength;
                    int t0 = firstValid(k, stride, padding, dilation);
                    int t1 = endValid(k, length, outLength, stride, padding, dilation);
                    if (stride == 1 && t1 > t0) {
                        ElementwiseKernels.axpy(x, dst + t0, 1f, cols, src + t0, t1 - t0);
                    } else {
                        for (int t = t0; t < t1; t++) {
                            x[dst + t * stride] += cols[src + t];
                        }
                    }
                }
            }
        });
    }

    // ---------------------------------------------------------------- batch norm

    /**
     * The mean of channel c's deviations from its first element x[0, c, 0] (see the note on
     * {@link RowsKernels#layerNorm}: exact for data with a large common offset), over its B runs.
     */
    private static float shiftedMean(float[] x, int b, int channels, int length, int c, float shift) {
        float s = 0f;
        for (int i = 0; i < b; i++) {
            s += ReduceKernels.sumShiftedRun(x, (i * channels + c) * length, length, shift);
        }
        return s / ((float) b * length);
    }

    /** y = ((x - k) - md) * rstd * gamma + beta per channel, k = x[0, c, 0], md the mean of x - k. */
    static void batchNorm(float[] x, float[] gamma, float[] beta, float eps, float[] y, float[] mean, float[] rstd,
                          int b, int channels, int length) {
        float n = (float) b * length;
        Parallel.forRange(channels, grain(b * length), (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                float k = x[c * length];
                float md = shiftedMean(x, b, channels, length, c, k);
                FloatVector vk = FloatVector.broadcast(S, k);
                FloatVector vmd = FloatVector.broadcast(S, md);
                float var = 0f;
                for (int i = 0; i < b; i++) {
                    int off = (i * channels + c) * length;
                    FloatVector acc = FloatVector.zero(S);
                    int j = 0;
                    for (int bound = S.loopBound(length); j < bound; j += L) {
                        FloatVector d = FloatVector.fromArray(S, x, off + j).sub(vk).sub(vmd);
                        acc = d.fma(d, acc);
                    }
                    float run = VectorMath.sumLanes(acc);
                    for (; j < length; j++) {
                        float d = (x[off + j] - k) - md;
                        run += d * d;
                    }
                    var += run;
                }
                float rs = (float) (1.0 / Math.sqrt(var / n + eps));
                mean[c] = k + md;
                rstd[c] = rs;
                float g = gamma[c];
                float bt = beta[c];
                for (int i = 0; i < b; i++) {
                    int off = (i * channels + c) * length;
                    int j = 0;
                    for (int bound = S.loopBound(length); j < bound; j += L) {
                        FloatVector xhat = FloatVector.fromArray(S, x, off + j).sub(vk).sub(vmd).mul(rs);
                        xhat.fma(g, bt).intoArray(y, off + j);
                    }
                    for (; j < length; j++) {
                        y[off + j] = Math.fma(((x[off + j] - k) - md) * rs, g, bt);
                    }
                }
            }
        });
    }

    /**
     * dx = gamma * rstd * (gy - mean(gy) - xhat * mean(gy * xhat)), dgamma = sum gy * xhat,
     * dbeta = sum gy, per channel. xhat is recomputed exactly as the forward computed it (deviations
     * from the channel's first element), not from the stored float mean.
     */
    static void batchNormBackward(float[] gy, float[] x, float[] gamma, float[] rstd, float[] dx, float[] dgamma,
                                  float[] dbeta, int b, int channels, int length) {
        float n = (float) b * length;
        Parallel.forRange(channels, grain(b * length), (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                float k = x[c * length];
                float md = shiftedMean(x, b, channels, length, c, k);
                float rs = rstd[c];
                FloatVector vk = FloatVector.broadcast(S, k);
                FloatVector vmd = FloatVector.broadcast(S, md);
                float sumG = 0f;
                float sumGX = 0f;
                for (int i = 0; i < b; i++) {
                    int off = (i * channels + c) * length;
                    FloatVector accG = FloatVector.zero(S);
                    FloatVector accGX = FloatVector.zero(S);
                    int j = 0;
                    for (int bound = S.loopBound(length); j < bound; j += L) {
                        FloatVector xh = FloatVector.fromArray(S, x, off + j).sub(vk).sub(vmd).mul(rs);
                        FloatVector vg = FloatVector.fromArray(S, gy, off + j);
                        accG = accG.add(vg);
                        accGX = vg.fma(xh, accGX);
                    }
                    float runG = VectorMath.sumLanes(accG);
                    float runGX = VectorMath.sumLanes(accGX);
                    for (; j < length; j++) {
                        float xh = ((x[off + j] - k) - md) * rs;
                        runG += gy[off + j];
                        runGX = Math.fma(gy[off + j], xh, runGX);
                    }
                    sumG += runG;
                    sumGX += runGX;
                }
                dgamma[c] = sumGX;
                dbeta[c] = sumG;
                float mg = sumG / n;
                float mgx = sumGX / n;
                float scale = gamma[c] * rs;
                for (int i = 0; i < b; i++) {
                    int off = (i * channels + c) * length;
                    int j = 0;
                    for (int bound = S.loopBound(length); j < bound; j += L) {
                        FloatVector xh = FloatVector.fromArray(S, x, off + j).sub(vk).sub(vmd).mul(rs);
                        FloatVector.fromArray(S, gy, off + j).sub(mg).sub(xh.mul(mgx)).mul(scale).intoArray(dx, off + j);
                    }
                    for (; j < length; j++) {
                        float xh = ((x[off + j] - k) - md) * rs;
                        dx[off + j] = ((gy[off + j] - mg) - xh * mgx) * scale;
                    }
                }
            }
        });
    }
}

package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * Row kernels over contiguous [rows, C] arrays: softmax, log-softmax, layer norm and cross
 * entropy, each forward next to its backward. Rows are independent and go to threads whole;
 * the per-column sums of layer norm's backward use fixed blocks of rows so that the result does
 * not depend on the thread count.
 */
final class RowsKernels {
    /** Rows per block in column reductions; fixed so the summation order is fixed. */
    private static final int BLOCK = 64;

    private RowsKernels() {}

    private static int grain(int c) {
        return Math.max(1, 8192 / Math.max(1, c));
    }

    // ---------------------------------------------------------------- softmax

    static void softmax(float[] x, float[] y, int rows, int c, boolean log) {
        Parallel.forRange(rows, grain(c), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int off = r * c;
                float max = ReduceKernels.maxRun(x, off, c);
                // exp(x - max) goes to y; log-softmax then overwrites it.
                float sum = VectorMath.expShifted(x, off, max, y, off, c);
                if (log) {
                    logSoftmaxRow(x, off, c, max, (float) Math.log(sum), y);
                } else {
                    ElementwiseKernels.affineRun(y, off, 1, 1f / sum, 0f, y, off, c);
                }
            }
        });
    }

    /**
     * y = (x - max) - log(sum): subtracting max first keeps the result exact for large logits,
     * where max + log(sum) would round to the coarse float spacing of max (1e-3 at 1e4).
     */
    private static void logSoftmaxRow(float[] x, int off, int c, float max, float logSum, float[] y) {
        FloatVector vmax = FloatVector.broadcast(S, max);
        int i = 0;
        for (int bound = S.loopBound(c); i < bound; i += L) {
            FloatVector.fromArray(S, x, off + i).sub(vmax).sub(logSum).intoArray(y, off + i);
        }
        for (; i < c; i++) {
            y[off + i] = (x[off + i] - max) - logSum;
        }
    }

    /** softmax: dx = y * (gy - sum(gy*y)); log-softmax: dx = gy - exp(y) * sum(gy). */
    static void softmaxBackward(float[] y, float[] gy, float[] dx, int rows, int c, boolean log) {
        Parallel.forRange(rows, grain(c), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int off = r * c;
                if (log) {
                    float s = ReduceKernels.sumRun(gy, off, c);
                    VectorMath.expShifted(y, off, 0f, dx, off, c);
                    int i = 0;
                    for (int bound = S.loopBound(c); i < bound; i += L) {
                        FloatVector e = FloatVector.fromArray(S, dx, off + i);
                        e.mul(-s).add(FloatVector.fromArray(S, gy, off + i)).intoArray(dx, off + i);
                    }
                    for (; i < c; i++) {
                        dx[off + i] = dx[off + i] * -s + gy[off + i];
                    }
                } else {
                    float s = ReduceKernels.dot(gy, off, y, off, c);
                    int i = 0;
                    for (int bound = S.loopBound(c); i < bound; i += L) {
                        FloatVector vy = FloatVector.fromArray(S, y, off + i);
                        FloatVector.fromArray(S, gy, off + i).sub(s).mul(vy).intoArray(dx, off + i);
                    }
                    for (; i < c; i++) {
                        dx[off + i] = (gy[off + i] - s) * y[off + i];
                    }
                }
            }
        });
    }

    // ---------------------------------------------------------------- layer norm

    /**
     * Statistics are taken of the deviations d = x - x[0] of each row from its first element:
     * with a large common offset (x ~ 1e4 + noise) the deviations are exact, while a float sum of
     * x itself would lose the mean to rounding (about c ulps of 1e4) and shift every output.
     */
    static void layerNorm(float[] x, float[] gamma, float[] beta, float eps, float[] y, float[] mean, float[] rstd,
                          int rows, int c) {
        Parallel.forRange(rows, grain(c), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int off = r * c;
                float k = x[off];
                float md = ReduceKernels.sumShiftedRun(x, off, c, k) / c;
                // x - centre = (x - k) - md, the same float operations in the vector body and the tail.
                FloatVector vk = FloatVector.broadcast(S, k);
                FloatVector vmd = FloatVector.broadcast(S, md);
                int i = 0;
                FloatVector acc = FloatVector.zero(S);
                for (int bound = S.loopBound(c); i < bound; i += L) {
                    FloatVector d = FloatVector.fromArray(S, x, off + i).sub(vk).sub(vmd);
                    acc = d.fma(d, acc);
                }
                float var = VectorMath.sumLanes(acc);
                for (; i < c; i++) {
                    float d = (x[off + i] - k) - md;
                    var += d * d;
                }
                float rs = (float) (1.0 / Math.sqrt(var / c + eps));
                mean[r] = k + md;
                rstd[r] = rs;
                i = 0;
                for (int bound = S.loopBound(c); i < bound; i += L) {
                    FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(vk).sub(vmd).mul(rs);
                    xhat.fma(FloatVector.fromArray(S, gamma, i), FloatVector.fromArray(S, beta, i)).intoArray(y, off + i);
                }
                for (; i < c; i++) {
                    y[off + i] = Math.fma(((x[off + i] - k) - md) * rs, gamma[i], beta[i]);
                }
            }
        });
    }

    /**
     * dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = gy * gamma;
     * dgamma = sum_rows gy * xhat; dbeta = sum_rows gy. xhat is recomputed exactly as the forward
     * computed it (deviations from the row's first element), not from the stored float mean, which
     * for rows with a large offset is only as exact as the float spacing at that offset.
     *
     * <p>With an addend (a gradient the input already holds: the residual stream's, dense, of x's
     * shape; else null) dx is written as that float + the addend, one rounding each, the bits of
     * adding the addend to dx in a pass of its own, which this pass replaced: about 0.7 % of the
     * demo model's finetuning step, 12 of its 13 layer norms (BENCHMARKS.md, 2026-12-03 evening).
     */
    static void layerNormBackward(float[] gy, float[] x, float[] gamma, float[] rstd, float[] addend,
                                  float[] dx, float[] dgamma, float[] dbeta, int rows, int c) {
        int blocks = (rows + BLOCK - 1) / BLOCK;
        float[] pg = new float[blocks * c];
        float[] pb = new float[blocks * c];
        Parallel.forRange(blocks, 1, (lo, hi) -> {
            float[] g = new float[c];
            float[] xhat = new float[c];
            for (int blk = lo; blk < hi; blk++) {
                int pOff = blk * c;
                for (int r = blk * BLOCK; r < Math.min(rows, (blk + 1) * BLOCK); r++) {
                    int off = r * c;
                    float k = x[off];
                    float md = ReduceKernels.sumShiftedRun(x, off, c, k) / c;
                    float rs = rstd[r];
                    FloatVector vk = FloatVector.broadcast(S, k);
                    FloatVector vmd = FloatVector.broadcast(S, md);
                    FloatVector accG = FloatVector.zero(S);
                    FloatVector accGX = FloatVector.zero(S);
                    int j = 0;
                    for (int bound = S.loopBound(c); j < bound; j += L) {
                        FloatVector xh = FloatVector.fromArray(S, x, off + j).sub(vk).sub(vmd).mul(rs);
                        FloatVector vgy = FloatVector.fromArray(S, gy, off + j);
                        FloatVector gi = vgy.mul(FloatVector.fromArray(S, gamma, j));
                        xh.intoArray(xhat, j);
                        gi.intoArray(g, j);
                        accG = accG.add(gi);
                        accGX = accGX.add(gi.mul(xh));
                        FloatVector.fromArray(S, pg, pOff + j).add(vgy.mul(xh)).intoArray(pg, pOff + j);
                        FloatVector.fromArray(S, pb, pOff + j).add(vgy).intoArray(pb, pOff + j);
                    }
                    float sumG = VectorMath.sumLanes(accG);
                    float sumGX = VectorMath.sumLanes(accGX);
                    for (int i = j; i < c; i++) {
                        float xh = ((x[off + i] - k) - md) * rs;
                        float gi = gy[off + i] * gamma[i];
                        xhat[i] = xh;
                        g[i] = gi;
                        sumG += gi;
                        sumGX += gi * xh;
                        pg[pOff + i] += gy[off + i] * xh;
                        pb[pOff + i] += gy[off + i];
                    }
                    float mg = sumG / c;
                    float mgx = sumGX / c;
                    int i = 0;
                    for (int bound = S.loopBound(c); i < bound; i += L) {
                        FloatVector vx = FloatVector.fromArray(S, xhat, i);
                        FloatVector d = FloatVector.fromArray(S, g, i).sub(mg).sub(vx.mul(mgx)).mul(rs);
                        if (addend != null) {
                            d = d.add(FloatVector.fromArray(S, addend, off + i));
                        }
                        d.intoArray(dx, off + i);
                    }
                    for (; i < c; i++) {
                        float d = rs * (g[i] - mg - xhat[i] * mgx);
                        dx[off + i] = addend == null ? d : d + addend[off + i];
                    }
                }
            }
        });
        for (int blk = 0; blk < blocks; blk++) {
            for (int i = 0; i < c; i++) {
                dgamma[i] += pg[blk * c + i];
                dbeta[i] += pb[blk * c + i];
            }
        }
    }

    // ---------------------------------------------------------------- cross entropy

    /**
     * log sum_j exp(x_j - max) for a row whose maximum is max, using scratch (length >= c) for the
     * exponentials. Kept apart from max: the losses below use (x - max) - this, which stays exact
     * for large logits where max + this would not.
     */
    private static float logSumExpShifted(float[] x, int off, int c, float max, float[] scratch) {
        return (float) Math.log(VectorMath.expShifted(x, off, max, scratch, 0, c));
    }

    /**
     * loss = -(1-s) log p_t - (s/C) sum_j log p_j with log p_j = (x_j - max) - logSum, which
     * simplifies to logSum - (1-s)(x_t - max) - s mean_j(x_j - max).
     */
    static void crossEntropy(float[] logits, int[] targets, float smoothing, float[] loss, int rows, int c) {
        Parallel.forRange(rows, grain(c), (lo, hi) -> {
            float[] scratch = new float[c];
            for (int r = lo; r < hi; r++) {
                int t = targets[r];
                if (t < 0 || t >= c) {
                    loss[r] = 0f;
                    continue;
                }
                int off = r * c;
                float max = ReduceKernels.maxRun(logits, off, c);
                float l = logSumExpShifted(logits, off, c, max, scratch) - (1f - smoothing) * (logits[off + t] - max);
                if (smoothing != 0f) {
                    l -= smoothing / c * ReduceKernels.sumShiftedRun(logits, off, c, max);
                }
                loss[r] = l;
            }
        });
    }

    /** dlogits[r, j] = gLoss[r] * (p_j - (1-s) [j == t] - s/C); zero for ignored rows. */
    static void crossEntropyBackward(float[] logits, int[] targets, float smoothing, float[] gLoss, float[] dx,
                                     int rows, int c) {
        Parallel.forRange(rows, grain(c), (lo, hi) -> {
            float[] scratch = new float[c];
            for (int r = lo; r < hi; r++) {
                int t = targets[r];
                int off = r * c;
                if (t < 0 || t >= c) {
                    java.util.Arrays.fill(dx, off, off + c, 0f);
                    continue;
                }
                float max = ReduceKernels.maxRun(logits, off, c);
                float logSum = logSumExpShifted(logits, off, c, max, scratch);
                // p = exp((x - max) - logSum), built in dx.
                ElementwiseKernels.affineRun(logits, off, 1, 1f, -max, dx, off, c);
                VectorMath.expShifted(dx, off, logSum, dx, off, c);
                float g = gLoss[r];
                float shift = smoothing / c;
                int i = 0;
                for (int bound = S.loopBound(c); i < bound; i += L) {
                    FloatVector.fromArray(S, dx, off + i).sub(shift).mul(g).intoArray(dx, off + i);
                }
                for (; i < c; i++) {
                    dx[off + i] = (dx[off + i] - shift) * g;
                }
                dx[off + t] -= g * (1f - smoothing);
            }
        });
    }
}

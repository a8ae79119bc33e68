package dev.mp3.tensor.testing;

import dev.mp3.tensor.BinaryOp;
import dev.mp3.tensor.ReduceOp;
import dev.mp3.tensor.UnaryOp;

import java.util.Arrays;
import java.util.List;

/**
 * The test oracle: every op of {@link dev.mp3.tensor.Backend} as plain double-precision loops over
 * {@link Nd} arrays. Written to be obviously right rather than fast: index arithmetic spelled out,
 * no vectorisation, backward passes from the textbook derivative of each forward (and checked
 * against finite differences by ReferenceTest). Every backend's tests compare against these.
 */
public final class Reference {
    private Reference() {}

    // ---------------------------------------------------------------- scalar functions

    /**
     * The error function in double precision: its Maclaurin series for |x| < 2 and the continued
     * fraction of erfc beyond (accurate to about 1e-14 everywhere).
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 2) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(a) = exp(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))), evaluated bottom-up.
            double f = a;
            for (int k = 120; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        }
        return Math.copySign(r, x);
    }

    public static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case RELU -> x > 0 ? x : 0;
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case SQUARE -> x * x;
            case ABS -> Math.abs(x);
        };
    }

    /** d op(x)/dx; at the kinks of RELU and ABS the value 0 (the convention of the backends). */
    public static double derivative(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -1;
            case EXP -> Math.exp(x);
            case LOG -> 1 / x;
            case SQRT -> 0.5 / Math.sqrt(x);
            case RSQRT -> -0.5 * Math.pow(x, -1.5);
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case RELU -> x > 0 ? 1 : 0;
            case GELU -> 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case GELU_TANH -> {
                double c = Math.sqrt(2 / Math.PI);
                double t = Math.tanh(c * (x + 0.044715 * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
            }
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 - s);
            }
            case SQUARE -> 2 * x;
            case ABS -> x > 0 ? 1 : (x < 0 ? -1 : 0);
        };
    }

    public static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    // ---------------------------------------------------------------- broadcasting

    /** NumPy broadcast of two shapes, or IllegalArgumentException. */
    public static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The element of x that broadcasting maps to position idx of a (larger) shape. */
    public static double at(Nd x, int[] idx) {
        int[] shape = x.shape();
        int lead = idx.length - shape.length;
        int flat = 0;
        for (int a = 0; a < shape.length; a++) {
            int i = shape[a] == 1 ? 0 : idx[lead + a];
            flat = flat * shape[a] + i;
        }
        return x.data()[flat];
    }

    /** x broadcast (copied) to a larger shape. */
    public static Nd expand(Nd x, int[] shape) {
        double[] out = new double[Nd.zeros(shape).numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = at(x, Nd.unravel(i, shape));
        }
        return new Nd(shape, out);
    }

    // ---------------------------------------------------------------- elementwise

    public static Nd unary(UnaryOp op, Nd x) {
        double[] out = new double[x.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = unary(op, x.data()[i]);
        }
        return new Nd(x.shape(), out);
    }

    /** gy * op'(x); gy broadcasts to x's shape. */
    public static Nd unaryBackward(UnaryOp op, Nd x, Nd gy) {
        double[] out = new double[x.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = at(gy, Nd.unravel(i, x.shape())) * derivative(op, x.data()[i]);
        }
        return new Nd(x.shape(), out);
    }

    public static Nd binary(BinaryOp op, Nd a, Nd b) {
        int[] shape = broadcastShape(a.shape(), b.shape());
        double[] out = new double[Nd.zeros(shape).numel()];
        for (int i = 0; i < out.length; i++) {
            int[] idx = Nd.unravel(i, shape);
            out[i] = binary(op, at(a, idx), at(b, idx));
        }
        return new Nd(shape, out);
    }

    public static Nd affine(Nd x, double scale, double shift) {
        double[] out = new double[x.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scale * x.data()[i] + shift;
        }
        return new Nd(x.shape(), out);
    }

    public static Nd clamp(Nd x, double lo, double hi) {
        double[] out = new double[x.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(hi, Math.max(lo, x.data()[i]));
        }
        return new Nd(x.shape(), out);
    }

    /** gy where lo < x < hi, else 0. */
    public static Nd clampBackward(Nd x, Nd gy, double lo, double hi) {
        double[] out = new double[x.numel()];
        for (int i = 0; i < out.length; i++) {
            double v = x.data()[i];
            out[i] = v > lo && v < hi ? at(gy, Nd.unravel(i, x.shape())) : 0;
        }
        return new Nd(x.shape(), out);
    }

    /** value where the (broadcast) mask is nonzero, else x. */
    public static Nd maskedFill(Nd x, Nd mask, double value) {
        double[] out = new double[x.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = at(mask, Nd.unravel(i, x.shape())) != 0 ? value : x.data()[i];
        }
        return new Nd(x.shape(), out);
    }

    public static Nd equal(Nd a, Nd b) {
        int[] shape = broadcastShape(a.shape(), b.shape());
        double[] out = new double[Nd.zeros(shape).numel()];
        for (int i = 0; i < out.length; i++) {
            int[] idx = Nd.unravel(i, shape);
            out[i] = at(a, idx) == at(b, idx) ? 1 : 0;
        }
        return new Nd(shape, out);
    }

    // ---------------------------------------------------------------- reductions

    private static int[] withAxis(int[] reducedIdx, int axis, int value, boolean keepDim) {
        int[] idx = new int[keepDim ? reducedIdx.length : reducedIdx.length + 1];
        for (int a = 0, j = 0; a < idx.length; a++) {
            if (a == axis) {
                idx[a] = value;
                if (keepDim) {
                    j++;
                }
            } else {
                idx[a] = reducedIdx[j++];
            }
        }
        return idx;
    }

    private static int[] reducedShape(int[] shape, int axis, boolean keepDim) {
        if (keepDim) {
            int[] out = shape.clone();
            out[axis] = 1;
            return out;
        }
        int[] out = new int[shape.length - 1];
        for (int a = 0, j = 0; a < shape.length; a++) {
            if (a != axis) {
                out[j++] = shape[a];
            }
        }
        return out;
    }

    /** Sum, mean or max over one axis (non-negative axis). */
    public static Nd reduce(ReduceOp op, Nd x, int axis, boolean keepDim) {
        int[] outShape = reducedShape(x.shape(), axis, keepDim);
        int n = x.dim(axis);
        double[] out = new double[Nd.zeros(outShape).numel()];
        for (int o = 0; o < out.length; o++) {
            int[] ridx = Nd.unravel(o, outShape);
            double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : 0;
            for (int j = 0; j < n; j++) {
                double v = x.get(withAxis(ridx, axis, j, keepDim));
                acc = op == ReduceOp.MAX ? Math.max(acc, v) : acc + v;
            }
            out[o] = op == ReduceOp.MEAN ? acc / n : acc;
        }
        return new Nd(outShape, out);
    }

    /** Index of the first maximum along the axis, axis removed. */
    public static Nd argmax(Nd x, int axis) {
        int[] outShape = reducedShape(x.shape(), axis, false);
        double[] out = new double[Nd.zeros(outShape).numel()];
        for (int o = 0; o < out.length; o++) {
            int[] ridx = Nd.unravel(o, outShape);
            int best = 0;
            for (int j = 1; j < x.dim(axis); j++) {
                if (x.get(withAxis(ridx, axis, j, false)) > x.get(withAxis(ridx, axis, best, false))) {
                    best = j;
                }
            }
            out[o] = best;
        }
        return new Nd(outShape, out);
    }

    /** Sums x over the axes along which {@code shape} was broadcast to x's shape. */
    public static Nd sumTo(Nd x, int[] shape) {
        double[] out = new double[Nd.zeros(shape).numel()];
        int lead = x.rank() - shape.length;
        for (int i = 0; i < x.numel(); i++) {
            int[] idx = Nd.unravel(i, x.shape());
            int flat = 0;
            for (int a = 0; a < shape.length; a++) {
                flat = flat * shape[a] + (shape[a] == 1 ? 0 : idx[lead + a]);
            }
            out[flat] += x.data()[i];
        }
        return new Nd(shape, out);
    }

    // ---------------------------------------------------------------- rows: softmax, layer norm, cross entropy

    /** Softmax or log-softmax over the last axis. */
    public static Nd softmax(Nd x, boolean log) {
        int c = x.dim(-1);
        int rows = x.numel() / c;
        double[] out = new double[x.numel()];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, x.data()[r * c + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(x.data()[r * c + j] - max);
            }
            for (int j = 0; j < c; j++) {
                double z = x.data()[r * c + j] - max;
                out[r * c + j] = log ? z - Math.log(sum) : Math.exp(z) / sum;
            }
        }
        return new Nd(x.shape(), out);
    }

    /**
     * dx_i = sum_j gy_j dy_j/dx_i from the Jacobian, written for the input x: softmax
     * dy_j/dx_i = y_j (delta_ij - y_i); log-softmax dy_j/dx_i = delta_ij - p_i.
     */
    public static Nd softmaxBackward(Nd x, Nd gy, boolean log) {
        Nd p = softmax(x, false);
        int c = x.dim(-1);
        int rows = x.numel() / c;
        double[] out = new double[x.numel()];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < c; i++) {
                double s = 0;
                for (int j = 0; j < c; j++) {
                    double delta = i == j ? 1 : 0;
                    double pi = p.data()[r * c + i];
                    double dyjdxi = log ? delta - pi : p.data()[r * c + j] * (delta - pi);
                    s += gy.data()[r * c + j] * dyjdxi;
                }
                out[r * c + i] = s;
            }
        }
        return new Nd(x.shape(), out);
    }

    public record LayerNorm(Nd y, Nd mean, Nd rstd) {}

    public record LayerNormGrads(Nd dx, Nd dgamma, Nd dbeta) {}

    /** y = (x - mean) / sqrt(var + eps) * gamma + beta per row, var the biased variance. */
    public static LayerNorm layerNorm(Nd x, Nd gamma, Nd beta, double eps) {
        int c = x.dim(-1);
        int rows = x.numel() / c;
        double[] y = new double[x.numel()];
        double[] mean = new double[rows];
        double[] rstd = new double[rows];
        for (int r = 0; r < rows; r++) {
            double mu = 0;
            for (int j = 0; j < c; j++) {
                mu += x.data()[r * c + j];
            }
            mu /= c;
            double var = 0;
            for (int j = 0; j < c; j++) {
                double d = x.data()[r * c + j] - mu;
                var += d * d;
            }
            var /= c;
            double rs = 1 / Math.sqrt(var + eps);
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < c; j++) {
                y[r * c + j] = (x.data()[r * c + j] - mu) * rs * gamma.data()[j] + beta.data()[j];
            }
        }
        int[] rowShape = Arrays.copyOf(x.shape(), x.rank() - 1);
        return new LayerNorm(new Nd(x.shape(), y), new Nd(rowShape, mean), new Nd(rowShape, rstd));
    }

    /**
     * From the Jacobian of xhat = (x - mean) * rstd: dxhat_j/dx_i = rstd (delta_ij - 1/C - xhat_i xhat_j / C),
     * so dx_i = sum_j gy_j gamma_j dxhat_j/dx_i; dgamma = sum_rows gy xhat; dbeta = sum_rows gy.
     */
    public static LayerNormGrads layerNormBackward(Nd gy, Nd x, Nd gamma, double eps) {
        LayerNorm f = layerNorm(x, gamma, Nd.zeros(gamma.shape()), eps);
        int c = x.dim(-1);
        int rows = x.numel() / c;
        double[] dx = new double[x.numel()];
        double[] dgamma = new double[c];
        double[] dbeta = new double[c];
        for (int r = 0; r < rows; r++) {
            double mu = f.mean().data()[r];
            double rs = f.rstd().data()[r];
            double[] xhat = new double[c];
            for (int j = 0; j < c; j++) {
                xhat[j] = (x.data()[r * c + j] - mu) * rs;
            }
            for (int i = 0; i < c; i++) {
                double s = 0;
                for (int j = 0; j < c; j++) {
                    double delta = i == j ? 1 : 0;
                    s += gy.data()[r * c + j] * gamma.data()[j] * rs * (delta - 1.0 / c - xhat[i] * xhat[j] / c);
                }
                dx[r * c + i] = s;
                dgamma[i] += gy.data()[r * c + i] * xhat[i];
                dbeta[i] += gy.data()[r * c + i];
            }
        }
        return new LayerNormGrads(new Nd(x.shape(), dx), new Nd(new int[] {c}, dgamma), new Nd(new int[] {c}, dbeta));
    }

    /**
     * Per-row loss -(1-s) log p[t] - (s/C) sum_j log p[j] of logits [R, C] against targets [R];
     * rows whose target is outside [0, C) give 0.
     */
    public static Nd crossEntropy(Nd logits, int[] targets, double smoothing) {
        int c = logits.dim(-1);
        int rows = logits.numel() / c;
        Nd logp = softmax(logits, true);
        double[] loss = new double[rows];
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if (t < 0 || t >= c) {
                continue;
            }
            double sumLogp = 0;
            for (int j = 0; j < c; j++) {
                sumLogp += logp.data()[r * c + j];
            }
            loss[r] = -(1 - smoothing) * logp.data()[r * c + t] - smoothing / c * sumLogp;
        }
        return new Nd(new int[] {rows}, loss);
    }

    /** d(sum_r gLoss[r] loss[r]) / d logits = gLoss[r] (p_j - (1-s) [j == t] - s/C), 0 on ignored rows. */
    public static Nd crossEntropyBackward(Nd logits, int[] targets, double smoothing, Nd gLoss) {
        int c = logits.dim(-1);
        int rows = logits.numel() / c;
        Nd p = softmax(logits, false);
        double[] dx = new double[logits.numel()];
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if (t < 0 || t >= c) {
                continue;
            }
            for (int j = 0; j < c; j++) {
                double onehot = j == t ? 1 : 0;
                dx[r * c + j] = gLoss.data()[r] * (p.data()[r * c + j] - (1 - smoothing) * onehot - smoothing / c);
            }
        }
        return new Nd(logits.shape(), dx);
    }

    // ---------------------------------------------------------------- matmul and attention

    /**
     * op(a) @ op(b) over the last two axes, op = transpose when the flag is set, batch axes
     * broadcast (NumPy rules).
     */
    public static Nd matmul(Nd a, boolean transA, Nd b, boolean transB) {
        int ra = a.rank();
        int rb = b.rank();
        int m = transA ? a.dim(-1) : a.dim(-2);
        int k = transA ? a.dim(-2) : a.dim(-1);
        int kb = transB ? b.dim(-1) : b.dim(-2);
        int n = transB ? b.dim(-2) : b.dim(-1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions " + k + " and " + kb + " differ");
        }
        int[] batch = broadcastShape(Arrays.copyOf(a.shape(), ra - 2), Arrays.copyOf(b.shape(), rb - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Nd out = Nd.zeros(outShape);
        for (int o = 0; o < out.numel(); o++) {
            int[] idx = Nd.unravel(o, outShape);
            int i = idx[batch.length];
            int j = idx[batch.length + 1];
            double s = 0;
            for (int p = 0; p < k; p++) {
                int[] ia = batchIndex(idx, a.shape(), transA ? p : i, transA ? i : p);
                int[] ib = batchIndex(idx, b.shape(), transB ? j : p, transB ? p : j);
                s += a.get(ia) * b.get(ib);
            }
            out.data()[o] = s;
        }
        return out;
    }

    /** Index into an operand of shape {@code shape} for output index {@code outIdx} (batch broadcast). */
    private static int[] batchIndex(int[] outIdx, int[] shape, int row, int col) {
        int r = shape.length;
        int lead = outIdx.length - r;
        int[] idx = new int[r];
        for (int a = 0; a < r - 2; a++) {
            idx[a] = shape[a] == 1 ? 0 : outIdx[lead + a];
        }
        idx[r - 2] = row;
        idx[r - 1] = col;
        return idx;
    }

    public record Attention(Nd out, Nd logSumExp) {}

    public record AttentionGrads(Nd dq, Nd dk, Nd dv, Nd dbias) {}

    /** s[b,h,i,j] = scale q_i.k_j + bias[h,i,j]; out = softmax_j(s) v; logSumExp = log sum_j exp s. */
    private static Nd scores(Nd q, Nd k, Nd bias, double scale) {
        int bs = q.dim(0), h = q.dim(1), n = q.dim(2), d = q.dim(3), m = k.dim(2);
        Nd s = Nd.zeros(bs, h, n, m);
        for (int b = 0; b < bs; b++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        double dot = 0;
                        for (int e = 0; e < d; e++) {
                            dot += q.get(b, hh, i, e) * k.get(b, hh, j, e);
                        }
                        s.data()[s.index(b, hh, i, j)] = scale * dot + (bias == null ? 0 : bias.get(hh, i, j));
                    }
                }
            }
        }
        return s;
    }

    /** q [B,H,N,d], k and v [B,H,M,d], bias [H,N,M] or null. */
    public static Attention attention(Nd q, Nd k, Nd v, Nd bias, double scale) {
        int bs = q.dim(0), h = q.dim(1), n = q.dim(2), d = q.dim(3), m = k.dim(2);
        Nd s = scores(q, k, bias, scale);
        Nd p = softmax(s, false);
        Nd out = Nd.zeros(bs, h, n, d);
        Nd lse = Nd.zeros(bs, h, n);
        for (int b = 0; b < bs; b++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        max = Math.max(max, s.get(b, hh, i, j));
                    }
                    double sum = 0;
                    for (int j = 0; j < m; j++) {
                        sum += Math.exp(s.get(b, hh, i, j) - max);
                    }
                    lse.data()[lse.index(b, hh, i)] = max + Math.log(sum);
                    for (int e = 0; e < d; e++) {
                        double acc = 0;
                        for (int j = 0; j < m; j++) {
                            acc += p.get(b, hh, i, j) * v.get(b, hh, j, e);
                        }
                        out.data()[out.index(b, hh, i, e)] = acc;
                    }
                }
            }
        }
        return new Attention(out, lse);
    }

    /**
     * dv_j = sum_i p_ij gO_i; dp_ij = gO_i.v_j; ds_ij = p_ij (dp_ij - sum_l p_il dp_il) (the softmax
     * Jacobian); dq_i = scale sum_j ds_ij k_j; dk_j = scale sum_i ds_ij q_i; dbias = sum over batch of ds.
     */
    public static AttentionGrads attentionBackward(Nd q, Nd k, Nd v, Nd bias, double scale, Nd gOut) {
        int bs = q.dim(0), h = q.dim(1), n = q.dim(2), d = q.dim(3), m = k.dim(2);
        Nd p = softmax(scores(q, k, bias, scale), false);
        Nd dq = Nd.zeros(q.shape());
        Nd dk = Nd.zeros(k.shape());
        Nd dv = Nd.zeros(v.shape());
        Nd dbias = bias == null ? null : Nd.zeros(bias.shape());
        for (int b = 0; b < bs; b++) {
            for (int hh = 0; hh < h; hh++) {
                double[][] dp = new double[n][m];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        for (int e = 0; e < d; e++) {
                            dp[i][j] += gOut.get(b, hh, i, e) * v.get(b, hh, j, e);
                            dv.data()[dv.index(b, hh, j, e)] += p.get(b, hh, i, j) * gOut.get(b, hh, i, e);
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    double rowDot = 0;
                    for (int l = 0; l < m; l++) {
                        rowDot += p.get(b, hh, i, l) * dp[i][l];
                    }
                    for (int j = 0; j < m; j++) {
                        double ds = p.get(b, hh, i, j) * (dp[i][j] - rowDot);
                        if (dbias != null) {
                            dbias.data()[dbias.index(hh, i, j)] += ds;
                        }
                        for (int e = 0; e < d; e++) {
                            dq.data()[dq.index(b, hh, i, e)] += scale * ds * k.get(b, hh, j, e);
                            dk.data()[dk.index(b, hh, j, e)] += scale * ds * q.get(b, hh, i, e);
                        }
                    }
                }
            }
        }
        return new AttentionGrads(dq, dk, dv, dbias);
    }

    // ---------------------------------------------------------------- indexing

    /** out[i..., :] = x[idx[i...], :]; result shape idx.shape + x.shape[1:]. */
    public static Nd indexSelect(Nd x, Nd idx) {
        int rowLen = x.numel() / x.dim(0);
        int[] shape = new int[idx.rank() + x.rank() - 1];
        System.arraycopy(idx.shape(), 0, shape, 0, idx.rank());
        System.arraycopy(x.shape(), 1, shape, idx.rank(), x.rank() - 1);
        double[] out = new double[idx.numel() * rowLen];
        for (int i = 0; i < idx.numel(); i++) {
            int row = (int) idx.data()[i];
            for (int e = 0; e < rowLen; e++) {
                out[i * rowLen + e] = x.data()[row * rowLen + e];
            }
        }
        return new Nd(shape, out);
    }

    /** zeros [rows, g.shape[idx.rank:]...] with out[idx[i]] += g[i]. */
    public static Nd indexAdd(Nd g, Nd idx, int rows) {
        int rowLen = idx.numel() == 0 ? 0 : g.numel() / idx.numel();
        int[] shape = new int[g.rank() - idx.rank() + 1];
        shape[0] = rows;
        System.arraycopy(g.shape(), idx.rank(), shape, 1, shape.length - 1);
        double[] out = new double[Nd.zeros(shape).numel()];
        for (int i = 0; i < idx.numel(); i++) {
            int row = (int) idx.data()[i];
            for (int e = 0; e < rowLen; e++) {
                out[row * rowLen + e] += g.data()[i * rowLen + e];
            }
        }
        return new Nd(shape, out);
    }

    /** out[..., j] = x[..., idx[..., j]]. */
    public static Nd takeAlong(Nd x, Nd idx) {
        int n = x.dim(-1);
        int k = idx.dim(-1);
        double[] out = new double[idx.numel()];
        for (int i = 0; i < out.length; i++) {
            int row = i / k;
            out[i] = x.data()[row * n + (int) idx.data()[i]];
        }
        return new Nd(idx.shape(), out);
    }

    /** zeros [..., n] with out[..., idx[..., j]] += g[..., j]. */
    public static Nd scatterAlong(Nd g, Nd idx, int n) {
        int k = idx.dim(-1);
        int[] shape = idx.shape();
        shape[shape.length - 1] = n;
        double[] out = new double[Nd.zeros(shape).numel()];
        for (int i = 0; i < idx.numel(); i++) {
            int row = i / k;
            out[row * n + (int) idx.data()[i]] += g.data()[i];
        }
        return new Nd(shape, out);
    }

    public static Nd concat(List<Nd> parts, int axis) {
        int[] shape = parts.get(0).shape();
        shape[axis] = 0;
        for (Nd p : parts) {
            shape[axis] += p.dim(axis);
        }
        Nd out = Nd.zeros(shape);
        int at = 0;
        for (Nd p : parts) {
            for (int i = 0; i < p.numel(); i++) {
                int[] idx = Nd.unravel(i, p.shape());
                idx[axis] += at;
                out.data()[out.index(idx)] = p.data()[i];
            }
            at += p.dim(axis);
        }
        return out;
    }

    // ---------------------------------------------------------------- optimizer

    public record AdamState(Nd param, Nd m, Nd v) {}

    /**
     * One Adam (decoupled = false: L2 term added to the gradient) or AdamW (decoupled = true:
     * param shrunk by 1 - lr*wd first) step at step number t >= 1, PyTorch's formulas:
     * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; param -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
     */
    public static AdamState adam(Nd param, Nd grad, Nd m, Nd v, double lr, double beta1, double beta2, double eps,
                                 double weightDecay, boolean decoupled, int t) {
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        int n = param.numel();
        double[] p = new double[n];
        double[] mm = new double[n];
        double[] vv = new double[n];
        for (int i = 0; i < n; i++) {
            double x = param.data()[i];
            double g = grad.data()[i] + (decoupled ? 0 : weightDecay * x);
            if (decoupled) {
                x *= 1 - lr * weightDecay;
            }
            mm[i] = beta1 * m.data()[i] + (1 - beta1) * g;
            vv[i] = beta2 * v.data()[i] + (1 - beta2) * g * g;
            p[i] = x - lr / bias1 * mm[i] / (Math.sqrt(vv[i]) / Math.sqrt(bias2) + eps);
        }
        return new AdamState(new Nd(param.shape(), p), new Nd(param.shape(), mm), new Nd(param.shape(), vv));
    }
}

package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.mp3.opencl.ClTestSupport.assertClose;
import static dev.mp3.opencl.ClTestSupport.cpu;
import static dev.mp3.opencl.ClTestSupport.normal;
import static dev.mp3.opencl.ClTestSupport.toCl;

/**
 * Softmax, layer norm and cross entropy, forward and backward, against the CPU backend on row
 * lengths 1, 7, 33, 257 and 1000 (wider than one work-group) with non-contiguous inputs. The
 * device reduces each row with a work-group tree, the CPU with vector lanes, and the
 * exponentials and logarithms come from different math libraries: 1e-5 relative error.
 */
class RowOpsTest {
    private static final int[] SIZES = {1, 7, 33, 257, 1000};
    private static final double TOL = 1e-5;

    @Test
    void softmaxAndLogSoftmax() {
        Rng rng = new Rng(20);
        ClBackend cl = ClTestSupport.backend();
        for (int c : SIZES) {
            Tensor x = normal(rng, c, 5).mul(3f).transpose(0, 1);
            Tensor dx = toCl(x.transpose(0, 1).contiguous()).transpose(0, 1);
            Tensor gy = normal(rng, 5, c);
            for (boolean log : new boolean[] {false, true}) {
                String what = (log ? "log-softmax" : "softmax") + " c=" + c;
                Tensor y = cpu().softmax(x, log);
                Tensor dy = cl.softmax(dx, log);
                assertClose(what, y, dy, TOL);
                assertClose(what + " backward", cpu().softmaxBackward(y, gy, log),
                        cl.softmaxBackward(toCl(y), toCl(gy), log), TOL);
            }
        }
    }

    @Test
    void layerNormForwardAndBackward() {
        Rng rng = new Rng(21);
        ClBackend cl = ClTestSupport.backend();
        for (int c : SIZES) {
            for (int rows : new int[] {3, 130}) {
                Tensor x = normal(rng, c, rows).add(0.3f).transpose(0, 1);
                Tensor gamma = rng.normal(1f, 0.2f, c);
                Tensor beta = normal(rng, c);
                Tensor gy = normal(rng, rows, c);
                Tensor dx = toCl(x.transpose(0, 1).contiguous()).transpose(0, 1);
                Backend.LayerNormOut ref = cpu().layerNorm(x, gamma, beta, 1e-5f);
                Backend.LayerNormOut got = cl.layerNorm(dx, toCl(gamma), toCl(beta), 1e-5f);
                String what = "layer norm c=" + c + " rows=" + rows;
                assertClose(what + " y", ref.y(), got.y(), TOL);
                assertClose(what + " mean", ref.mean(), got.mean(), TOL);
                assertClose(what + " rstd", ref.rstd(), got.rstd(), TOL);
                Backend.LayerNormGrads gref = cpu().layerNormBackward(gy, x, gamma, ref.mean(), ref.rstd());
                Backend.LayerNormGrads ggot = cl.layerNormBackward(toCl(gy), dx, toCl(gamma), got.mean(), got.rstd());
                // For c = 1, dx = rstd * (g - mean(g) - ...) is 0 up to rounding times rstd = 1/sqrt(eps).
                assertClose(what + " dx", gref.dx(), ggot.dx(), TOL, c == 1 ? 1e-4 : 0);
                assertClose(what + " dgamma", gref.dgamma(), ggot.dgamma(), TOL);
                assertClose(what + " dbeta", gref.dbeta(), ggot.dbeta(), TOL);
            }
        }
    }

    @Test
    void crossEntropyWithSmoothingAndIgnoredRows() {
        Rng rng = new Rng(22);
        ClBackend cl = ClTestSupport.backend();
        for (int c : SIZES) {
            int rows = 9;
            Tensor logits = normal(rng, rows, c).mul(2f);
            int[] t = new int[rows];
            for (int r = 0; r < rows; r++) {
                t[r] = rng.nextInt(c);
            }
            t[2] = -1;
            t[5] = c;
            Tensor targets = Tensor.ofInts(t, rows);
            Tensor gLoss = normal(rng, rows);
            for (float s : new float[] {0f, 0.1f}) {
                String what = "cross entropy c=" + c + " smoothing " + s;
                // For c = 1 loss and gradient are 0 up to rounding (a one-element softmax is 1).
                assertClose(what, cpu().crossEntropy(logits, targets, s),
                        cl.crossEntropy(toCl(logits), toCl(targets), s), TOL, 1e-6);
                assertClose(what + " backward", cpu().crossEntropyBackward(logits, targets, s, gLoss),
                        cl.crossEntropyBackward(toCl(logits), toCl(targets), s, toCl(gLoss)), TOL, 1e-6);
            }
        }
    }
}

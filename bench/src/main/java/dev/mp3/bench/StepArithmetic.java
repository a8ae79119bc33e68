package dev.mp3.bench;

import dev.mp3.nn.ViTConfig;

/**
 * The arithmetic of a ViT training step: the multiply-adds of its matrix products, from the shapes
 * alone. What masking can save is bounded by it: with a context of M of the N tokens, MP3 (paper,
 * Algorithm 1) still runs every token through the query, output and MLP projections and removes
 * only the key and value rows outside the context and their share of the two attention products.
 *
 * <p>Counted per example, forward: the patch embedding (N x C p^2 x D), per block the query
 * projection (T x D x D) and the key/value one (M x D x 2D), the attention scores and their
 * weighted sum (T x M x D each, all heads together), the output projection (T x D x D) and the MLP
 * (2 x T x D x hidden), and the head (D x classes for the one token a classifier reads; N x D x N
 * for MP3's position head over every patch). T is the number of tokens (N, plus one with a class
 * token); without a context M = T. A step is taken as three times the forward products (backward
 * multiplies each product's output gradient by both of its operands), two FLOPs per multiply-add.
 */
final class StepArithmetic {
    private StepArithmetic() {}

    /** GFLOP of one training step of {@code config} at {@code batch}, keys and values from {@code context} of the N patches (N: all). */
    static double gflops(ViTConfig config, int batch, int context) {
        int n = config.numPatches();
        if (context < 1 || context > n) {
            throw new IllegalArgumentException("StepArithmetic: context of " + context + " tokens out of " + n);
        }
        double d = config.dim();
        double hidden = Math.round(config.dim() * config.mlpRatio());
        double tokens = n + (config.clsToken() ? 1 : 0);
        double keys = context == n ? tokens : context;
        double patchEmbed = n * (double) config.channels() * config.patchSize() * config.patchSize() * d;
        double block = tokens * d * d + keys * d * 2 * d + 2 * tokens * keys * d + tokens * d * d + 2 * tokens * d * hidden;
        double head = (config.numClasses() > 0 ? d * config.numClasses() : 0) + (config.positionHead() ? n * d * n : 0);
        double forwardMacs = batch * (patchEmbed + config.depth() * block + head);
        return 3 * 2 * forwardMacs / 1e9;
    }
}

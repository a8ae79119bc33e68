package dev.mp3.nn;

import dev.mp3.tensor.Require;

/**
 * TC-ResNet8's shape ({@link TcResNet8}).
 *
 * @param features   MFCC coefficients per frame, the input channels (40)
 * @param numClasses classifier outputs (12 keyword classes)
 * @param width      channel multiplier (1 for TC-ResNet8, 1.5 for TC-ResNet8-1.5)
 * @param dropout    before the classifier (0.5 in the authors' recipe)
 * @param bnMomentum how far batch norm's running statistics move towards each training batch's:
 *                   0.003 (TensorFlow's decay 0.997, the authors' setting for 30k updates); a run
 *                   compressed to fewer updates averages over the same share of the run with
 *                   {@link #scaledMomentum}
 */
public record TcResNetConfig(int features, int numClasses, float width, float dropout, float bnMomentum) {

    public TcResNetConfig {
        Require.that(features > 0 && numClasses > 0 && width > 0 && dropout >= 0 && dropout < 1,
                () -> "TcResNetConfig: features, classes and width must be positive and dropout in [0, 1), got "
                        + features + ", " + numClasses + ", " + width + ", " + dropout);
        Require.that(bnMomentum > 0 && bnMomentum <= 1, () -> "TcResNetConfig: batch-norm momentum must lie in (0, 1], got "
                + bnMomentum);
    }

    /** The authors' batch-norm momentum for their 30k updates (TensorFlow decay 0.997). */
    public static final float BN_MOMENTUM = 0.003f;
    static final int AUTHORS_UPDATES = 30_000;

    /** The paper's Table 5 baseline: TC-ResNet8, width 1, dropout 0.5, the authors' batch-norm momentum. */
    public static TcResNetConfig paper(int features, int classes) {
        return new TcResNetConfig(features, classes, 1f, 0.5f, BN_MOMENTUM);
    }

    /**
     * The momentum whose running average spans the same share of an {@code updates}-long run as
     * 0.003 does of the authors' 30k: 1 - 0.997^(30000 / updates) (0.003 at 30k, 0.14 at 600).
     */
    public static float scaledMomentum(int updates) {
        Require.that(updates > 0, () -> "TcResNetConfig.scaledMomentum: updates must be positive, got " + updates);
        return (float) (1 - Math.pow(1 - BN_MOMENTUM, (double) AUTHORS_UPDATES / updates));
    }

    public TcResNetConfig withBnMomentum(float momentum) {
        return new TcResNetConfig(features, numClasses, width, dropout, momentum);
    }
}

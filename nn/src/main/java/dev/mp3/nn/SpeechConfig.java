package dev.mp3.nn;

import dev.mp3.tensor.Require;

/**
 * The speech Transformer of the paper's Section 4.3 (Google Speech Commands).
 *
 * @param frames       frames per example T, also MP3's number of position classes (Table 1: 100)
 * @param features     coefficients per frame (40 MFCCs)
 * @param dim          model width (32)
 * @param depth        blocks (8)
 * @param heads        attention heads (the paper does not say; 4 heads of width 8 here)
 * @param ffDim        feed-forward hidden width (64)
 * @param dropout      dropout rate (0.1)
 * @param numClasses   classifier outputs (12 keyword classes); 0 for none
 * @param positionHead add a linear head on every frame token, D to T (MP3's position classifier)
 * @param layerNormEps PyTorch's default 1e-5
 */
public record SpeechConfig(int frames, int features, int dim, int depth, int heads, int ffDim, float dropout,
                           int numClasses, boolean positionHead, float layerNormEps) {

    public SpeechConfig {
        Require.that(frames > 0 && features > 0 && dim > 0 && depth > 0 && ffDim > 0 && numClasses >= 0,
                "SpeechConfig: frames, features, dim, depth and ffDim must be positive and numClasses >= 0");
        Require.that(heads > 0 && dim % heads == 0, () -> "SpeechConfig: width " + dim + " is not divisible by " + heads + " heads");
        Require.that(dim % 2 == 0, () -> "SpeechConfig: the sinusoidal embedding needs an even width, got " + dim);
    }

    /** The paper's model: 8 layers, width 32, feed-forward 64, dropout 0.1, 40 MFCCs, 12 classes. */
    public static SpeechConfig paper() {
        return new SpeechConfig(100, 40, 32, 8, 4, 64, 0.1f, 12, false, 1e-5f);
    }

    /** Finetuning or supervised training: a classifier and no position head. */
    public SpeechConfig forFinetuning(int classes) {
        return new SpeechConfig(frames, features, dim, depth, heads, ffDim, dropout, classes, false, layerNormEps);
    }

    public SpeechConfig withFrames(int count) {
        return new SpeechConfig(count, features, dim, depth, heads, ffDim, dropout, numClasses, positionHead, layerNormEps);
    }
}

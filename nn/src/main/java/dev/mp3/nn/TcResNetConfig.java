package dev.mp3.nn;

import dev.mp3.tensor.Require;

/**
 * TC-ResNet8's shape ({@link TcResNet8}).
 *
 * @param features   MFCC coefficients per frame, the input channels (40)
 * @param numClasses classifier outputs (12 keyword classes)
 * @param width      channel multiplier (1 for TC-ResNet8, 1.5 for TC-ResNet8-1.5)
 * @param dropout    before the classifier (0.5 in the authors' recipe)
 */
public record TcResNetConfig(int features, int numClasses, float width, float dropout) {

    public TcResNetConfig {
        Require.that(features > 0 && numClasses > 0 && width > 0 && dropout >= 0 && dropout < 1,
                "TcResNetConfig: features, classes and width must be positive and dropout in [0, 1), got "
                        + features + ", " + numClasses + ", " + width + ", " + dropout);
    }

    /** The paper's Table 5 baseline: TC-ResNet8, width 1, dropout 0.5. */
    public static TcResNetConfig paper(int features, int classes) {
        return new TcResNetConfig(features, classes, 1f, 0.5f);
    }
}

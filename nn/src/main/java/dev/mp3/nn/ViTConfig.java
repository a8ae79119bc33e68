package dev.mp3.nn;

import dev.mp3.tensor.Require;

/**
 * A Vision Transformer's shape and regularisation. The presets follow the paper (Table 1, after
 * Touvron et al. 2021) and timm; {@code with...} methods change one field.
 *
 * @param imageSize    square input side in pixels
 * @param patchSize    square patch side; the grid is imageSize / patchSize on each side
 * @param channels     input channels (3 for RGB, 1 for Fashion-MNIST)
 * @param dim          token width D
 * @param depth        number of blocks
 * @param heads        attention heads (D must be divisible by it)
 * @param mlpRatio     MLP hidden width / D
 * @param numClasses   classifier outputs; 0 for no classifier head
 * @param clsToken     prepend a learned cls token (classification pools it)
 * @param posEmbed     position information for finetuning or supervised training
 * @param positionHead add a linear head on every patch token, D to the number of patches (MP3's position classifier)
 * @param dropout      dropout after the position embedding, attention projection and MLP layers
 * @param dropPath     stochastic depth rate of the last block (rates rise linearly from 0, as timm)
 * @param layerNormEps timm's ViT uses 1e-6
 */
public record ViTConfig(int imageSize, int patchSize, int channels, int dim, int depth, int heads, float mlpRatio,
                        int numClasses, boolean clsToken, PositionEmbedding posEmbed, boolean positionHead,
                        float dropout, float dropPath, float layerNormEps) {

    public ViTConfig {
        Require.that(imageSize > 0 && patchSize > 0 && imageSize % patchSize == 0, () -> "ViTConfig: image size " + imageSize
                + " is not a positive multiple of the patch size " + patchSize);
        Require.that(channels > 0 && dim > 0 && depth > 0 && mlpRatio > 0 && numClasses >= 0,
                "ViTConfig: channels, dim, depth and mlpRatio must be positive and numClasses >= 0");
        Require.that(heads > 0 && dim % heads == 0, () -> "ViTConfig: width " + dim + " is not divisible by " + heads + " heads");
        Require.that(posEmbed != PositionEmbedding.SINCOS_2D || dim % 4 == 0,
                () -> "ViTConfig: a 2D sin-cos embedding needs a width divisible by 4, got " + dim);
        Require.that(posEmbed != PositionEmbedding.SINCOS_1D || dim % 2 == 0,
                () -> "ViTConfig: a 1D sin-cos embedding needs an even width, got " + dim);
    }

    // ---------------------------------------------------------------- presets

    /** ViT-Tiny/16 at 224 (timm vit_tiny_patch16_224): 192 wide, 12 deep, 3 heads. */
    public static ViTConfig tiny() {
        return imageNet(192, 3);
    }

    /** ViT-S/16 at 224 (the paper's ViT-S, timm vit_small_patch16_224): 384 wide, 12 deep, 6 heads. */
    public static ViTConfig small() {
        return imageNet(384, 6);
    }

    /** ViT-B/16 at 224 (the paper's ViT-B, timm vit_base_patch16_224): 768 wide, 12 deep, 12 heads. */
    public static ViTConfig base() {
        return imageNet(768, 12);
    }

    private static ViTConfig imageNet(int dim, int heads) {
        return new ViTConfig(224, 16, 3, dim, 12, heads, 4f, 1000, true, PositionEmbedding.LEARNED, false,
                0f, 0f, 1e-6f);
    }

    /** The paper's CIFAR-100 model: ViT-S, 32x32 images, 4x4 patches (64 positions). */
    public static ViTConfig cifar100() {
        return small().withImage(32, 4, 3).withClasses(100);
    }

    /** The paper's Tiny ImageNet model: ViT-B, 64x64 images, 8x8 patches (64 positions). */
    public static ViTConfig tinyImageNet() {
        return base().withImage(64, 8, 3).withClasses(200);
    }

    /** A CPU-sized model for Fashion-MNIST: 28x28x1, 4x4 patches (49 positions), 64 wide, 6 deep, 4 heads. */
    public static ViTConfig fashionMnist() {
        return new ViTConfig(28, 4, 1, 64, 6, 4, 4f, 10, true, PositionEmbedding.LEARNED, false, 0f, 0.1f, 1e-6f);
    }

    /** The smallest useful model, for demos and tests: 28x28x1, 7x7 patches (16 positions), 32 wide, 2 deep. */
    public static ViTConfig demo() {
        return new ViTConfig(28, 7, 1, 32, 2, 2, 4f, 10, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
    }

    // ---------------------------------------------------------------- classification

    /** A classifier (finetuning or supervised training): cls token, the given position information, no patch head. */
    public ViTConfig forFinetuning(PositionEmbedding kind, int classes) {
        return new ViTConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, classes, true,
                kind, false, dropout, dropPath, layerNormEps);
    }

    // ---------------------------------------------------------------- one field at a time

    public ViTConfig withImage(int size, int patch, int inChannels) {
        return new ViTConfig(size, patch, inChannels, dim, depth, heads, mlpRatio, numClasses, clsToken, posEmbed,
                positionHead, dropout, dropPath, layerNormEps);
    }

    public ViTConfig withClasses(int classes) {
        return new ViTConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, classes, clsToken, posEmbed,
                positionHead, dropout, dropPath, layerNormEps);
    }

    public ViTConfig withClsToken(boolean cls) {
        return new ViTConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, cls, posEmbed,
                positionHead, dropout, dropPath, layerNormEps);
    }

    public ViTConfig withPosEmbed(PositionEmbedding kind) {
        return new ViTConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, clsToken, kind,
                positionHead, dropout, dropPath, layerNormEps);
    }

    public ViTConfig withPositionHead(boolean head) {
        return new ViTConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, clsToken, posEmbed,
                head, dropout, dropPath, layerNormEps);
    }

    public ViTConfig withWidth(int width, int blocks, int numHeads) {
        return new ViTConfig(imageSize, patchSize, channels, width, blocks, numHeads, mlpRatio, numClasses, clsToken,
                posEmbed, positionHead, dropout, dropPath, layerNormEps);
    }

    public ViTConfig withRegularisation(float dropoutRate, float dropPathRate) {
        return new ViTConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, clsToken, posEmbed,
                positionHead, dropoutRate, dropPathRate, layerNormEps);
    }

    // ---------------------------------------------------------------- derived

    /** Patches per side. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** N, the number of patches and of MP3's position classes. */
    public int numPatches() {
        return grid() * grid();
    }

    /** Tokens entering the blocks: the patches, plus the cls token. */
    public int tokens() {
        return numPatches() + (clsToken ? 1 : 0);
    }

    public int mlpHidden() {
        return (int) (dim * mlpRatio);
    }
}

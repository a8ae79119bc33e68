package dev.mp3.cli;

import dev.mp3.data.ImageDataset;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.train.NamedRecipe;
import picocli.CommandLine.Option;

/** The {@code --model} preset and its overrides, shared by the commands that build a new model. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "PRESET",
            description = "fmnist (128 wide, 6 deep, 4 heads), tiny (ViT-Tiny 192/12/3), small (the paper's ViT-S"
                    + " 384/12/6), base (ViT-B 768/12/12), demo (a 2-block toy). Image size and channels follow the"
                    + " data. Default: the recipe's.")
    String preset;

    @Option(names = "--patch", description = "Patch size (default: the recipe's: 4 for fmnist and CIFAR-100, 8 for"
            + " Tiny ImageNet, 16 for ImageNet).")
    Integer patch;

    @Option(names = "--dim", description = "Token width D (overrides the preset).")
    Integer dim;

    @Option(names = "--depth", description = "Number of blocks (overrides the preset).")
    Integer depth;

    @Option(names = "--heads", description = "Attention heads (overrides the preset).")
    Integer heads;

    @Option(names = "--drop-path", description = "Stochastic depth rate of the last block (default: the recipe's, 0.1).")
    Float dropPath;

    /**
     * Records {@code --model} in the run's checkpoints; on {@code --resume}, the preset and every
     * override given must equal the run's ({@code c} is its model).
     */
    void check(RunFolder folder, ViTConfig c, NamedRecipe recipe) {
        preset = folder.setting("model", "--model", preset != null ? preset : recipe.model());
        folder.check("--patch", patch, c.patchSize());
        folder.check("--dim", dim, c.dim());
        folder.check("--depth", depth, c.depth());
        folder.check("--heads", heads, c.heads());
        folder.check("--drop-path", dropPath, c.dropPath());
    }

    /**
     * The encoder for images like {@code data}'s, with a classifier for its classes and the given
     * position embedding: {@code recipe}'s model, patch and drop path unless the options say otherwise.
     */
    ViTConfig config(ImageDataset data, PositionEmbedding pe, NamedRecipe recipe) {
        String name = preset != null ? preset : recipe.model();
        ViTConfig base = switch (name) {
            case "fmnist" -> ViTConfig.fashionMnist().withWidth(128, 6, 4);
            case "tiny" -> ViTConfig.tiny();
            case "small" -> ViTConfig.small();
            case "base" -> ViTConfig.base();
            case "demo" -> ViTConfig.demo();
            default -> throw new IllegalArgumentException("--model: unknown preset '" + name
                    + "'; expected one of fmnist, tiny, small, base, demo");
        };
        int p = patch != null ? patch : (name.equals("demo") ? base.patchSize() : recipe.patchSize());
        if (data.height() != data.width()) {
            throw new IllegalArgumentException(data.name() + ": images are " + data.height() + "x" + data.width()
                    + "; only square images are supported");
        }
        ViTConfig c = base.withImage(data.height(), p, data.channels())
                .withWidth(dim != null ? dim : base.dim(), depth != null ? depth : base.depth(),
                        heads != null ? heads : base.heads())
                .withRegularisation(base.dropout(), dropPath != null ? dropPath : recipe.dropPath());
        return c.forFinetuning(pe, data.numClasses());
    }
}

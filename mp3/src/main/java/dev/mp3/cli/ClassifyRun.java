package dev.mp3.cli;

import dev.mp3.data.ImageDataset;
import dev.mp3.data.Splits;
import dev.mp3.eval.Evaluation;
import dev.mp3.method.Pipeline;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Image classification shared by {@code finetune} (from an MP3 checkpoint) and {@code train} (the
 * supervised baseline from scratch): the same model, recipe and data, so the two differ only in
 * the starting weights.
 */
final class ClassifyRun {
    @Spec(Spec.Target.MIXEE) CommandSpec command;
    @Mixin RunOptions run;

    @Option(names = "--pe", defaultValue = "abs", paramLabel = "KIND",
            description = "Position embedding: abs (learned absolute), rel2d (2D relative bias), sincos (fixed 2D"
                    + " sin-cos) or none. Default: ${DEFAULT-VALUE}.")
    String pe;

    @Option(names = "--label-fraction", defaultValue = "1.0",
            description = "Share of the training labels used, equal per class (e.g. 0.1). Default: ${DEFAULT-VALUE}.")
    double labelFraction;

    @Option(names = "--val-fraction", defaultValue = "0",
            description = "Share of the (label-fraction) training labels held out for validation after every epoch,"
                    + " equal per class and never trained on; the run ends with the best epoch's weights, and"
                    + " --patience stops it early. Default: ${DEFAULT-VALUE} (no validation).")
    double valFraction;

    static PositionEmbedding parsePe(String kind) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "abs", "absolute", "learned" -> PositionEmbedding.LEARNED;
            case "rel2d", "relative" -> PositionEmbedding.RELATIVE;
            case "sincos" -> PositionEmbedding.SINCOS_2D;
            case "none" -> PositionEmbedding.NONE;
            default -> throw new IllegalArgumentException("--pe: unknown position embedding '" + kind
                    + "'; expected abs, rel2d, sincos or none");
        };
    }

    /** The name {@code --pe} gives {@code kind}. */
    static String peName(PositionEmbedding kind) {
        return switch (kind) {
            case LEARNED -> "abs";
            case RELATIVE -> "rel2d";
            case SINCOS_2D -> "sincos";
            case NONE -> "none";
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Opens the run folder, and resolves {@code --data} and {@code --label-fraction} against it (on
     * {@code --resume} the run's, which given ones must equal); before the data is loaded.
     */
    RunFolder open(String label, DataOptions data, PrintWriter out) throws IOException {
        RunFolder folder = RunFolder.open(run, command, label, ViTConfig.class, out);
        data.resolve(folder);
        labelFraction = Double.parseDouble(folder.setting("label_fraction", "--label-fraction",
                Double.toString(labelFraction)));
        valFraction = Double.parseDouble(folder.setting("val_fraction", "--val-fraction",
                Double.toString(valFraction)));
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction " + valFraction + " must lie in [0, 1)");
        }
        return folder;
    }

    /**
     * Trains and tests a classifier of {@code encoder}'s shape with {@code recipe} (a resumed run:
     * its checkpoint's, which the options in {@code given} must equal); {@code pretrained}
     * holds the encoder weights of an MP3 checkpoint ({@code init}), or is null for a supervised run.
     */
    double run(RunFolder folder, String label, Splits splits, ViTConfig encoder, ImageRecipe recipe,
               TrainOptions given, Map<String, Tensor> pretrained, Path init, Device device, String dataSource,
               PrintWriter out) throws IOException {
        if (folder.resume != null) {
            encoder = folder.resume.model(ViTConfig.class);
            recipe = folder.resume.recipe(ImageRecipe.class);
            if (recipe.task() != ImageRecipe.Task.CLASSIFY) {
                throw new IllegalArgumentException(folder.checkpoint + " is a pretraining run; resume it with"
                        + " pretrain");
            }
            pretrained = null;
        }
        given.check(folder, recipe);
        folder.check("--pe", peName(parsePe(pe)), peName(encoder.posEmbed()));
        ImageDataset train = labelFraction < 1.0 ? splits.train().labelFraction(labelFraction, recipe.seed())
                : splits.train();
        ImageDataset validation = null;
        if (valFraction > 0) {
            ImageDataset[] split = train.holdOut(valFraction, recipe.seed() ^ 0x56414cL);   // "VAL"
            validation = split[0];
            train = split[1];
        }
        PositionEmbedding kind = folder.resume != null ? encoder.posEmbed() : parsePe(pe);
        Pipeline.Run<VisionTransformer> fit = Pipeline.finetuning(pretrained, encoder, kind, train, validation,
                recipe, recipe.seed(), device);
        VisionTransformer net = fit.model();
        if (pretrained != null) {
            out.printf("loaded the encoder from %s; new: %s%n", init, fit.loaded().missing());
        }
        out.printf("%s on %s: %d labelled images, %s position embedding, %,d parameters, %s%n", label,
                train.name(), train.size(), net.config.posEmbed(), net.parameterCount(), device);
        if (validation != null) {
            out.printf("validation on %d held-out labelled images after every epoch%s%n", validation.size(),
                    recipe.patience() > 0 ? ", stopping after " + recipe.patience() + " epochs without a better one"
                            : "");
        }
        out.printf("recipe %s: %d epochs, batch %d, lr %s (peak %.3g), warm-up %s epochs, label smoothing %s,"
                        + " augmentation: %s%n", given.named().name(), recipe.epochs(), recipe.batchSize(), recipe.lr(),
                recipe.peakLr(), recipe.warmupEpochs(), recipe.labelSmoothing(), recipe.augment());
        Map<String, Object> config = new LinkedHashMap<>(TrainOptions.describe(given.named().name(), recipe));
        config.put("model", net.config);
        config.put("data", dataSource);
        config.put("label_fraction", labelFraction);
        config.put("val_fraction", valFraction);
        config.put("init", init == null ? null : init.toString());
        folder.writeConfig(config);
        Trainer.Result result = folder.train(fit.trainer().label(label));
        double accuracy = Evaluation.accuracy(net, splits.test(), Evaluation.BATCH, device);
        folder.writeHistory(label, fit.trainer(), result);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", accuracy);
        metrics.put("test_images", splits.test().size());
        metrics.put("final_train_loss", result.finalLoss());
        metrics.put("mean_step_seconds", result.meanStepSeconds());
        metrics.put("updates", result.steps());
        if (validation != null) {
            metrics.put("best_val_accuracy", result.bestMetric());
            metrics.put("best_epoch", result.bestStep() / fit.trainer().task().stepsPerEpoch());
            metrics.put("stopped_early", result.stoppedEarly());
            metrics.put("val_images", validation.size());
        }
        folder.writeMetrics(metrics);
        out.printf("%s: test accuracy %.2f%% on %d images; checkpoint %s%n", label, 100 * accuracy,
                splits.test().size(), folder.checkpoint);
        return accuracy;
    }
}

package dev.mp3.cli;

import dev.mp3.data.ImageDataset;
import dev.mp3.data.Splits;
import dev.mp3.eval.Evaluation;
import dev.mp3.nn.Module;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.ReportDir;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.TrainConfig;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Classification training shared by {@code finetune} (from an MP3 checkpoint) and {@code train} (the
 * supervised baseline from scratch): the same model, recipe and data, so the two differ only in the
 * starting weights.
 */
final class ClassifyRun {

    @Option(names = "--pe", defaultValue = "abs", paramLabel = "KIND",
            description = "Position embedding: abs (learned absolute), rel2d (2D relative bias), sincos (fixed 2D"
                    + " sin-cos) or none. Default: ${DEFAULT-VALUE}.")
    String pe;

    @Option(names = "--label-fraction", defaultValue = "1.0",
            description = "Share of the training labels used, equal per class (e.g. 0.1). Default: ${DEFAULT-VALUE}.")
    double labelFraction;

    @Option(names = "--resume", description = "Continue from the run folder's checkpoint.")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Updates between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

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

    /** Trains and evaluates; {@code init} is the pretrained checkpoint or null for a supervised run. */
    double run(String label, Splits splits, ViTConfig vit, TrainConfig recipe, Path init, Path out, Device device,
               String dataSource) throws IOException {
        ImageDataset train = labelFraction < 1.0 ? splits.train().labelFraction(labelFraction, recipe.seed())
                : splits.train();
        Files.createDirectories(out);
        ReportDir dir = ReportDir.at(out);
        Path ckpt = out.resolve("checkpoint.safetensors");
        Checkpoint resumeFrom = resume ? Checkpoint.load(ckpt) : null;
        if (resumeFrom != null) {
            vit = resumeFrom.model();
            recipe = resumeFrom.train();
            System.out.printf("resuming %s at update %d%n", ckpt, resumeFrom.step());
        }
        VisionTransformer net = new VisionTransformer(vit, new Rng(recipe.seed()));
        if (init != null && resumeFrom == null) {
            Checkpoint pre = Checkpoint.load(init);
            Module.LoadResult r = net.loadStateDict(pre.modelState(), false);
            System.out.printf("loaded the encoder from %s; new: %s; dropped: %s%n", init, r.missing(), r.unexpected());
        }
        net.to(device);
        System.out.printf("%s on %s: %d labelled images, %s position embedding, %,d parameters, %s%n", label,
                train.name(), train.size(), vit.posEmbed(), net.parameterCount(), device);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", vit);
        config.put("train", recipe);
        config.put("data", dataSource);
        config.put("label_fraction", labelFraction);
        config.put("init", init == null ? null : init.toString());
        dir.writeJson("config.json", config);
        Trainer.Result result = new Trainer(net, recipe, train, device)
                .label(label)
                .checkpointTo(ckpt, checkpointEvery)
                .run(resumeFrom, Long.MAX_VALUE);
        double accuracy = Evaluation.accuracy(net, splits.test(), 256, device);
        RunFiles.writeHistory(dir, label, result.history());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", accuracy);
        metrics.put("test_images", splits.test().size());
        metrics.put("final_train_loss", result.finalLoss());
        metrics.put("mean_step_seconds", result.meanStepSeconds());
        dir.writeJson("metrics.json", metrics);
        System.out.printf("%s: test accuracy %.2f%% on %d images; checkpoint %s%n", label, 100 * accuracy,
                splits.test().size(), ckpt);
        return accuracy;
    }
}

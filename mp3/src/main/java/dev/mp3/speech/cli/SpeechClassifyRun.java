package dev.mp3.speech.cli;

import dev.mp3.nn.Module;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.report.ReportDir;
import dev.mp3.speech.SpeechData;
import dev.mp3.speech.train.SpeechCheckpoint;
import dev.mp3.speech.train.SpeechEvaluation;
import dev.mp3.speech.train.SpeechRecipe;
import dev.mp3.speech.train.SpeechTrainer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keyword classification shared by {@code speech-finetune} (from an MP3 checkpoint) and
 * {@code speech-train} (the supervised baseline from scratch): the same model, recipe and data, so
 * the two differ only in the starting weights of the encoder.
 */
final class SpeechClassifyRun {

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default runs/speech-finetune or runs/speech-train).")
    Path runDir;

    @Option(names = "--resume", description = "Continue from the run folder's checkpoint (bit-exactly).")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "500",
            description = "Updates between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    /** What a classification run ends with. */
    record Outcome(double testAccuracy, double bestValidation, SpeechTrainer.Result result) {}

    /**
     * Trains and tests. {@code init} is the pretrained checkpoint (its best weights; the position
     * head is dropped and a fresh classifier added), or null for the supervised baseline.
     */
    Outcome run(String label, SpeechData data, SpeechRecipe recipe, boolean recipeGiven, SpeechCheckpoint init,
                Path initPath, Device device, String dataSource, PrintWriter out) throws IOException {
        Path dirPath = runDir != null ? runDir : Path.of("runs", label);
        Path ckpt = dirPath.resolve("checkpoint.safetensors");
        SpeechConfig config = SpeechDataOptions.paperModel(data);
        SpeechCheckpoint resumeFrom = null;
        if (resume) {
            resumeFrom = SpeechCheckpoint.load(ckpt);
            if (resumeFrom.recipe().task() != SpeechRecipe.Task.CLASSIFY) {
                throw new IllegalArgumentException(ckpt + " is a pretraining run; resume it with speech-pretrain");
            }
            config = resumeFrom.model();
            recipe = resumeFrom.recipe();
            SpeechDataOptions.requireFits(config, data, ckpt);
            out.printf("resuming %s at update %d of %d%n", ckpt, resumeFrom.step(), recipe.updates());
            if (recipeGiven) {
                out.println("note: a resumed run keeps its checkpoint's recipe; the recipe options given are ignored");
            }
        } else if (init != null) {
            SpeechDataOptions.requireFits(init.model(), data, initPath);
            config = init.model().forFinetuning(data.classes().size());
        }
        ReportDir dir = ReportDir.at(dirPath);
        SpeechTransformer net = new SpeechTransformer(config, new Rng(recipe.seed()));
        if (init != null && resumeFrom == null) {
            Module.LoadResult r = net.loadStateDict(encoderOnly(init.encoderWeights()), false);
            out.printf("loaded the encoder from %s (weights of update %d); new: %s%n", initPath,
                    init.bestState().isEmpty() ? init.step() : init.bestStep(), r.missing());
        }
        net.to(device);
        out.printf("%s: %d training clips, %d classes, position embedding on %.0f%% of frames, %,d parameters,"
                        + " %d updates of %d clips, %s%n", label, data.train().size(), config.numClasses(),
                100 * recipe.positionFraction(), net.parameterCount(), recipe.updates(), recipe.batchSize(), device);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("model", config);
        cfg.put("recipe", recipe);
        cfg.put("data", dataSource);
        cfg.put("init", initPath == null ? null : initPath.toString());
        dir.writeJson("config.json", cfg);
        SpeechTrainer.Result result = new SpeechTrainer(net, recipe, data.train(), data.validation(), device)
                .label(label)
                .checkpointTo(ckpt, checkpointEvery)
                .run(resumeFrom, Long.MAX_VALUE);
        SpeechRunFiles.writeHistory(dir, label, recipe, result.history());
        SpeechPretrainCommand.report(result, recipe.updates(), out);
        double accuracy = SpeechEvaluation.accuracy(net, data.test(), recipe.positionFraction(),
                SpeechTrainer.EVAL_BATCH, 1, device);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", accuracy);
        metrics.put("test_clips", data.test().size());
        metrics.put("best_validation_accuracy", result.bestMetric());
        SpeechPretrainCommand.putRunMetrics(metrics, result, net.parameterCount());
        dir.writeJson("metrics.json", metrics);
        out.printf("%s: test accuracy %.2f%% on %d clips; checkpoint %s%n", label, 100 * accuracy,
                data.test().size(), ckpt);
        return new Outcome(accuracy, result.bestMetric(), result);
    }

    /** A pretrained state without its heads: finetuning adds a fresh classifier and no position head. */
    static Map<String, Tensor> encoderOnly(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.keySet().removeIf(k -> k.startsWith("head.") || k.startsWith("position_head."));
        return out;
    }
}

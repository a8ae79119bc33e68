package dev.mp3.cli;

import dev.mp3.eval.Evaluation;
import dev.mp3.method.Pipeline;
import dev.mp3.method.PositionAccuracy;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.TcResNet8;
import dev.mp3.nn.TcResNetConfig;
import dev.mp3.tensor.Rng;
import dev.mp3.speech.SpeechData;
import dev.mp3.tensor.Device;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.train.TcResNetClassification;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
    @Spec(Spec.Target.MIXEE) CommandSpec command;
    @Mixin RunOptions run;
    /** On {@code --resume} with a larger {@code --updates}: the length the run is extended to, else null. */
    private Integer extendTo;
    /** The pretrained checkpoint's position accuracy on the test clips (a fresh finetuning run), else null. */
    private PositionAccuracy.Speech initPositions;

    /**
     * Opens the run folder; on {@code --resume} checks that it holds a classification run and that
     * the recipe options in {@code given} equal its recipe, and resolves the data options against
     * it (before the data is loaded).
     */
    RunFolder open(String label, SpeechDataOptions data, SpeechRecipeOptions given, PrintWriter out)
            throws IOException {
        return open(label, SpeechConfig.class, data, given, out);
    }

    /** {@link #open} for a run of a model of {@code modelType} (SpeechConfig or TcResNetConfig). */
    RunFolder open(String label, Class<? extends Record> modelType, SpeechDataOptions data, SpeechRecipeOptions given,
                   PrintWriter out) throws IOException {
        RunFolder folder = RunFolder.open(run, command, label, modelType, out);
        if (folder.resume != null) {
            SpeechRecipe recipe = folder.resume.recipe(SpeechRecipe.class);
            if (recipe.task() != SpeechRecipe.Task.CLASSIFY) {
                throw new IllegalArgumentException(folder.checkpoint + " is a pretraining run; resume it with"
                        + " speech-pretrain");
            }
            if (given.updates != null && given.updates > recipe.updates()) {
                // A longer --updates extends the run: it goes on from where it ended and finishes as a run
                // of that length from the start would (SpeechRecipe.continues).
                if (folder.resume.progress().stopped()) {
                    throw new IllegalArgumentException("--resume --updates " + given.updates + ": the run stopped early"
                            + " at update " + folder.resume.step() + " (--patience " + recipe.patience() + "); a run"
                            + " that stopped cannot be extended, start a longer one with --force");
                }
                if (!recipe.withUpdates(given.updates).continues(recipe)) {   // the one way it can fail here
                    throw new IllegalArgumentException("--resume --updates " + given.updates + ": the run's "
                            + recipe.updates() + " updates are not a multiple of its --eval-every " + recipe.evalEvery()
                            + ", so it validated at its end where a longer run would not; it cannot be extended"
                            + " exactly, start a longer one with --force");
                }
                extendTo = given.updates;
                out.printf("extending the run from %d to %d updates%n", recipe.updates(), extendTo);
                recipe = recipe.withUpdates(extendTo);
            }
            given.check(folder, recipe);
        }
        data.resolve(folder);
        return folder;
    }

    /**
     * Trains and tests. {@code init} is the pretrained checkpoint (its best weights; the position
     * head is dropped and a fresh classifier added), or null for the supervised baseline. A resumed
     * run takes its weights from its own checkpoint and {@code init} (when given) only for the
     * position accuracy the pretraining reached.
     */
    double run(RunFolder folder, String label, SpeechData data, SpeechRecipe recipe, Checkpoint init,
               Path initPath, Device device, String dataSource, PrintWriter out) throws IOException {
        SpeechConfig encoder = SpeechDataOptions.paperModel(data);
        Map<String, dev.mp3.tensor.Tensor> pretrained = null;
        SpeechConfig preConfig = init == null ? null : init.model(SpeechConfig.class);
        if (preConfig != null) {
            SpeechDataOptions.requireFits(preConfig, data, initPath);
        }
        if (folder.resume != null) {
            encoder = folder.resume.model(SpeechConfig.class);
            recipe = resumedRecipe(folder);
            SpeechDataOptions.requireFits(encoder, data, folder.checkpoint);
        } else if (init != null) {
            encoder = preConfig;
            pretrained = init.encoderWeights();
        }
        if (preConfig != null && preConfig.positionHead()) {
            // What the pretraining reached (Table 6's position columns), before its head is dropped.
            SpeechTransformer pre = new SpeechTransformer(preConfig, new Rng(0));
            pre.loadStateDict(init.encoderWeights(), true);
            pre.to(device);
            out.printf("the pretrained encoder (%s): ", initPath);
            initPositions = SpeechExperiment.positions(pre, data, init.recipe(SpeechRecipe.class), device, out);
        }
        Pipeline.Run<SpeechTransformer> fit = Pipeline.finetuning(pretrained, encoder, data, recipe, device);
        SpeechTransformer net = fit.model();
        if (pretrained != null) {
            out.printf("loaded the encoder from %s (weights of update %d); new: %s%n", initPath,
                    init.bestState().isEmpty() ? init.step() : init.progress().bestStep(), fit.loaded().missing());
        }
        out.printf("%s: %d training clips, %d classes, position embedding on %.0f%% of frames, %,d parameters,"
                        + " %d updates of %d clips, %s%n", label, data.train().size(), net.config.numClasses(),
                100 * recipe.positionFraction(), net.parameterCount(), recipe.updates(), recipe.batchSize(), device);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("model", net.config);
        cfg.put("recipe", recipe);
        cfg.put("data", dataSource);
        cfg.put("init", initPath == null ? null : initPath.toString());
        folder.writeConfig(cfg);
        Trainer.Result result = folder.train(fit.trainer().label(label));
        double accuracy = Evaluation.accuracy(net, data.test(), recipe.positionFraction(), Evaluation.BATCH, 1, device);
        return finish(folder, label, fit.trainer(), result, accuracy, data, recipe, net.parameterCount(), out);
    }

    /**
     * The paper's convolutional baseline, TC-ResNet8, from random initialisation on the same data
     * (its own recipe: {@link SpeechRecipe#tcResNet()}); trains and tests as {@link #run}.
     */
    double runTcResNet(RunFolder folder, String label, SpeechData data, SpeechRecipe recipe, float bnMomentum,
                       Device device, String dataSource, PrintWriter out) throws IOException {
        int coefficients = data.config().mfcc().coefficients();
        TcResNetConfig config = TcResNetConfig.paper(coefficients, data.classes().size()).withBnMomentum(bnMomentum);
        if (folder.resume != null) {
            config = folder.resume.model(TcResNetConfig.class);
            recipe = resumedRecipe(folder);
            if (config.features() != coefficients || config.numClasses() != data.classes().size()) {
                throw new IllegalArgumentException("checkpoint " + folder.checkpoint + " reads " + config.features()
                        + " coefficients into " + config.numClasses() + " classes, but the data gives "
                        + coefficients + " and " + data.classes().size());
            }
        }
        TcResNet8 net = new TcResNet8(config, new Rng(recipe.seed()));
        net.to(device);
        Trainer trainer = new Trainer(new TcResNetClassification(net, data.train(), data.validation(), recipe, device),
                recipe, label);
        out.printf("%s: TC-ResNet8, %d training clips, %d classes, %,d parameters, %s with momentum %.2g and weight"
                        + " decay %.2g, %d updates of %d clips, batch-norm momentum %.3g, %s%n", label,
                data.train().size(), config.numClasses(), net.parameterCount(), recipe.optimizer(), recipe.momentum(),
                recipe.weightDecay(), recipe.updates(), recipe.batchSize(), config.bnMomentum(), device);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("model", config);
        cfg.put("recipe", recipe);
        cfg.put("data", dataSource);
        folder.writeConfig(cfg);
        Trainer.Result result = folder.train(trainer);
        double accuracy = Evaluation.accuracy(net, data.test(), Evaluation.BATCH, device);
        return finish(folder, label, trainer, result, accuracy, data, recipe, net.parameterCount(), out);
    }

    /** The resumed run's recipe, extended to {@link #extendTo} updates when that was asked for. */
    private SpeechRecipe resumedRecipe(RunFolder folder) {
        SpeechRecipe recipe = folder.resume.recipe(SpeechRecipe.class);
        return extendTo == null ? recipe : recipe.withUpdates(extendTo);
    }

    private double finish(RunFolder folder, String label, Trainer trainer, Trainer.Result result,
                                 double accuracy, SpeechData data, SpeechRecipe recipe, long parameters,
                                 PrintWriter out) throws IOException {
        folder.writeHistory(label, trainer, result);
        SpeechPretrainCommand.report(result, recipe.updates(), out);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", accuracy);
        metrics.put("test_clips", data.test().size());
        metrics.put("best_validation_accuracy", result.bestMetric());
        if (initPositions != null) {
            metrics.put("init_test_position_top1", initPositions.top1());
            metrics.put("init_test_position_top5", initPositions.top5());
        }
        SpeechPretrainCommand.putRunMetrics(metrics, result, parameters);
        folder.writeMetrics(metrics);
        out.printf("%s: test accuracy %.2f%% on %d clips; checkpoint %s%n", label, 100 * accuracy,
                data.test().size(), folder.checkpoint);
        return accuracy;
    }
}

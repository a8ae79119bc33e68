package dev.mp3.cli;

import dev.mp3.eval.Evaluation;
import dev.mp3.method.Pipeline;
import dev.mp3.method.PositionAccuracy;
import dev.mp3.method.PositionMask;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.speech.SpeechData;
import dev.mp3.tensor.Device;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** MP3 pretraining on speech (paper Section 4.3): eta = 0, position information on 5% of the frames. */
@Command(name = "speech-pretrain", mixinStandardHelpOptions = true,
        description = {"MP3 pretraining of the paper's speech Transformer (8 layers, width 32, about 70K parameters)"
                + " on MFCC frames: full attention (eta = 0), the sinusoidal position embedding on a random 5%% of"
                + " each clip's frames (none on the rest), a position head that predicts every frame's index.",
                "Reports top-1 and top-5 position accuracy on the held-out test clips (the paper: 4%% and 11%%)."})
public final class SpeechPretrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SpeechDataOptions data;
    @Mixin SpeechRecipeOptions train;
    @Mixin RunOptions run;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--snapshots", split = ",", paramLabel = "N",
            description = "Also keep the weights of these updates as pretrain-N.safetensors in the run folder, each a"
                    + " checkpoint speech-finetune --init takes: one run gives Table 6's pretraining lengths.")
    int[] snapshots = {};

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        RunFolder folder = RunFolder.open(run, spec, "speech-pretrain", SpeechConfig.class, out);
        SpeechRecipe recipe = folder.resume != null ? folder.resume.recipe(SpeechRecipe.class)
                : train.apply(SpeechRecipe.pretrain());
        if (recipe.task() != SpeechRecipe.Task.PRETRAIN) {
            throw new IllegalArgumentException(folder.checkpoint + " is a classification run; resume it with"
                    + " speech-finetune or speech-train");
        }
        train.check(folder, recipe);
        for (int n : snapshots) {
            if (n <= 0 || n > recipe.updates()) {
                throw new IllegalArgumentException("--snapshots " + n + ": expected an update in 1.." + recipe.updates()
                        + " (the run's --updates)");
            }
        }
        data.resolve(folder);
        SpeechData speech = data.load(out);
        SpeechConfig encoder = SpeechDataOptions.paperModel(speech);
        if (folder.resume != null) {
            encoder = folder.resume.model(SpeechConfig.class);
            SpeechDataOptions.requireFits(encoder, speech, folder.checkpoint);
        }
        Pipeline.Run<SpeechTransformer> pre = Pipeline.pretraining(encoder, speech, recipe, device);
        SpeechTransformer net = pre.model();
        SpeechConfig config = net.config;
        out.printf("MP3 pretraining: %d frames, position embedding on %d per clip (%.0f%%), %,d parameters,"
                        + " %d updates of %d clips, %s%n", config.frames(),
                PositionMask.count(config.frames(), recipe.positionFraction()), 100 * recipe.positionFraction(),
                net.parameterCount(), recipe.updates(), recipe.batchSize(), device);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("model", config);
        cfg.put("recipe", recipe);
        cfg.put("data", data.dir().toString());
        cfg.put("data_seed", data.dataSeed);
        folder.writeConfig(cfg);
        Trainer trainer = pre.trainer().label("speech-pretrain");
        for (int n : snapshots) {
            trainer.snapshotAt(n, folder.dir.file("pretrain-" + n + ".safetensors"));
        }
        Trainer.Result result = folder.train(trainer);
        folder.writeHistory("pretrain", trainer, result);
        report(result, recipe.updates(), out);
        PositionAccuracy.Speech acc = SpeechExperiment.positions(net, speech, recipe, device, out);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_position_top1", acc.top1());
        metrics.put("test_position_top5", acc.top5());
        metrics.put("test_position_top1_frames_without_position", acc.top1WithoutPosition());
        metrics.put("test_position_top5_frames_without_position", acc.top5WithoutPosition());
        metrics.put("test_clips", speech.test().size());
        metrics.put("best_validation_position_top1", result.bestMetric());
        putRunMetrics(metrics, result, net.parameterCount());
        folder.writeMetrics(metrics);
        out.println("checkpoint: " + folder.checkpoint + " (speech-finetune --init " + folder.checkpoint + ")");
        return 0;
    }

    /** The run's bookkeeping every speech metrics.json carries, after its task-specific entries. */
    static void putRunMetrics(Map<String, Object> metrics, Trainer.Result result, long parameters) {
        metrics.put("best_update", result.bestStep());
        metrics.put("updates", result.steps());
        metrics.put("stopped_early", result.stoppedEarly());
        metrics.put("mean_step_seconds", result.meanStepSeconds());
        metrics.put("mean_batch_seconds", result.meanBatchSeconds());
        metrics.put("mean_batch_wait_seconds", result.meanBatchWaitSeconds());
        metrics.put("parameters", parameters);
    }

    /** The end of a run in one line: where it stopped and which validation it kept. */
    static void report(Trainer.Result r, int updates, PrintWriter out) {
        String how = r.stoppedEarly() ? "stopped early after update " + r.steps() + " (no improvement for --patience"
                + " validations)" : "ran all " + updates + " updates";
        // The front end builds each batch while the update before trains; what shows is the wait for it.
        out.printf("%s; best validation %.2f%% at update %d (those weights are kept); %.3f s per update + %.3f s"
                + " waiting for the front end (%.3f s per batch, built ahead)%n", how, 100 * r.bestMetric(),
                r.bestStep(), r.meanStepSeconds(), r.meanBatchWaitSeconds(), r.meanBatchSeconds());
    }
}

package dev.mp3.speech.cli;

import dev.mp3.cli.RuntimeOptions;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.report.ReportDir;
import dev.mp3.speech.SpeechData;
import dev.mp3.speech.train.PositionMask;
import dev.mp3.speech.train.SpeechCheckpoint;
import dev.mp3.speech.train.SpeechEvaluation;
import dev.mp3.speech.train.SpeechRecipe;
import dev.mp3.speech.train.SpeechTrainer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
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
    @Mixin RuntimeOptions runtime;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/speech-pretrain", description = "Run folder (default ${DEFAULT-VALUE}).")
    Path runDir;

    @Option(names = "--resume", description = "Continue from the run folder's checkpoint (bit-exactly).")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "500",
            description = "Updates between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        SpeechData speech = data.load(out);
        Path ckpt = runDir.resolve("checkpoint.safetensors");
        SpeechCheckpoint resumeFrom = null;
        SpeechConfig config;
        SpeechRecipe recipe;
        if (resume) {
            resumeFrom = SpeechCheckpoint.load(ckpt);
            config = resumeFrom.model();
            recipe = resumeFrom.recipe();
            SpeechDataOptions.requireFits(config, speech, ckpt);
            out.printf("resuming %s at update %d of %d%n", ckpt, resumeFrom.step(), recipe.updates());
            if (train.anyGiven()) {
                out.println("note: a resumed run keeps its checkpoint's recipe; the recipe options given are ignored");
            }
        } else {
            config = SpeechDataOptions.paperModel(speech).forPretraining();
            recipe = train.apply(SpeechRecipe.pretrain());
        }
        if (recipe.task() != SpeechRecipe.Task.PRETRAIN) {
            throw new IllegalArgumentException(ckpt + " is a classification run; resume it with speech-finetune or"
                    + " speech-train");
        }
        ReportDir dir = ReportDir.at(runDir);
        SpeechTransformer net = new SpeechTransformer(config, new Rng(recipe.seed()));
        net.to(device);
        out.printf("MP3 pretraining: %d frames, position embedding on %d per clip (%.0f%%), %,d parameters,"
                        + " %d updates of %d clips, %s%n", config.frames(),
                PositionMask.count(config.frames(), recipe.positionFraction()), 100 * recipe.positionFraction(),
                net.parameterCount(), recipe.updates(), recipe.batchSize(), device);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("model", config);
        cfg.put("recipe", recipe);
        cfg.put("data", data.dir().toString());
        cfg.put("data_seed", data.dataSeed);
        dir.writeJson("config.json", cfg);
        SpeechTrainer.Result result = new SpeechTrainer(net, recipe, speech.train(), speech.validation(), device)
                .label("speech-pretrain")
                .checkpointTo(ckpt, checkpointEvery)
                .run(resumeFrom, Long.MAX_VALUE);
        SpeechRunFiles.writeHistory(dir, "pretrain", recipe, result.history());
        report(result, recipe.updates(), out);
        SpeechEvaluation.PositionAccuracy acc = SpeechEvaluation.positionAccuracy(net, speech.test(),
                recipe.positionFraction(), SpeechTrainer.EVAL_BATCH, 1, device);
        out.printf("position accuracy on %d test clips (%.0f%% of frames given their position): top-1 %.1f%%,"
                        + " top-5 %.1f%%; frames without position: top-1 %.1f%%, top-5 %.1f%% (chance %.1f%%, %.1f%%)%n",
                speech.test().size(), 100 * recipe.positionFraction(), 100 * acc.top1(), 100 * acc.top5(),
                100 * acc.top1WithoutPosition(), 100 * acc.top5WithoutPosition(), 100.0 / config.frames(),
                500.0 / config.frames());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_position_top1", acc.top1());
        metrics.put("test_position_top5", acc.top5());
        metrics.put("test_position_top1_frames_without_position", acc.top1WithoutPosition());
        metrics.put("test_position_top5_frames_without_position", acc.top5WithoutPosition());
        metrics.put("test_clips", speech.test().size());
        metrics.put("best_validation_position_top1", result.bestMetric());
        SpeechPretrainCommand.putRunMetrics(metrics, result, net.parameterCount());
        dir.writeJson("metrics.json", metrics);
        out.println("checkpoint: " + ckpt + " (speech-finetune --init " + ckpt + ")");
        return 0;
    }

    /** The run's bookkeeping every speech metrics.json carries, after its task-specific entries. */
    static void putRunMetrics(Map<String, Object> metrics, SpeechTrainer.Result result, long parameters) {
        metrics.put("best_update", result.bestStep());
        metrics.put("updates", result.steps());
        metrics.put("stopped_early", result.stoppedEarly());
        metrics.put("mean_step_seconds", result.meanStepSeconds());
        metrics.put("mean_batch_seconds", result.meanBatchSeconds());
        metrics.put("parameters", parameters);
    }

    /** The end of a run in one line: where it stopped and which validation it kept. */
    static void report(SpeechTrainer.Result r, int updates, PrintWriter out) {
        String how = r.stoppedEarly() ? "stopped early after update " + r.steps() + " (no improvement for --patience"
                + " validations)" : "ran all " + updates + " updates";
        out.printf("%s; best validation %.2f%% at update %d (those weights are kept); %.3f s per update + %.3f s"
                + " front end%n", how, 100 * r.bestMetric(), r.bestStep(), r.meanStepSeconds(), r.meanBatchSeconds());
    }
}

package dev.mp3.cli;

import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.report.Chart;
import dev.mp3.report.ReportDir;
import dev.mp3.speech.SpeechData;
import dev.mp3.method.Pipeline;
import dev.mp3.method.PositionMask;
import dev.mp3.method.PositionPrediction;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.RunFiles;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.train.Trainer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The paper's speech experiment (Section 4.3, Table 5) in miniature: the supervised Transformer
 * against MP3 pretraining + finetuning with the same model, recipe and data, on the synthetic
 * keyword set (made if absent) or the real Speech Commands.
 */
@Command(name = "speech-demo", mixinStandardHelpOptions = true,
        description = {"MP3 on speech end to end: makes the synthetic keyword set if it is missing, trains the"
                + " supervised Transformer, pretrains with MP3 (eta = 0, position embedding on 5%% of the frames),"
                + " finetunes, trains TC-ResNet8 (the paper's convolutional baseline) with its own recipe, and"
                + " prints a table shaped like the paper's Table 5 plus the pretraining's position"
                + " accuracy. Writes a report folder (config, metrics JSON/CSV, curves).",
                "Defaults are scaled down to run in minutes on 2 cores; the paper's schedule is 30k updates of 256."})
public final class SpeechDemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SpeechExperiment experiment;

    @Option(names = "--pretrain-updates", defaultValue = "200",
            description = "MP3 pretraining updates (default ${DEFAULT-VALUE}; paper Table 6: 1k to 50k).")
    int pretrainUpdates;

    @Option(names = "--pe-fraction", defaultValue = "0.05",
            description = "Share of frames given their position in pretraining (default ${DEFAULT-VALUE}).")
    float peFraction;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = experiment.runtime.open();
        long start = System.nanoTime();
        SpeechData speech = experiment.loadOrMake(out);
        ReportDir report = ReportDir.newRun(experiment.reports, "speech-demo", LocalDateTime.now());
        SpeechRecipe classify = experiment.recipe(SpeechRecipe.classify(), experiment.updates);
        SpeechRecipe pretrain = experiment.recipe(SpeechRecipe.pretrain(), pretrainUpdates)
                .withPositionFraction(peFraction);
        SpeechConfig model = SpeechDataOptions.paperModel(speech);
        Map<String, Object> config = experiment.config(model, classify);
        config.put("pretrain", pretrain);
        report.writeJson("config.json", config);
        long classifierParameters = new SpeechTransformer(model, new Rng(0)).parameterCount();
        out.printf("speech demo: the paper's Transformer, %,d parameters (%,d with the position head);"
                        + " report in %s%n", classifierParameters,
                new SpeechTransformer(PositionPrediction.pretrainingModel(model), new Rng(0)).parameterCount(),
                report.dir());

        out.printf("%n[1/4] supervised Transformer from scratch: %d updates of %d clips%n", classify.updates(),
                classify.batchSize());
        SpeechExperiment.Stage supervised = experiment.classify("supervised", speech, classify, null, device, report, out);

        out.printf("%n[2/4] MP3 pretraining: eta = 0, position embedding on %d of %d frames per clip, %d"
                        + " updates%n", PositionMask.count(model.frames(), peFraction), model.frames(),
                pretrain.updates());
        long t = System.nanoTime();
        Pipeline.Run<SpeechTransformer> mp3 = Pipeline.pretraining(model, speech, pretrain, device);
        Path ckpt = report.file("pretrain.safetensors");
        Trainer.Result pre = mp3.trainer().checkpointTo(ckpt, 0).run();
        var positions = SpeechExperiment.positions(mp3.model(), speech, pretrain, device, out);
        RunFiles.writeHistory(report, "pretrain", pre.history(), mp3.trainer().task().metric(),
                mp3.trainer().task().unit());
        double pretrainMinutes = SpeechExperiment.minutes(t);

        out.printf("%n[3/4] MP3 finetuning: the pretrained encoder, %d updates%n", classify.updates());
        SpeechExperiment.Stage finetuned = experiment.classify("finetune", speech, classify,
                Checkpoint.load(ckpt).encoderWeights(), device, report, out);

        out.printf("%n[4/4] TC-ResNet8 from scratch (the convolutional baseline): its authors' recipe, SGD, %d"
                + " updates%n", classify.updates());
        SpeechExperiment.Stage tcResNet = experiment.tcResNet("tc-resnet8", speech, classify.updates(), device, report,
                out);

        out.printf("%nTable 5 (demo scale): keyword test accuracy (%%) on %d test clips of %s%n",
                speech.test().size(), experiment.data.dir());
        out.printf("%-28s %8s %10s%n", "Model", "Accuracy", "paper");
        out.printf("%-28s %8.1f %10s%n", "TC-ResNet8", 100 * tcResNet.testAccuracy(), "96.1");
        out.printf("%-28s %8.1f %10s%n", "Transformer", 100 * supervised.testAccuracy(), "91.9");
        out.printf("%-28s %8.1f %10s%n", "Transformer + MP3", 100 * finetuned.testAccuracy(), "94.2");
        out.printf("MP3 pretraining (%d updates): test position accuracy top-1 %.1f%%, top-5 %.1f%%"
                        + " (paper, real speech: 4%%, 11%%; chance %.1f%%, %.1f%%)%n", pre.steps(),
                100 * positions.top1(), 100 * positions.top5(), 100.0 / model.frames(), 500.0 / model.frames());
        out.printf("parameters: %,d%n", classifierParameters);

        List<List<?>> csv = new ArrayList<>();
        csv.add(List.of("TC-ResNet8", 0, tcResNet.bestValidation(), tcResNet.testAccuracy(), tcResNet.minutes()));
        csv.add(List.of("Transformer", 0, supervised.bestValidation(), supervised.testAccuracy(), supervised.minutes()));
        csv.add(List.of("Transformer + MP3", pre.steps(), finetuned.bestValidation(), finetuned.testAccuracy(),
                pretrainMinutes + finetuned.minutes()));
        report.writeCsv("metrics.csv", List.of("model", "pretrain_updates", "best_validation_accuracy",
                "test_accuracy", "minutes"), csv);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("supervised_test_accuracy", supervised.testAccuracy());
        metrics.put("supervised_best_validation_accuracy", supervised.bestValidation());
        metrics.put("tc_resnet8_test_accuracy", tcResNet.testAccuracy());
        metrics.put("tc_resnet8_best_validation_accuracy", tcResNet.bestValidation());
        metrics.put("mp3_test_accuracy", finetuned.testAccuracy());
        metrics.put("mp3_best_validation_accuracy", finetuned.bestValidation());
        metrics.put("test_position_top1", positions.top1());
        metrics.put("test_position_top5", positions.top5());
        metrics.put("test_position_top1_frames_without_position", positions.top1WithoutPosition());
        metrics.put("test_position_top5_frames_without_position", positions.top5WithoutPosition());
        metrics.put("pretrain_best_validation_position_top1", pre.bestMetric());
        metrics.put("test_clips", speech.test().size());
        metrics.put("parameters", classifierParameters);
        metrics.put("mean_step_seconds_supervised", supervised.result().meanStepSeconds());
        metrics.put("mean_step_seconds_pretrain", pre.meanStepSeconds());
        metrics.put("mean_step_seconds_finetune", finetuned.result().meanStepSeconds());
        metrics.put("total_minutes", SpeechExperiment.minutes(start));
        report.writeJson("metrics.json", metrics);
        Chart curves = new Chart("Validation accuracy", "update", "accuracy")
                .line("supervised", steps(supervised.result()), metrics(supervised.result()))
                .line("MP3 + finetune", steps(finetuned.result()), metrics(finetuned.result()))
                .line("TC-ResNet8", steps(tcResNet.result()), metrics(tcResNet.result()));
        report.writeChart("validation-accuracy.png", curves);
        out.printf("%nreport: %s (%.1f minutes)%n", report.dir(), SpeechExperiment.minutes(start));
        return 0;
    }

    private static double[] steps(Trainer.Result r) {
        return r.history().stream().mapToDouble(Trainer.Report::step).toArray();
    }

    private static double[] metrics(Trainer.Result r) {
        return r.history().stream().mapToDouble(Trainer.Report::metric).toArray();
    }
}

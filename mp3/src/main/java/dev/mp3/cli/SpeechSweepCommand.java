package dev.mp3.cli;

import dev.mp3.method.Pipeline;
import dev.mp3.method.PositionAccuracy;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.RunFiles;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.train.Trainer;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.report.Chart;
import dev.mp3.report.ReportDir;
import dev.mp3.speech.SpeechData;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The paper's Table 6 in miniature: finetuning accuracy after different amounts of MP3 pretraining.
 * One pretraining run to the longest length writes a snapshot at every length asked for; each
 * snapshot holds exactly the weights a run of that many updates would end with (the schedule does
 * not depend on the run's length, and the snapshot's best-validation weights are those of the
 * validations up to it). Length 0 is the supervised baseline.
 */
@Command(name = "speech-sweep", mixinStandardHelpOptions = true,
        description = {"Table 6 at small scale: finetune after 0 (supervised), N1, N2, ... MP3 pretraining updates,"
                + " with the same scaled recipe as speech-demo; prints validation (as the paper's Table 6) and test"
                + " accuracy per pretraining length and writes a report folder."})
public final class SpeechSweepCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SpeechExperiment experiment;

    @Option(names = "--pretrain-updates", split = ",", defaultValue = "0,100,200,400",
            description = "Pretraining lengths to finetune from; 0 is training from scratch (default ${DEFAULT-VALUE}).")
    int[] lengths;

    @Option(names = "--pe-fraction", defaultValue = "0.05",
            description = "Share of frames given their position in pretraining (default ${DEFAULT-VALUE}).")
    float peFraction;

    private record Row(int pretrainUpdates, double positionTop1, double positionTop5, double bestValidation,
                       double testAccuracy) {}

    @Override
    public Integer call() throws Exception {
        int[] sorted = Arrays.stream(lengths).distinct().sorted().toArray();
        if (sorted.length == 0 || sorted[0] < 0) {
            throw new IllegalArgumentException("--pretrain-updates: expected lengths >= 0, got "
                    + Arrays.toString(lengths));
        }
        PrintWriter out = spec.commandLine().getOut();
        Device device = experiment.runtime.open();
        long start = System.nanoTime();
        SpeechData speech = experiment.loadOrMake(out);
        ReportDir report = ReportDir.newRun(experiment.reports, "speech-sweep", LocalDateTime.now());
        SpeechRecipe classify = experiment.recipe(SpeechRecipe.classify(), experiment.updates);
        int longest = sorted[sorted.length - 1];
        SpeechConfig model = SpeechDataOptions.paperModel(speech);
        Map<String, Object> config = experiment.config(model, classify);
        config.put("pretrain_updates", sorted);

        Map<Integer, Path> snapshots = new LinkedHashMap<>();
        if (longest > 0) {
            SpeechRecipe pretrain = experiment.recipe(SpeechRecipe.pretrain(), longest).withPositionFraction(peFraction);
            config.put("pretrain", pretrain);
            out.printf("MP3 pretraining for %d updates, snapshots at %s%n", longest, Arrays.toString(sorted));
            Trainer trainer = Pipeline.pretraining(model, speech, pretrain, device).trainer();
            for (int n : sorted) {
                if (n > 0) {
                    snapshots.put(n, report.file("pretrain-" + n + ".safetensors"));
                    trainer.snapshotAt(n, snapshots.get(n));
                }
            }
            Trainer.Result pre = trainer.run();
            RunFiles.writeHistory(report, "pretrain", pre.history(), trainer.task().metric(), trainer.task().unit());
        }
        report.writeJson("config.json", config);

        List<Row> rows = new ArrayList<>();
        for (int n : sorted) {
            SpeechExperiment.Stage stage;
            double top1 = Double.NaN;
            double top5 = Double.NaN;
            if (n == 0) {
                out.printf("%nsupervised from scratch, %d updates%n", classify.updates());
                stage = experiment.classify("finetune-0", speech, classify, null, device, report, out);
            } else {
                Checkpoint snapshot = Checkpoint.load(snapshots.get(n));
                SpeechTransformer pre = new SpeechTransformer(snapshot.model(SpeechConfig.class), new Rng(0));
                pre.loadStateDict(snapshot.encoderWeights(), true);
                pre.to(device);
                out.printf("%nafter %d pretraining updates (weights of update %d):%n", n, snapshot.progress().bestStep());
                PositionAccuracy.Speech a = SpeechExperiment.positions(pre, speech,
                        snapshot.recipe(SpeechRecipe.class), device, out);
                top1 = a.top1();
                top5 = a.top5();
                stage = experiment.classify("finetune-" + n, speech, classify, snapshot.encoderWeights(), device, report, out);
            }
            rows.add(new Row(n, top1, top5, stage.bestValidation(), stage.testAccuracy()));
        }

        out.printf("%nTable 6 (demo scale): accuracy (%%) after finetuning with different amounts of MP3"
                + " pretraining (PT), %.0f%% of frames given their position%n", 100 * peFraction);
        out.printf("%-10s %12s %12s %10s %10s%n", "PT", "validation", "test", "pos top-1", "pos top-5");
        List<List<?>> csv = new ArrayList<>();
        for (Row r : rows) {
            out.printf("%-10s %12.1f %12.1f %10s %10s%n", r.pretrainUpdates() == 0 ? "none" : r.pretrainUpdates(),
                    100 * r.bestValidation(), 100 * r.testAccuracy(), percent(r.positionTop1()),
                    percent(r.positionTop5()));
            csv.add(List.of(r.pretrainUpdates(), r.bestValidation(), r.testAccuracy(), r.positionTop1(),
                    r.positionTop5()));
        }
        out.println("(paper, real Speech Commands, validation: 1K PT 91.7, 5K 93.3, 10K 94.2, 25K 93.1, 50K 93.8)");
        report.writeCsv("sweep.csv", List.of("pretrain_updates", "best_validation_accuracy", "test_accuracy",
                "test_position_top1", "test_position_top5"), csv);
        List<Map<String, Object>> json = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pretrain_updates", r.pretrainUpdates());
            m.put("best_validation_accuracy", r.bestValidation());
            m.put("test_accuracy", r.testAccuracy());
            m.put("test_position_top1", r.positionTop1());
            m.put("test_position_top5", r.positionTop5());
            json.add(m);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rows", json);
        metrics.put("total_minutes", SpeechExperiment.minutes(start));
        report.writeJson("metrics.json", metrics);
        double[] x = rows.stream().mapToDouble(Row::pretrainUpdates).toArray();
        report.writeChart("sweep.png", new Chart("Accuracy after finetuning vs MP3 pretraining updates",
                "pretraining updates", "accuracy")
                .line("validation", x, rows.stream().mapToDouble(Row::bestValidation).toArray())
                .line("test", x, rows.stream().mapToDouble(Row::testAccuracy).toArray()));
        out.printf("%nreport: %s (%.1f minutes)%n", report.dir(), SpeechExperiment.minutes(start));
        return 0;
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f", 100 * v);
    }
}

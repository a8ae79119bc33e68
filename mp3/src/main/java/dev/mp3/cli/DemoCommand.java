package dev.mp3.cli;

import dev.mp3.data.ImageDataset;
import dev.mp3.data.Splits;
import dev.mp3.eval.Evaluation;
import dev.mp3.method.ContextMasking;
import dev.mp3.method.Pipeline;
import dev.mp3.method.PositionAccuracy;
import dev.mp3.method.Reconstruction;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.Chart;
import dev.mp3.report.ReportDir;
import dev.mp3.tensor.Device;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The paper's experiment in miniature on the embedded Fashion-MNIST subset: MP3 pretraining on all
 * training images without labels, finetuning on a tenth of the labels with absolute and with no
 * position embedding, and the two supervised baselines on the same labels and recipe; a table shaped
 * like the paper's Table 3 and a report folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "MP3 end to end on the embedded Fashion-MNIST subset: pretrain, finetune (abs PE, no PE),"
                + " supervised baselines, a Table-3-style summary and a report folder.")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--out", defaultValue = "reports", description = "Parent folder of the report (default ${DEFAULT-VALUE}).")
    Path reports;

    @Option(names = "--pretrain-epochs", defaultValue = "4", description = "MP3 pretraining epochs (default ${DEFAULT-VALUE}).")
    int pretrainEpochs;

    @Option(names = "--finetune-epochs", defaultValue = "15", description = "Finetuning/supervised epochs (default ${DEFAULT-VALUE}).")
    int finetuneEpochs;

    @Option(names = "--eta", defaultValue = "0.75", description = "Pretraining masking ratio (default ${DEFAULT-VALUE}).")
    float eta;

    @Option(names = "--label-fraction", defaultValue = "0.1", description = "Share of labels for finetuning (default ${DEFAULT-VALUE}).")
    double labelFraction;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    private record Row(String method, int ptEpochs, String pe, double accuracy, double minutes) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        long start = System.nanoTime();
        Splits data = dev.mp3.data.FashionMnist.embedded();
        ImageDataset labelled = data.train().labelFraction(labelFraction, seed);
        ReportDir report = ReportDir.newRun(reports, "demo", LocalDateTime.now());
        ViTConfig encoder = ViTConfig.fashionMnist().withWidth(128, 6, 4).withRegularisation(0f, 0.1f);
        ImageRecipe pretrain = ImageRecipe.pretrain(pretrainEpochs, eta).withSeed(seed);
        // Batch 64 at the peak learning rate of 1e-3 the defaults give batch 128 (base 8e-3 per 512).
        ImageRecipe classify = ImageRecipe.classify(finetuneEpochs).withSeed(seed).withBatchSize(64).withPeakLr(1e-3f);

        out.printf("MP3 demo: pretrain on %d unlabelled images, finetune on %d labels (%.0f%%), test on %d; report in %s%n",
                data.train().size(), labelled.size(), 100 * labelFraction, data.test().size(), report.dir());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("encoder", encoder);
        config.put("pretrain", pretrain);
        config.put("classify", classify);
        config.put("label_fraction", labelFraction);
        config.put("data", "embedded Fashion-MNIST subset (10,000 train / 2,000 test)");
        report.writeJson("config.json", config);

        // 1. MP3 pretraining.
        long t = System.nanoTime();
        out.printf("%n[1/5] MP3 pretraining: eta %.2f (%d of %d tokens are context), %d epochs%n", eta,
                ContextMasking.contextSize(encoder.numPatches(), eta), encoder.numPatches(), pretrainEpochs);
        Pipeline.Run<VisionTransformer> mp3 = Pipeline.pretraining(encoder, data.train(), pretrain, device);
        Path encoderFile = report.file("pretrain.safetensors");
        Trainer.Result pre = mp3.trainer().checkpointTo(encoderFile, 0).run();
        double pretrainMinutes = minutes(t);
        var positions = PositionAccuracy.images(mp3.model(), data.test(), new float[] {0f, 0.25f, 0.5f, 0.75f},
                Evaluation.BATCH, 1, device);
        for (var a : positions) {
            out.printf("  position accuracy at test eta %.2f: %5.1f%% (non-blank patches %5.1f%%)%n", a.eta(),
                    100 * a.all(), 100 * a.nonBlank());
        }
        report.writePng("reconstruction.png", Reconstruction.render(mp3.model(), data.test(),
                new int[] {0, 1, 2, 3, 4, 5}, new float[] {0f, 0.25f, 0.5f, 0.75f}, seed, device));

        // 2-5. Finetuning and the supervised baselines: same model, recipe and labels.
        List<Row> rows = new ArrayList<>();
        Map<String, Trainer.Result> curves = new LinkedHashMap<>();
        String[][] runs = {{"MP3", "abs"}, {"MP3", "none"}, {"supervised", "abs"}, {"supervised", "none"}};
        int index = 2;
        for (String[] run : runs) {
            boolean pretrained = run[0].equals("MP3");
            PositionEmbedding pe = run[1].equals("abs") ? PositionEmbedding.LEARNED : PositionEmbedding.NONE;
            out.printf("%n[%d/5] %s, %s position embedding, %d epochs on %d labels%n", index++,
                    pretrained ? "MP3 finetuning" : "supervised from scratch", run[1], finetuneEpochs, labelled.size());
            t = System.nanoTime();
            // The classifiers' initialisation stream (seed + 1) differs from the pretraining's (seed).
            Pipeline.Run<VisionTransformer> fit = Pipeline.finetuning(pretrained ? mp3.model().stateDict() : null,
                    encoder, pe, labelled, classify, seed + 1, device);
            if (pretrained) {
                out.printf("  encoder loaded; new: %s%n", fit.loaded().missing());
            }
            Trainer trainer = fit.trainer().label(pretrained ? "finetune" : "supervised");
            if (pretrained) {
                trainer.checkpointTo(report.file("finetune-" + run[1] + ".safetensors"), 0);
            }
            Trainer.Result result = trainer.run();
            double acc = Evaluation.accuracy(fit.model(), data.test(), Evaluation.BATCH, device);
            out.printf("  test accuracy %.2f%%%n", 100 * acc);
            rows.add(new Row(run[0], pretrained ? pretrainEpochs : 0, run[1], acc, minutes(t)));
            curves.put(run[0] + " " + run[1], result);
        }

        // Summary: the paper's Table 3 layout.
        out.printf("%nTable 3 (demo scale): Fashion-MNIST subset, %d labels, test on %d images%n",
                labelled.size(), data.test().size());
        out.printf("%-12s %-10s %-6s %-9s%n", "Method", "PT epochs", "PE", "Accuracy");
        List<List<?>> csv = new ArrayList<>();
        List<Map<String, Object>> json = new ArrayList<>();
        for (Row r : rows) {
            out.printf("%-12s %-10d %-6s %6.2f%%%n", r.method, r.ptEpochs, r.pe, 100 * r.accuracy);
            csv.add(List.of(r.method, r.ptEpochs, r.pe, r.accuracy, r.minutes));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", r.method);
            m.put("pretrain_epochs", r.ptEpochs);
            m.put("position_embedding", r.pe);
            m.put("test_accuracy", r.accuracy);
            m.put("minutes", r.minutes);
            json.add(m);
        }
        report.writeCsv("metrics.csv", List.of("method", "pretrain_epochs", "position_embedding", "test_accuracy",
                "minutes"), csv);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("classification", json);
        List<Map<String, Object>> pos = new ArrayList<>();
        for (var a : positions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("test_eta", a.eta());
            m.put("accuracy", a.all());
            m.put("accuracy_non_blank", a.nonBlank());
            pos.add(m);
        }
        metrics.put("position_accuracy", pos);
        metrics.put("pretrain_minutes", pretrainMinutes);
        metrics.put("total_minutes", minutes(start));
        report.writeJson("metrics.json", metrics);
        writeCurves(report, pre, curves);
        out.printf("%nreport: %s (%.1f minutes)%n", report.dir(), minutes(start));
        out.printf("checkpoints in it: pretrain.safetensors (the MP3 encoder), finetune-abs.safetensors and"
                + " finetune-none.safetensors; to use them:%n");
        Path tuned = report.file("finetune-abs.safetensors");
        out.printf("  ./mp3.sh eval --checkpoint %s                 # position accuracy per test eta%n", encoderFile);
        out.printf("  ./mp3.sh reconstruct --checkpoint %s --out reconstruction.png%n", encoderFile);
        out.printf("  ./mp3.sh finetune --init %s --label-fraction %s --pe none --out runs/finetune%n", encoderFile,
                labelFraction);
        out.printf("  ./mp3.sh eval --checkpoint %s                 # test accuracy%n", tuned);
        return 0;
    }

    private static void writeCurves(ReportDir report, Trainer.Result pre, Map<String, Trainer.Result> runs)
            throws java.io.IOException {
        report.writeChart("pretrain-loss.png", new Chart("MP3 pretraining loss", "update", "position loss")
                .line("pretrain", updates(pre), losses(pre)));
        Chart c = new Chart("Finetuning and supervised training loss", "update", "training loss");
        runs.forEach((name, r) -> c.line(name, updates(r), losses(r)));
        report.writeChart("classification-loss.png", c);
    }

    private static double[] updates(Trainer.Result r) {
        return r.history().stream().mapToDouble(Trainer.Report::step).toArray();
    }

    private static double[] losses(Trainer.Result r) {
        return r.history().stream().mapToDouble(Trainer.Report::trainLoss).toArray();
    }

    private static double minutes(long since) {
        return (System.nanoTime() - since) / 60e9;
    }
}

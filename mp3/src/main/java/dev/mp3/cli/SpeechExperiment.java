package dev.mp3.cli;

import dev.mp3.eval.Evaluation;
import dev.mp3.method.Pipeline;
import dev.mp3.method.PositionAccuracy;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.TcResNet8;
import dev.mp3.nn.TcResNetConfig;
import dev.mp3.tensor.Rng;
import dev.mp3.report.ReportDir;
import dev.mp3.speech.SpeechCommandsLayout;
import dev.mp3.speech.SpeechData;
import dev.mp3.speech.SyntheticSpeech;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.RunFiles;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.train.TcResNetClassification;
import dev.mp3.train.Trainer;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options and steps that speech-demo and speech-sweep share: the synthetic set made when it is
 * missing, one recipe for every stage ("all pretraining and finetuning models are trained with
 * exactly the same experimental setting"), scaled down so the demo fits in minutes on 2 cores, and
 * pretraining / classification runs whose curves go into one report folder.
 */
final class SpeechExperiment {
    @Mixin SpeechDataOptions data;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports", description = "Parent folder of the report (default ${DEFAULT-VALUE}).")
    Path reports;

    @Option(names = "--updates", defaultValue = "200",
            description = "Updates of the supervised baseline and of finetuning (default ${DEFAULT-VALUE}; paper 30000).")
    int updates;

    @Option(names = "--batch", defaultValue = "32", description = "Clips per update (default ${DEFAULT-VALUE}; paper 256).")
    int batch;

    @Option(names = "--warmup-updates", defaultValue = "25",
            description = "Updates at the warm-up rate 1e-4 (default ${DEFAULT-VALUE}; paper 500).")
    int warmupUpdates;

    @Option(names = "--decay-every", defaultValue = "100",
            description = "The rate 1e-3 halves every this many updates (default ${DEFAULT-VALUE}; paper 10000).")
    int decayEvery;

    @Option(names = "--eval-every", defaultValue = "50", description = "Updates between validations (default ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--patience", defaultValue = "0", description = "Validations without improvement before"
            + " stopping; every run keeps its best validation's weights. 0: never stop early (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    /** The same scaled schedule for every stage. */
    SpeechRecipe recipe(SpeechRecipe base, int runUpdates) {
        return base.withSeed(seed).withUpdates(runUpdates).withBatchSize(batch)
                .withSchedule(base.warmupLr(), warmupUpdates, base.lr(), decayEvery)
                .withValidation(evalEvery, patience);
    }

    /** What every experiment's config.json starts with: the model, the classification recipe and the data. */
    Map<String, Object> config(SpeechConfig model, SpeechRecipe classify) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", model);
        config.put("classify", classify);
        config.put("data", data.dir().toString());
        config.put("data_seed", data.dataSeed);
        return config;
    }

    /**
     * The data at --data, synthesised first (every installed synthesiser, under a minute) when the directory does
     * not exist or holds an unfinished synthetic set (a manifest but no test list yet).
     */
    SpeechData loadOrMake(PrintWriter out) throws IOException {
        Path dir = data.dir();
        boolean unfinished = Files.exists(dir.resolve(SyntheticSpeech.MANIFEST))
                && !Files.exists(dir.resolve(SpeechCommandsLayout.TESTING_LIST));
        if (!Files.exists(dir) || unfinished) {
            out.printf("%s: making the synthetic keyword set there (%s; one to two minutes on 2 cores)%n",
                    dir, unfinished ? "finishing an interrupted run" : "the demo's 3,500 clips");
            SyntheticSpeech.Result r = SyntheticSpeech.generate(dir, SyntheticSpeech.Options.demo());
            out.printf("wrote %d clips in %.0f s%n", r.clips(), r.seconds());
        }
        return data.load(out);
    }

    /**
     * One stage's outcome: the best validation metric, the test accuracy and the training curves.
     * Each stage leaves its checkpoint in the report as {@code LABEL.safetensors}.
     */
    record Stage(double bestValidation, double testAccuracy, Trainer.Result result, double minutes) {}

    /** A classifier trained from {@code encoder} (pretrained weights) or from scratch (null). */
    Stage classify(String label, SpeechData speech, SpeechRecipe recipe, Map<String, Tensor> encoder, Device device,
                   ReportDir report, PrintWriter out) throws IOException {
        long t = System.nanoTime();
        Pipeline.Run<SpeechTransformer> fit = Pipeline.finetuning(encoder, SpeechDataOptions.paperModel(speech),
                speech, recipe, device);
        if (encoder != null) {
            out.printf("  encoder loaded; new: %s%n", fit.loaded().missing());
        }
        // The run's checkpoint stays in the report (speech-eval reads it: accuracy per class and voice).
        Trainer.Result result = fit.trainer().label(label).checkpointTo(report.file(label + ".safetensors"), 0)
                .recording(dataSettings()).run();
        double test = Evaluation.accuracy(fit.model(), speech.test(), recipe.positionFraction(), Evaluation.BATCH, 1,
                device);
        RunFiles.writeHistory(report, label, result.history(), fit.trainer().task().metric(),
                fit.trainer().task().unit());
        out.printf("  best validation accuracy %.2f%% (update %d), test accuracy %.2f%%%n",
                100 * result.bestMetric(), result.bestStep(), 100 * test);
        return new Stage(result.bestMetric(), test, result, minutes(t));
    }

    /**
     * TC-ResNet8 from scratch with its authors' recipe scaled to {@code updates} as the
     * Transformers' is: SGD at 0.1, divided by 10 after a third and two thirds of the run, the
     * batch-norm momentum spanning the same share of the run as theirs ({@link TcResNetConfig#scaledMomentum}).
     */
    Stage tcResNet(String label, SpeechData speech, int runUpdates, Device device, ReportDir report, PrintWriter out)
            throws IOException {
        long t = System.nanoTime();
        SpeechRecipe recipe = SpeechRecipe.tcResNet().withSeed(seed).withUpdates(runUpdates).withBatchSize(batch)
                .withSchedule(0.1f, 0, 0.1f, Math.max(1, runUpdates / 3)).withValidation(evalEvery, patience);
        TcResNet8 net = new TcResNet8(TcResNetConfig.paper(speech.config().mfcc().coefficients(),
                speech.classes().size()).withBnMomentum(TcResNetConfig.scaledMomentum(runUpdates)), new Rng(seed));
        net.to(device);
        Trainer trainer = new Trainer(new TcResNetClassification(net, speech.train(), speech.validation(), recipe,
                device), recipe, label);
        Trainer.Result result = trainer.checkpointTo(report.file(label + ".safetensors"), 0).recording(dataSettings())
                .run();
        double test = Evaluation.accuracy(net, speech.test(), Evaluation.BATCH, device);
        RunFiles.writeHistory(report, label, result.history(), trainer.task().metric(), trainer.task().unit());
        out.printf("  best validation accuracy %.2f%% (update %d), test accuracy %.2f%%%n",
                100 * result.bestMetric(), result.bestStep(), 100 * test);
        return new Stage(result.bestMetric(), test, result, minutes(t));
    }

    /** What a stage's checkpoint records about its data, as the training commands' do (speech-eval reads it). */
    private Map<String, String> dataSettings() {
        return Map.of("data", data.dir().toAbsolutePath().normalize().toString(), "data_seed",
                Long.toString(data.dataSeed), "silence", data.silence.name());
    }

    /** Reports the position accuracy of a pretrained model on the test clips. */
    static PositionAccuracy.Speech positions(SpeechTransformer net, SpeechData speech, SpeechRecipe recipe,
                                             Device device, PrintWriter out) {
        PositionAccuracy.Speech a = PositionAccuracy.speech(net, speech.test(), recipe.positionFraction(),
                Evaluation.BATCH, 1, device);
        out.printf("position accuracy on %d test clips (%.0f%% of frames given their position): top-1 %.1f%%,"
                        + " top-5 %.1f%%; frames without position: top-1 %.1f%%, top-5 %.1f%% (chance %.1f%%, %.1f%%)%n",
                speech.test().size(), 100 * recipe.positionFraction(), 100 * a.top1(), 100 * a.top5(),
                100 * a.top1WithoutPosition(), 100 * a.top5WithoutPosition(), 100.0 / net.config.frames(),
                500.0 / net.config.frames());
        return a;
    }

    static double minutes(long since) {
        return (System.nanoTime() - since) / 60e9;
    }
}

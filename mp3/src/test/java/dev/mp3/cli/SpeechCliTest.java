package dev.mp3.cli;

import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.method.PositionPrediction;
import dev.mp3.speech.TinySpeech;
import dev.mp3.tensor.Rng;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.ImageRecipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The speech commands run as a user runs them (through the top-level command line and its error
 * handler) on a tiny directory in the real Speech Commands v1 layout, with the paper's model and a
 * handful of updates.
 */
class SpeechCliTest {

    @TempDir
    static Path shared;
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeData() throws Exception {
        data = TinySpeech.write(shared.resolve("speech_commands_v0.01"));
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Options every run below shares: the tiny data, 4 updates of 8 clips, validation every 2. */
    private static String[] tiny(String command, String... more) {
        return Stream.concat(Stream.of(command, "--data", data.toString(), "--batch", "8", "--warmup-updates", "1",
                "--eval-every", "2"), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void mainListsTheSpeechCommands() {
        assertThat(Main.commandLine().getSubcommands()).containsKeys("speech-pretrain", "speech-finetune",
                "speech-train", "speech-eval", "speech-demo", "speech-sweep");
    }

    @Test
    void pretrainThenFinetuneThenTheSupervisedBaseline() throws Exception {
        Path pre = dir.resolve("pre");
        Run p = run(tiny("speech-pretrain", "--updates", "4", "--out", pre.toString()));
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).contains("data: " + data + ": 24 train, 12 validation, 12 test clips, 12 classes")
                .contains("position embedding on 5 per clip (5%), 72,994 parameters")
                .containsPattern("position accuracy on 12 test clips .*: top-1 [0-9.]+%, top-5 [0-9.]+%")
                .contains("ran all 4 updates");
        assertThat(pre.resolve("metrics.json")).content().contains("\"test_position_top5\"");
        assertThat(pre.resolve("pretrain-history.csv")).content()
                .startsWith("update,train_loss,lr,validation_position_top1,seconds").contains("\n2,").contains("\n4,");
        assertThat(pre.resolve("pretrain-validation.png")).exists();
        Path ckpt = pre.resolve("checkpoint.safetensors");
        assertThat(Checkpoint.load(ckpt).finished()).isTrue();

        assertThat(Checkpoint.load(ckpt).run()).containsEntry("data", data.toString()).containsEntry("data_seed", "0")
                .containsEntry("silence", "ZEROS");

        // A finished run resumes to the same end without training, its whole history kept; the data and
        // recipe options may be left out (they are the run's), and any given must equal the run's.
        String history = Files.readString(pre.resolve("pretrain-history.csv"));
        Run again = run("speech-pretrain", "--out", pre.toString(), "--resume", "--batch", "8");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("resuming " + ckpt + " at update 4 of 4")
                .contains("data: " + data + ": 24 train").doesNotContain("note:");
        assertThat(pre.resolve("pretrain-history.csv")).hasContent(history);
        Run updates = run(tiny("speech-pretrain", "--out", pre.toString(), "--resume", "--updates", "6"));
        assertThat(updates.exit()).isEqualTo(2);
        assertThat(updates.err()).isEqualTo("error: --resume: --updates 6 differs from the run's 4 (recorded in " + ckpt
                + "); leave out --updates to continue the run, or start it over with --force" + System.lineSeparator());
        assertThat(run(tiny("speech-pretrain", "--out", pre.toString(), "--resume", "--data-seed", "3")).err())
                .contains("--data-seed 3 differs from the run's 0");
        assertThat(run(tiny("speech-pretrain", "--out", pre.toString(), "--resume", "--silence", "BACKGROUND")).err())
                .contains("--silence BACKGROUND differs from the run's ZEROS");
        assertThat(run(tiny("speech-train", "--out", pre.toString(), "--resume")).err())
                .contains(ckpt + " is a pretraining run; resume it with speech-pretrain");

        Path ft = dir.resolve("ft");
        Run f = run(tiny("speech-finetune", "--init", ckpt.toString(), "--updates", "4", "--out", ft.toString()));
        assertThat(f.exit()).as(f.err()).isZero();
        assertThat(f.out()).containsPattern("the pretrained encoder \\(.*\\): position accuracy on 12 test clips")
                .contains("loaded the encoder from " + ckpt).contains("new: [head.weight, head.bias]")
                .contains("70,156 parameters").containsPattern("speech-finetune: test accuracy [0-9.]+% on 12 clips");
        assertThat(ft.resolve("metrics.json")).content().contains("\"test_accuracy\"")
                .contains("\"init_test_position_top1\"").contains("\"init_test_position_top5\"");
        assertThat(ft.resolve("config.json")).content().contains("\"init\": \"" + ckpt + "\"");
        // Resumed, the run reads the pretrained snapshot again for its position figures: metrics.json
        // keeps the same ones (a resumed run once lost them).
        String positions = positionFigures(ft.resolve("metrics.json"));
        Run resumed = run("speech-finetune", "--out", ft.toString(), "--resume");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming " + ft.resolve("checkpoint.safetensors") + " at update 4 of 4")
                .containsPattern("the pretrained encoder \\(.*\\): position accuracy on 12 test clips");
        assertThat(positionFigures(ft.resolve("metrics.json"))).isEqualTo(positions).contains("top1").contains("top5");

        Path sup = dir.resolve("sup");
        Run s = run(tiny("speech-train", "--updates", "2", "--out", sup.toString()));
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).containsPattern("speech-train: test accuracy [0-9.]+% on 12 clips");
        assertThat(sup.resolve("speech-train-validation.png")).exists();
    }

    /**
     * A finished speech-train run resumed with a larger --updates goes on to the new length and ends
     * bit for bit as a run of that length from the start (weights, best weights, optimizer state,
     * validation history, test accuracy): the equal-total-updates control of the speech comparison
     * is the supervised run extended by the pretraining's updates.
     */
    @Test
    void aFinishedRunExtendedToMoreUpdatesEndsAsALongerRunFromTheStart() throws Exception {
        Path whole = dir.resolve("whole");
        Path extended = dir.resolve("extended");
        assertThat(run(tiny("speech-train", "--updates", "6", "--out", whole.toString())).exit()).isZero();
        assertThat(run(tiny("speech-train", "--updates", "4", "--out", extended.toString())).exit()).isZero();
        Run more = run("speech-train", "--out", extended.toString(), "--resume", "--updates", "6");
        assertThat(more.exit()).as(more.err()).isZero();
        assertThat(more.out()).contains("resuming " + extended.resolve("checkpoint.safetensors") + " at update 4 of 4")
                .contains("extending the run from 4 to 6 updates").contains("ran all 6 updates");
        Checkpoint a = Checkpoint.load(whole.resolve("checkpoint.safetensors"));
        Checkpoint b = Checkpoint.load(extended.resolve("checkpoint.safetensors"));
        assertThat(b.step()).isEqualTo(6);
        assertSameTensors(a.modelState(), b.modelState(), "weights");
        assertSameTensors(a.bestState(), b.bestState(), "best weights");
        assertSameTensors(a.optimizerState(), b.optimizerState(), "optimizer state");
        assertThat(b.progress().history()).hasSize(3);
        for (int i = 0; i < 3; i++) {   // the same rows but for their timings
            var x = a.progress().history().get(i);
            var y = b.progress().history().get(i);
            assertThat(List.of(y.step(), y.trainLoss(), y.lr(), y.metric()))
                    .isEqualTo(List.of(x.step(), x.trainLoss(), x.lr(), x.metric()));
        }
        assertThat(Files.readString(extended.resolve("metrics.json")).replaceAll("\"mean_[a-z_]*\": [^,}]*", ""))
                .isEqualTo(Files.readString(whole.resolve("metrics.json")).replaceAll("\"mean_[a-z_]*\": [^,}]*", ""));

        // A run that validated at an end a longer run would not validate at cannot be extended exactly.
        Path odd = dir.resolve("odd");
        assertThat(run(tiny("speech-train", "--updates", "3", "--out", odd.toString())).exit()).isZero();
        Run refused = run("speech-train", "--out", odd.toString(), "--resume", "--updates", "6");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("--resume --updates 6: the run's 3 updates are not a multiple of its"
                + " --eval-every 2");
        // Fewer updates than the run's are still refused.
        assertThat(run("speech-train", "--out", extended.toString(), "--resume", "--updates", "5").err())
                .contains("--updates 5 differs from the run's 6");
    }

    /**
     * speech-pretrain --snapshots keeps the weights of the updates asked for; the snapshot of update 2
     * holds the same best weights as a 2-update run of the same recipe (the schedule ignores the
     * length), so one long run gives every pretraining length of Table 6.
     */
    @Test
    void pretrainingSnapshotsHoldTheWeightsOfShorterRuns() throws Exception {
        Path longRun = dir.resolve("long");
        Path shortRun = dir.resolve("short");
        Run l = run(tiny("speech-pretrain", "--updates", "4", "--snapshots", "2,4", "--out", longRun.toString()));
        assertThat(l.exit()).as(l.err()).isZero();
        assertThat(run(tiny("speech-pretrain", "--updates", "2", "--out", shortRun.toString())).exit()).isZero();
        Checkpoint two = Checkpoint.load(longRun.resolve("pretrain-2.safetensors"));
        assertThat(two.step()).isEqualTo(2);
        assertSameTensors(Checkpoint.load(shortRun.resolve("checkpoint.safetensors")).bestState(), two.bestState(),
                "best weights after 2 updates");
        assertSameTensors(Checkpoint.load(longRun.resolve("checkpoint.safetensors")).bestState(),
                Checkpoint.load(longRun.resolve("pretrain-4.safetensors")).bestState(), "best weights after 4 updates");
        Run f = run(tiny("speech-finetune", "--init", longRun.resolve("pretrain-2.safetensors").toString(), "--updates",
                "2", "--out", dir.resolve("ft").toString()));
        assertThat(f.exit()).as(f.err()).isZero();

        Run beyond = run(tiny("speech-pretrain", "--updates", "4", "--snapshots", "2,5", "--out",
                dir.resolve("x").toString()));
        assertThat(beyond.exit()).isEqualTo(2);
        assertThat(beyond.err()).contains("--snapshots 5: expected an update in 1..4 (the run's --updates)");
    }

    /** The init_test_position_* lines of a metrics.json. */
    private static String positionFigures(Path metrics) throws Exception {
        return Files.readAllLines(metrics).stream().filter(l -> l.contains("init_test_position"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static void assertSameTensors(Map<String, dev.mp3.tensor.Tensor> expected,
                                          Map<String, dev.mp3.tensor.Tensor> actual, String what) {
        assertThat(actual.keySet()).as(what).isEqualTo(expected.keySet());
        for (String k : expected.keySet()) {
            if (expected.get(k).dtype() == dev.mp3.tensor.DType.I32) {   // the optimizer's step count
                assertThat(actual.get(k).toIntArray()).as(what + " " + k).isEqualTo(expected.get(k).toIntArray());
                continue;
            }
            float[] e = expected.get(k).toFloatArray();
            float[] x = actual.get(k).toFloatArray();
            assertThat(x.length).as(what + " " + k).isEqualTo(e.length);
            for (int i = 0; i < e.length; i++) {
                assertThat(Float.floatToRawIntBits(x[i])).as(what + " " + k + "[" + i + "]")
                        .isEqualTo(Float.floatToRawIntBits(e[i]));
            }
        }
    }

    @Test
    void tcResNet8TrainsWithItsOwnRecipeAndResumes() throws Exception {
        Path tc = dir.resolve("tc");
        Run r = run(tiny("speech-train", "--model", "tc-resnet8", "--updates", "4", "--checkpoint-every", "2",
                "--out", tc.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("TC-ResNet8, 24 training clips, 12 classes, 65,168 parameters, SGD with momentum"
                + " 0.90 and weight decay 0.0010, 4 updates of 8 clips, batch-norm momentum 1.00")
                .containsPattern("tc-resnet8: test accuracy [0-9.]+% on 12 clips");
        assertThat(tc.resolve("config.json")).content().contains("\"optimizer\": \"SGD\"")
                .contains("\"decayFactor\": 0.1");
        assertThat(tc.resolve("metrics.json")).content().contains("\"test_accuracy\"");
        Run again = run(tiny("speech-train", "--model", "tc-resnet8", "--out", tc.toString(), "--resume"));
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("resuming " + tc.resolve("checkpoint.safetensors") + " at update 4 of 4");
        Run wrongModel = run(tiny("speech-train", "--out", tc.toString(), "--resume"));
        assertThat(wrongModel.exit()).isEqualTo(2);
        assertThat(wrongModel.err()).contains("tc-resnet");
        Run pe = run(tiny("speech-train", "--model", "tc-resnet8", "--pe-fraction", "0.5", "--out",
                dir.resolve("pe").toString()));
        assertThat(pe.err()).contains("--pe-fraction: TC-ResNet8 has no position embedding");
        Run bnDiffers = run(tiny("speech-train", "--model", "tc-resnet8", "--out", tc.toString(), "--resume",
                "--bn-momentum", "0.5"));
        assertThat(bnDiffers.err()).contains("--bn-momentum 0.5 differs from the run's 1.0");
        Run bnTransformer = run(tiny("speech-train", "--bn-momentum", "0.5", "--out", dir.resolve("bn").toString()));
        assertThat(bnTransformer.err()).contains("--bn-momentum: the speech Transformer has no batch norm");
        Run bad = run(tiny("speech-train", "--model", "resnet50"));
        assertThat(bad.err()).contains("expected transformer or tc-resnet8, got 'resnet50'");
    }

    /**
     * speech-eval reads the run's data and weights: its overall accuracy is speech-train's, and on a
     * set with a manifest the voices partition the clips (counts add up, accuracies average to the
     * overall one).
     */
    @Test
    void speechEvalBreaksTheTestAccuracyDownByClassAndVoice() throws Exception {
        Path withManifest = TinySpeech.write(dir.resolve("voiced"));
        StringBuilder manifest = new StringBuilder("# synthetic-speech test\npath\tsplit\tsynthesiser\tvoice\n");
        List<String> words = new java.util.ArrayList<>(dev.mp3.speech.SpeechDataConfig.COMMAND_WORDS);
        words.addAll(TinySpeech.OTHER_WORDS);
        for (int w = 0; w < words.size(); w++) {
            for (int s = 0; s < 4; s++) {
                manifest.append(words.get(w)).append('/').append(String.format("%08x_nohash_0.wav", 0x5eed00 + s))
                        .append(w % 2 == 0 ? "\ttest\tespeak-ng\tf1\n" : "\ttest\tflite\tslt\n");
            }
        }
        Files.writeString(withManifest.resolve("manifest.tsv"), manifest);
        Path tc = dir.resolve("tc");
        Run train = run("speech-train", "--model", "tc-resnet8", "--data", withManifest.toString(), "--batch", "8",
                "--updates", "3", "--eval-every", "3", "--out", tc.toString());
        assertThat(train.exit()).as(train.err()).isZero();
        String trained = train.out().replaceAll("(?s).*tc-resnet8: test accuracy ([0-9.]+)%.*", "$1");

        Run eval = run("speech-eval", "--checkpoint", tc.resolve("checkpoint.safetensors").toString());
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("TC-ResNet8, best validation's weights, update 3")
                .contains("test accuracy " + trained + "% on 12 clips").contains("by class:").contains("by voice");
        var voice = java.util.regex.Pattern.compile("  (espeak-ng|flite slt|silence)\\s+([0-9.]+)% of ([0-9]+)")
                .matcher(eval.out().substring(eval.out().indexOf("by voice")));
        int clips = 0;
        double right = 0;
        Map<String, Integer> counts = new java.util.HashMap<>();
        while (voice.find()) {
            int n = Integer.parseInt(voice.group(3));
            counts.put(voice.group(1), n);
            clips += n;
            right += Double.parseDouble(voice.group(2)) * n / 100;
        }
        // 5 even and 5 odd keywords, the one unknown word's voice, one silence clip.
        assertThat(counts.get("silence")).isEqualTo(1);
        assertThat(counts.get("espeak-ng") + counts.get("flite slt")).isEqualTo(11);
        assertThat(clips).isEqualTo(12);
        assertThat(100 * right / clips).isCloseTo(Double.parseDouble(trained), org.assertj.core.api.Assertions.within(0.01));

        Run transformer = run(tiny("speech-train", "--updates", "2", "--out", dir.resolve("sup").toString()));
        assertThat(transformer.exit()).as(transformer.err()).isZero();
        Run evalT = run("speech-eval", "--checkpoint", dir.resolve("sup/checkpoint.safetensors").toString(),
                "--split", "VALIDATION");
        assertThat(evalT.out()).contains("speech Transformer").containsPattern("validation accuracy [0-9.]+% on 12 clips")
                .doesNotContain("by voice");
        Run pretrained = run(tiny("speech-pretrain", "--updates", "2", "--out", dir.resolve("pre").toString()));
        assertThat(pretrained.exit()).as(pretrained.err()).isZero();
        Run notAClassifier = run("speech-eval", "--checkpoint", dir.resolve("pre/checkpoint.safetensors").toString());
        assertThat(notAClassifier.exit()).isEqualTo(2);
        assertThat(notAClassifier.err()).contains("is not a keyword classifier");
    }

    @Test
    void theDemoAndTheSweepPrintTheirTables() throws Exception {
        Path reports = dir.resolve("reports");
        Run d = run("speech-demo", "--data", data.toString(), "--out", reports.toString(), "--batch", "8",
                "--updates", "2", "--pretrain-updates", "2", "--warmup-updates", "1", "--eval-every", "1");
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).contains("Table 5 (demo scale)").containsPattern("Transformer\\s+[0-9.]+\\s+91.9")
                .containsPattern("Transformer \\+ MP3\\s+[0-9.]+\\s+94.2")
                .containsPattern("TC-ResNet8\\s+[0-9.]+\\s+96.1")
                .containsPattern("test position accuracy top-1 [0-9.]+%, top-5 [0-9.]+%")
                .contains("parameters: 70,156");
        Path demo;
        try (var runs = Files.list(reports)) {
            demo = runs.filter(p -> p.getFileName().toString().startsWith("speech-demo-")).findFirst().orElseThrow();
        }
        for (String file : new String[] {"config.json", "metrics.json", "metrics.csv", "validation-accuracy.png",
                "pretrain-history.csv", "supervised-history.csv", "finetune-history.csv", "tc-resnet8-history.csv",
                "pretrain.safetensors", "supervised.safetensors", "finetune.safetensors", "tc-resnet8.safetensors"}) {
            assertThat(demo.resolve(file)).exists();
        }
        assertThat(demo.resolve("metrics.json")).content().contains("\"mp3_test_accuracy\"")
                .contains("\"tc_resnet8_test_accuracy\"")
                .contains("\"test_position_top1\"");

        Run sw = run("speech-sweep", "--data", data.toString(), "--out", reports.toString(), "--batch", "8",
                "--updates", "2", "--pretrain-updates", "0,1,2", "--warmup-updates", "1", "--eval-every", "1");
        assertThat(sw.exit()).as(sw.err()).isZero();
        assertThat(sw.out()).contains("Table 6 (demo scale)").containsPattern("none\\s+[0-9.]+\\s+[0-9.]+\\s+-\\s+-")
                .containsPattern("\\n1\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")
                .containsPattern("\\n2\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+");
    }

    @Test
    void aMissingDataDirectorySaysHowToMakeOne() {
        Path absent = dir.resolve("absent");
        Run r = run("speech-train", "--data", absent.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("error: --data: " + absent + " is not a directory")
                .contains("make-speech-data " + absent).contains("speech_commands_v0.01");
    }

    @Test
    void aVisionCheckpointGivenToSpeechFinetuneIsNamed() throws Exception {
        Path vit = dir.resolve("vit.safetensors");
        ViTConfig config = new ViTConfig(8, 2, 1, 16, 2, 2, 2f, 2, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
        ViTConfig pretraining = PositionPrediction.pretrainingModel(config);
        Checkpoint.write(vit, new VisionTransformer(pretraining, new Rng(1)), pretraining, ImageRecipe.pretrain(1, 0.5f),
                null, new Checkpoint.Progress(0, 1, 0, 0, 0, 0, Double.NaN, -1, 0, false, List.of()), Map.of());
        Run r = run(tiny("speech-finetune", "--init", vit.toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("error: checkpoint " + vit + " is a vision (ViT, written by pretrain, finetune or train) checkpoint");
    }

    @Test
    void badOptionValuesGetOneClearMessage() {
        Run fraction = run(tiny("speech-pretrain", "--pe-fraction", "2", "--out", dir.resolve("x").toString()));
        assertThat(fraction.exit()).isEqualTo(2);
        assertThat(fraction.err()).contains("error: speech recipe: --pe-fraction must lie in [0, 1], got 2.0");

        Run notANumber = run("speech-train", "--updates", "many");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).contains("Invalid value for option '--updates': 'many' is not an int");

        Run silence = run("speech-train", "--silence", "LOUD");
        assertThat(silence.err()).contains("--silence").contains("ZEROS, BACKGROUND");

        Run noInit = run(tiny("speech-finetune"));
        assertThat(noInit.exit()).isEqualTo(2);
        assertThat(noInit.err()).contains("--init CHECKPOINT is required");

        Run unknown = run("speech-demo", "--epochs", "3");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown options: '--epochs'");

        Run sweep = run("speech-sweep", "--pretrain-updates", "-5");
        assertThat(sweep.exit()).isEqualTo(2);
        assertThat(sweep.err()).contains("--pretrain-updates: expected lengths >= 0");
    }
}

package dev.mp3.cli;

import dev.mp3.eval.Evaluation;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.TcResNet8;
import dev.mp3.nn.TcResNetConfig;
import dev.mp3.speech.SpeechCommandsLayout;
import dev.mp3.speech.SpeechData;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.speech.SyntheticSpeech;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.SpeechRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Keyword accuracy of a speech classifier's checkpoint (the speech Transformer or TC-ResNet8) on
 * the test or validation clips, overall, per class and, on a synthetic set, per voice: which
 * speakers a model gets wrong, since a split holds only a few recorded people.
 */
@Command(name = "speech-eval", mixinStandardHelpOptions = true,
        description = {"Keyword accuracy of a speech-train or speech-finetune checkpoint (its best validation's"
                + " weights) on the test clips (or --split validation): overall, per class, and per voice when"
                + " the data is a make-speech-data set (espeak-ng's variants together; Flite's and Festival's"
                + " voices one by one).", "--data defaults to the data the run trained on."})
public final class SpeechEvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SpeechDataOptions data;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint written by speech-train or speech-finetune.")
    Path checkpoint;

    @Option(names = "--split", defaultValue = "TEST", description = "TEST or VALIDATION (default ${DEFAULT-VALUE}).")
    SpeechCommandsLayout.Split split;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (split == SpeechCommandsLayout.Split.TRAIN) {
            throw new IllegalArgumentException("--split TRAIN: the training split is augmented at random; evaluate"
                    + " TEST or VALIDATION");
        }
        Device device = runtime.open();
        Checkpoint c = Checkpoint.load(checkpoint);
        if (!(c.recipe() instanceof SpeechRecipe recipe) || recipe.task() != SpeechRecipe.Task.CLASSIFY) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " is not a keyword classifier; give one"
                    + " written by speech-train or speech-finetune");
        }
        if (data.root == null && c.run().containsKey("data")) {
            data.root = Path.of(c.run().get("data"));
        }
        SpeechData speech = data.load(out);
        SpeechSplit clips = speech.split(split);
        int[] predicted;
        String model;
        if (c.model() instanceof TcResNetConfig config) {
            TcResNet8 net = new TcResNet8(config, new Rng(0));
            net.loadStateDict(c.encoderWeights(), true);
            net.to(device);
            requireClasses(config.numClasses(), speech);
            predicted = Evaluation.predictions(net, clips, Evaluation.BATCH, device);
            model = "TC-ResNet8";
        } else {
            SpeechConfig config = c.model(SpeechConfig.class);
            SpeechDataOptions.requireFits(config, speech, checkpoint);
            SpeechTransformer net = new SpeechTransformer(config, new Rng(0));
            net.loadStateDict(c.encoderWeights(), true);
            net.to(device);
            predicted = Evaluation.predictions(net, clips, recipe.positionFraction(), Evaluation.BATCH, 1, device);
            model = "speech Transformer";
        }
        String which = c.bestState().isEmpty() ? "weights of update " + c.step()
                : "best validation's weights, update " + c.progress().bestStep();
        out.printf("%s: %s, %s%n", checkpoint, model, which);
        out.printf("%s accuracy %.2f%% on %d clips%n", split.name().toLowerCase(), 100 * Evaluation.accuracy(clips,
                predicted), clips.size());

        Tally byClass = new Tally();
        Tally byVoice = new Tally();
        Map<String, String> voices = SyntheticSpeech.voices(speech.layout().root());
        for (int i = 0; i < predicted.length; i++) {
            boolean right = predicted[i] == clips.label(i);
            byClass.add(clips.classes().get(clips.label(i)), right);
            byVoice.add(voices.getOrDefault(clips.source(i), clips.source(i).startsWith("silence") ? "silence"
                    : "unknown voice"), right);
        }
        out.println("by class:");
        byClass.print(out);
        if (!voices.isEmpty()) {
            out.println("by voice (" + SyntheticSpeech.MANIFEST + "):");
            byVoice.print(out);
        }
        return 0;
    }

    private static void requireClasses(int classes, SpeechData speech) {
        if (classes != speech.classes().size()) {
            throw new IllegalArgumentException("the checkpoint classifies " + classes + " classes, but the data has "
                    + speech.classes().size());
        }
    }

    /** Right and total per group, printed in name order. */
    private static final class Tally {
        private final Map<String, int[]> counts = new TreeMap<>();

        void add(String group, boolean right) {
            int[] c = counts.computeIfAbsent(group, g -> new int[2]);
            c[0] += right ? 1 : 0;
            c[1]++;
        }

        void print(PrintWriter out) {
            counts.forEach((group, c) -> out.printf("  %-36s %6.2f%% of %d%n", group, 100.0 * c[0] / c[1], c[1]));
        }
    }
}

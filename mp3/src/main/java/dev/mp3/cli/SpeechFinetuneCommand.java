package dev.mp3.cli;

import dev.mp3.speech.SpeechData;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Finetuning an MP3-pretrained speech encoder on the keywords (paper Section 4.3). */
@Command(name = "speech-finetune", mixinStandardHelpOptions = true,
        description = {"Finetune a speech-pretrain checkpoint on the 12 keyword classes: its best-validation encoder"
                + " weights, the position head dropped, a fresh classifier on the cls frame, the sinusoidal position"
                + " embedding on every frame (the paper finetunes with position information), the paper's recipe"
                + " (Adam, batch 256, warm-up, step decay, label smoothing 0.1, early stopping on validation"
                + " accuracy).",
                "Prints the test accuracy of the best-validation weights."})
public final class SpeechFinetuneCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SpeechDataOptions data;
    @Mixin SpeechRecipeOptions train;
    @Mixin RuntimeOptions runtime;
    @Mixin SpeechClassifyRun classify;

    @Option(names = "--init", description = "The pretrained checkpoint (written by speech-pretrain); not needed"
            + " with --resume.")
    Path init;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        classify.run.requireInit(init, "speech-finetune", "speech-pretrain");
        RunFolder folder = classify.open("speech-finetune", data, train, out);
        String initPath = folder.setting("init", "--init", init == null ? null
                : init.toAbsolutePath().normalize().toString());
        // A resumed run's weights come from its own checkpoint; the pretrained snapshot is read again, when
        // it is still there, only to report what the pretraining reached (metrics.json's position figures).
        Path initFile = initPath == null ? null : Path.of(initPath);
        Checkpoint pretrained = folder.resume == null ? Checkpoint.load(init, SpeechConfig.class)
                : initFile != null && Files.isRegularFile(initFile) ? Checkpoint.load(initFile, SpeechConfig.class)
                : null;
        if (folder.resume != null && pretrained == null && initFile != null) {
            out.printf("note: the pretrained checkpoint %s is gone; metrics.json will not have its position"
                    + " accuracy%n", initFile);
        }
        if (folder.resume == null && !pretrained.model(SpeechConfig.class).positionHead()) {
            out.printf("note: %s has no position head (a classification run); finetuning its encoder anyway%n",
                    init);
        }
        SpeechData speech = data.load(out);
        classify.run(folder, "speech-finetune", speech, train.apply(SpeechRecipe.classify()), pretrained,
                initFile, device, data.dir().toString(), out);
        return 0;
    }
}

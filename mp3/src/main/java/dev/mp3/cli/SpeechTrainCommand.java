package dev.mp3.cli;

import dev.mp3.speech.SpeechData;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** The supervised baseline: the finetuning model and recipe, from random initialisation. */
@Command(name = "speech-train", mixinStandardHelpOptions = true,
        description = {"Supervised baseline on the 12 keyword classes: the paper's speech Transformer (about 70K"
                + " parameters) from random initialisation, with the same recipe as speech-finetune.",
                "Prints the test accuracy of the best-validation weights."})
public final class SpeechTrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SpeechDataOptions data;
    @Mixin SpeechRecipeOptions train;
    @Mixin RuntimeOptions runtime;
    @Mixin SpeechClassifyRun classify;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        RunFolder folder = classify.open("speech-train", data, train, out);
        SpeechData speech = data.load(out);
        classify.run(folder, "speech-train", speech, train.apply(SpeechRecipe.classify()), null, null, device,
                data.dir().toString(), out);
        return 0;
    }
}

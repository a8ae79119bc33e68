package dev.mp3.cli;

import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.TcResNetConfig;
import dev.mp3.speech.SpeechData;
import dev.mp3.train.SpeechRecipe;
import dev.mp3.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The supervised baselines of Table 5: the finetuning model and recipe from random initialisation,
 * or TC-ResNet8 with its own recipe.
 */
@Command(name = "speech-train", mixinStandardHelpOptions = true,
        description = {"Supervised baseline on the 12 keyword classes: the paper's speech Transformer (about 70K"
                + " parameters) from random initialisation with the same recipe as speech-finetune, or (--model"
                + " tc-resnet8) the paper's convolutional baseline TC-ResNet8 (66K parameters) with its authors'"
                + " recipe: SGD, momentum 0.9, weight decay 1e-3, batch 100, learning rate 0.1 divided by 10 at"
                + " 10k and 20k of 30k updates, no label smoothing. Recipe options given override either.",
                "Prints the test accuracy of the best-validation weights."})
public final class SpeechTrainCommand implements Callable<Integer> {

    /** The model trained. */
    enum Model {
        TRANSFORMER("transformer"), TC_RESNET8("tc-resnet8");

        final String flag;

        Model(String flag) {
            this.flag = flag;
        }

        @Override
        public String toString() {
            return flag;
        }
    }

    @Spec CommandSpec spec;
    @Mixin SpeechDataOptions data;
    @Mixin SpeechRecipeOptions train;
    @Mixin RuntimeOptions runtime;
    @Mixin SpeechClassifyRun classify;

    @Option(names = "--model", defaultValue = "transformer", converter = ModelConverter.class,
            description = "transformer (the paper's speech Transformer) or tc-resnet8 (default ${DEFAULT-VALUE}).")
    Model model;

    @Option(names = "--bn-momentum", description = "tc-resnet8: how far batch norm's running statistics move"
            + " towards each batch's. Default: the authors' 0.003 (TensorFlow decay 0.997) at their 30k updates,"
            + " scaled to span the same share of a shorter run: 1 - 0.997^(30000 / updates).")
    Float bnMomentum;

    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            for (Model m : Model.values()) {
                if (m.flag.equalsIgnoreCase(value)) {
                    return m;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected transformer or tc-resnet8, got '"
                    + value + "'");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        if (model == Model.TC_RESNET8) {
            if (train.peFraction != null) {
                throw new IllegalArgumentException("--pe-fraction: TC-ResNet8 has no position embedding; leave it out");
            }
            RunFolder folder = classify.open("speech-train", TcResNetConfig.class, data, train, out);
            if (folder.resume != null) {
                folder.check("--bn-momentum", bnMomentum, folder.resume.model(TcResNetConfig.class).bnMomentum());
            }
            SpeechData speech = data.load(out);
            SpeechRecipe recipe = train.apply(SpeechRecipe.tcResNet());
            float momentum = bnMomentum != null ? bnMomentum : TcResNetConfig.scaledMomentum(recipe.updates());
            classify.runTcResNet(folder, "tc-resnet8", speech, recipe, momentum, device, data.dir().toString(), out);
            return 0;
        }
        if (bnMomentum != null) {
            throw new IllegalArgumentException("--bn-momentum: the speech Transformer has no batch norm; it applies to"
                    + " --model tc-resnet8");
        }
        RunFolder folder = classify.open("speech-train", SpeechConfig.class, data, train, out);
        SpeechData speech = data.load(out);
        classify.run(folder, "speech-train", speech, train.apply(SpeechRecipe.classify()), null, null, device,
                data.dir().toString(), out);
        return 0;
    }
}

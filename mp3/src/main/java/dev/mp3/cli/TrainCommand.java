package dev.mp3.cli;

import dev.mp3.data.Splits;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.train.NamedRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** The supervised baseline: the finetuning model and recipe, trained from scratch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Supervised baseline: the same ViT and recipe as finetune, from random initialisation.")
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin ModelOptions model;
    @Mixin TrainOptions train;
    @Mixin RuntimeOptions runtime;
    @Mixin ClassifyRun classify;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        RunFolder folder = classify.open("train", data, out);
        Splits splits = data.load();
        NamedRecipe named = train.named();
        ViTConfig encoder = folder.resume != null ? folder.resume.model(ViTConfig.class)
                : model.config(splits.train(), ClassifyRun.parsePe(classify.pe), named);
        model.check(folder, encoder, named);
        classify.run(folder, "train", splits, encoder, train.apply(named.classify()), train, null, null,
                device, data.source, out);
        return 0;
    }
}

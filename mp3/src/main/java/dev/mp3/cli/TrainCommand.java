package dev.mp3.cli;

import dev.mp3.data.Splits;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The supervised baseline: the finetuning model and recipe, trained from scratch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Supervised baseline: the same ViT and recipe as finetune, from random initialisation.")
final class TrainCommand implements Callable<Integer> {
    @Mixin DataOptions data;
    @Mixin ModelOptions model;
    @Mixin TrainOptions train;
    @Mixin RuntimeOptions runtime;
    @Mixin ClassifyRun classify;

    @Option(names = "--out", defaultValue = "runs/train", description = "Run folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Device device = runtime.open();
        Splits splits = data.load();
        ViTConfig vit = model.config(splits.train(), ClassifyRun.parsePe(classify.pe));
        TrainConfig recipe = train.apply(TrainConfig.classify(1), 30);
        classify.run("train", splits, vit, recipe, null, out, device, data.source);
        return 0;
    }
}

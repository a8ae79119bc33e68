package dev.mp3.cli;

import dev.mp3.data.Splits;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Finetuning an MP3-pretrained encoder on labels (paper Section 3.3). */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Finetune an MP3 checkpoint on labels: drop the position head, add the chosen position"
                + " embedding and a cls-token classifier, full attention, every parameter trained.")
final class FinetuneCommand implements Callable<Integer> {
    @Mixin DataOptions data;
    @Mixin TrainOptions train;
    @Mixin RuntimeOptions runtime;
    @Mixin ClassifyRun classify;

    @Option(names = "--init", required = true, description = "The pretrained checkpoint (from pretrain).")
    Path init;

    @Option(names = "--out", defaultValue = "runs/finetune", description = "Run folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Device device = runtime.open();
        Splits splits = data.load();
        ViTConfig pretrained = Checkpoint.load(init).model();
        ViTConfig vit = pretrained.forFinetuning(ClassifyRun.parsePe(classify.pe), splits.train().numClasses());
        if (vit.imageSize() != splits.train().height() || vit.channels() != splits.train().channels()) {
            throw new IllegalArgumentException("--init " + init + " was pretrained on " + vit.imageSize() + "x"
                    + vit.imageSize() + "x" + vit.channels() + " images, but --data gives " + splits.train().height()
                    + "x" + splits.train().width() + "x" + splits.train().channels());
        }
        TrainConfig recipe = train.apply(TrainConfig.classify(1), 30);
        classify.run("finetune", splits, vit, recipe, init, out, device, data.source);
        return 0;
    }
}

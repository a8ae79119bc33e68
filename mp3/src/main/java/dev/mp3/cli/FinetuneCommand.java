package dev.mp3.cli;

import dev.mp3.data.Splits;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.ImageRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** Finetuning an MP3-pretrained encoder on labels (paper Section 3.3). */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Finetune an MP3 checkpoint on labels: drop the position head, add the chosen position"
                + " embedding and a cls-token classifier, full attention, every parameter trained.")
final class FinetuneCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin TrainOptions train;
    @Mixin RuntimeOptions runtime;
    @Mixin ClassifyRun classify;

    @Option(names = "--init", paramLabel = "CHECKPOINT", description = "The pretrained checkpoint (from pretrain);"
            + " not needed with --resume.")
    Path init;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        classify.run.requireInit(init, "finetune", "pretrain");
        RunFolder folder = classify.open("finetune", data, out);
        String initPath = folder.setting("init", "--init", init == null ? null
                : init.toAbsolutePath().normalize().toString());
        Splits splits = data.load();
        ViTConfig encoder = null;
        Map<String, Tensor> weights = null;
        if (folder.resume == null) {
            Checkpoint pretrained = Checkpoint.load(init, ViTConfig.class);
            encoder = pretrained.model(ViTConfig.class);
            if (encoder.imageSize() != splits.train().height() || encoder.channels() != splits.train().channels()) {
                throw new IllegalArgumentException("--init " + init + " was pretrained on " + encoder.imageSize()
                        + "x" + encoder.imageSize() + "x" + encoder.channels() + " images, but --data gives "
                        + splits.train().height() + "x" + splits.train().width() + "x" + splits.train().channels());
            }
            weights = pretrained.encoderWeights();
        }
        ImageRecipe recipe = train.apply(train.named().classify());
        classify.run(folder, "finetune", splits, encoder, recipe, train, weights,
                initPath == null ? null : Path.of(initPath), device, data.source, out);
        return 0;
    }
}

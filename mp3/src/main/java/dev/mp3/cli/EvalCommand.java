package dev.mp3.cli;

import dev.mp3.data.Splits;
import dev.mp3.eval.Evaluation;
import dev.mp3.method.PositionAccuracy;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Test metrics of a checkpoint: top-1 accuracy for a classifier, position accuracy for an MP3 model. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on the test split: top-1 accuracy of a classifier, or position"
                + " accuracy (all and non-blank patches) of an MP3 model at several test masking ratios.")
final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--checkpoint", required = true, description = "A checkpoint written by pretrain, finetune or train.")
    Path checkpoint;

    @Option(names = "--etas", split = ",", defaultValue = "0,0.25,0.5,0.75",
            description = "Test masking ratios for position accuracy (default ${DEFAULT-VALUE}).")
    float[] etas;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        Splits splits = data.load();
        VisionTransformer net = load(checkpoint, device);
        Commands.requireFits(net, splits.test(), checkpoint);
        if (net.head != null) {
            double acc = Evaluation.accuracy(net, splits.test(), Evaluation.BATCH, device);
            out.printf("top-1 accuracy %.2f%% on %d test images of %s%n", 100 * acc, splits.test().size(),
                    splits.test().name());
        }
        if (net.positionHead != null) {
            out.println("position accuracy (all patches / non-blank patches) on " + splits.test().name());
            for (var a : PositionAccuracy.images(net, splits.test(), etas, Evaluation.BATCH, 1, device)) {
                out.printf("  test eta %.2f: %5.1f%% / %5.1f%%%n", a.eta(), 100 * a.all(), 100 * a.nonBlank());
            }
        }
        return 0;
    }

    static VisionTransformer load(Path path, Device device) throws java.io.IOException {
        Checkpoint c = Checkpoint.load(path, ViTConfig.class);
        VisionTransformer net = new VisionTransformer(c.model(ViTConfig.class), new Rng(0));
        net.loadStateDict(c.modelState(), true);
        net.to(device);
        net.eval();
        return net;
    }
}

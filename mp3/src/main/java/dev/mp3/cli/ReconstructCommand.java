package dev.mp3.cli;

import dev.mp3.data.Splits;
import dev.mp3.method.Reconstruction;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.Png;
import dev.mp3.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Paper Figure 2: test images reassembled from an MP3 model's predicted patch positions. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Draw test images reassembled from an MP3 checkpoint's predicted positions, beside the"
                + " input and the context patches, for several test masking ratios (paper Figure 2).")
final class ReconstructCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--checkpoint", required = true, description = "A checkpoint written by pretrain.")
    Path checkpoint;

    @Option(names = "--out", defaultValue = "reconstruction.png", description = "PNG to write (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--images", split = ",", defaultValue = "0,1,2,3,4,5",
            description = "Test image indices (default ${DEFAULT-VALUE}).")
    int[] images;

    @Option(names = "--etas", split = ",", defaultValue = "0,0.25,0.5,0.75",
            description = "Test masking ratios (default ${DEFAULT-VALUE}).")
    float[] etas;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the contexts (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Device device = runtime.open();
        Splits splits = data.load();
        VisionTransformer net = EvalCommand.load(checkpoint, device);
        if (net.positionHead == null) {
            throw new IllegalArgumentException("--checkpoint " + checkpoint + " has no position head; reconstruct needs"
                    + " a model from pretrain");
        }
        Commands.requireFits(net, splits.test(), checkpoint);
        for (int i : images) {
            if (i < 0 || i >= splits.test().size()) {
                throw new IllegalArgumentException("--images: index " + i + " is outside the " + splits.test().size()
                        + " test images");
            }
        }
        Png.write(out, Reconstruction.render(net, splits.test(), images, etas, seed, device));
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}

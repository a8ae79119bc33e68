package dev.mp3.cli;

import dev.mp3.data.Splits;
import dev.mp3.eval.Evaluation;
import dev.mp3.method.ContextMasking;
import dev.mp3.method.Pipeline;
import dev.mp3.method.PositionAccuracy;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.NamedRecipe;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** MP3 pretraining: position prediction on unlabelled images with context masking. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "MP3 pretraining: predict every patch's position from patches without position embeddings,"
                + " keys and values from a random context of the tokens (paper Section 3.2).")
final class PretrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin ModelOptions model;
    @Mixin TrainOptions train;
    @Mixin RunOptions run;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--eta", description = "Masking ratio: M = N - floor(eta N) context tokens (default: the"
            + " recipe's: 0.5 CIFAR-100, 0.8 Tiny ImageNet, 0.75 ImageNet and fmnist).")
    Float eta;

    @Option(names = "--test-etas", split = ",", defaultValue = "0,0.25,0.5,0.75",
            description = "Masking ratios for the final position-accuracy test (default ${DEFAULT-VALUE}).")
    float[] testEtas;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Device device = runtime.open();
        RunFolder folder = RunFolder.open(run, spec, "pretrain", ViTConfig.class, out);
        data.resolve(folder);
        Splits splits = data.load();
        NamedRecipe named;
        ViTConfig encoder;
        ImageRecipe recipe;
        if (folder.resume != null) {
            encoder = folder.resume.model(ViTConfig.class);
            recipe = folder.resume.recipe(ImageRecipe.class);
            if (recipe.task() != ImageRecipe.Task.PRETRAIN) {
                throw new IllegalArgumentException(folder.checkpoint + " is a classification run; resume it with"
                        + " finetune or train");
            }
            train.check(folder, recipe);
            folder.check("--eta", eta, recipe.eta());
            named = train.named();
        } else {
            named = train.named();
            encoder = model.config(splits.train(), PositionEmbedding.NONE, named);
            recipe = train.apply(named.pretrain());
            if (eta != null) {
                recipe = recipe.withEta(eta);
            }
            train.check(folder, recipe);
        }
        model.check(folder, encoder, named);
        out.printf("recipe %s (%s): %d epochs, batch %d, lr %s (peak %.3g), warm-up %s epochs, augmentation: %s%n",
                named.name(), named.summary(), recipe.epochs(), recipe.batchSize(), recipe.lr(), recipe.peakLr(),
                recipe.warmupEpochs(), recipe.augment());
        Pipeline.Run<VisionTransformer> pre = Pipeline.pretraining(encoder, splits.train(), recipe, device);
        VisionTransformer net = pre.model();
        out.printf("MP3 pretraining on %s: %d images, %d positions, eta %.2f (%d context tokens), %,d parameters, %s%n",
                splits.train().name(), splits.train().size(), net.config.numPatches(), recipe.eta(),
                ContextMasking.contextSize(net.config.numPatches(), recipe.eta()), net.parameterCount(), device);
        Map<String, Object> config = new LinkedHashMap<>(TrainOptions.describe(named.name(), recipe));
        config.put("model", net.config);
        config.put("data", data.source);
        folder.writeConfig(config);
        Trainer.Result result = folder.train(pre.trainer());
        folder.writeHistory("pretrain", pre.trainer(), result);
        List<PositionAccuracy.Images> acc = PositionAccuracy.images(net, splits.test(), testEtas, Evaluation.BATCH, 1,
                device);
        List<Map<String, Object>> rows = new ArrayList<>();
        out.println("position accuracy on " + splits.test().name() + " (test eta: all patches / non-blank patches)");
        for (var a : acc) {
            out.printf("  eta %.2f: %5.1f%% / %5.1f%%%n", a.eta(), 100 * a.all(), 100 * a.nonBlank());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("test_eta", a.eta());
            row.put("accuracy", a.all());
            row.put("accuracy_non_blank", a.nonBlank());
            rows.add(row);
        }
        folder.dir.writeJson("position-accuracy.json", rows);
        out.println("checkpoint: " + folder.checkpoint);
        return 0;
    }
}

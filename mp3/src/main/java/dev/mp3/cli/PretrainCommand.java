package dev.mp3.cli;

import dev.mp3.data.Splits;
import dev.mp3.eval.Evaluation;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.ReportDir;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.TrainConfig;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
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
    @Mixin DataOptions data;
    @Mixin ModelOptions model;
    @Mixin TrainOptions train;
    @Mixin RuntimeOptions runtime;

    @Option(names = "--eta", defaultValue = "0.75", description = "Masking ratio: M = N - floor(eta N) context tokens"
            + " (default ${DEFAULT-VALUE}).")
    float eta;

    @Option(names = "--out", defaultValue = "runs/pretrain", description = "Run folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue from the run folder's checkpoint.")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Updates between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--test-etas", split = ",", defaultValue = "0,0.25,0.5,0.75",
            description = "Masking ratios for the final position-accuracy test (default ${DEFAULT-VALUE}).")
    float[] testEtas;

    @Override
    public Integer call() throws Exception {
        Device device = runtime.open();
        Splits splits = data.load();
        Path ckpt = out.resolve("checkpoint.safetensors");
        Checkpoint resumeFrom = null;
        ViTConfig vit;
        TrainConfig recipe;
        if (resume) {
            resumeFrom = Checkpoint.load(ckpt);
            vit = resumeFrom.model();
            recipe = resumeFrom.train();
            System.out.printf("resuming %s at update %d%n", ckpt, resumeFrom.step());
        } else {
            vit = model.config(splits.train(), PositionEmbedding.NONE).forPretraining();
            recipe = train.apply(TrainConfig.pretrain(1, eta), 10).withEta(eta);
        }
        Files.createDirectories(out);
        ReportDir dir = ReportDir.at(out);
        VisionTransformer net = new VisionTransformer(vit, new Rng(recipe.seed()));
        net.to(device);
        System.out.printf("MP3 pretraining on %s: %d images, %d positions, eta %.2f (%d context tokens), %,d parameters, %s%n",
                splits.train().name(), splits.train().size(), vit.numPatches(), recipe.eta(),
                dev.mp3.train.ContextMasking.contextSize(vit.numPatches(), recipe.eta()), net.parameterCount(), device);
        dir.writeJson("config.json", Map.of("model", vit, "train", recipe, "data", data.source));
        Trainer.Result result = new Trainer(net, recipe, splits.train(), device)
                .checkpointTo(ckpt, checkpointEvery)
                .run(resumeFrom, Long.MAX_VALUE);
        RunFiles.writeHistory(dir, "pretrain", result.history());
        List<Evaluation.PositionAccuracy> acc = Evaluation.positionAccuracy(net, splits.test(), testEtas, 256, 1, device);
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.println("position accuracy on " + splits.test().name() + " (test eta: all patches / non-blank patches)");
        for (var a : acc) {
            System.out.printf("  eta %.2f: %5.1f%% / %5.1f%%%n", a.eta(), 100 * a.all(), 100 * a.nonBlank());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("test_eta", a.eta());
            row.put("accuracy", a.all());
            row.put("accuracy_non_blank", a.nonBlank());
            rows.add(row);
        }
        dir.writeJson("position-accuracy.json", rows);
        System.out.println("checkpoint: " + ckpt);
        return 0;
    }
}

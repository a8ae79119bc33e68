package dev.mp3.cli;

import dev.mp3.analysis.KnnProbe;
import dev.mp3.analysis.PositionCorrelation;
import dev.mp3.analysis.RelativeAttention;
import dev.mp3.analysis.TwoImageReconstruction;
import dev.mp3.data.ImageDataset;
import dev.mp3.data.Splits;
import dev.mp3.eval.Evaluation;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.report.Chart;
import dev.mp3.report.ReportDir;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The paper's analyses of trained vision checkpoints ({@code dev.mp3.analysis}); each subcommand
 * writes PNGs and CSV/JSON numbers into its {@code --out} folder. docs/analyses.md describes them.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "The paper's analyses of vision checkpoints: knn (Appendix C), attention (Section 4.2.5,"
                + " Appendix E), correlation (Appendix D), two-images (Appendix F).",
        subcommands = {AnalyzeCommand.Knn.class, AnalyzeCommand.Attention.class, AnalyzeCommand.Correlation.class,
                AnalyzeCommand.TwoImages.class})
final class AnalyzeCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The first {@code limit} images of a split (all when limit is null). */
    static ImageDataset first(ImageDataset data, Integer limit, String option) {
        if (limit == null || limit >= data.size()) {
            return data;
        }
        if (limit <= 0) {
            throw new IllegalArgumentException(option + " " + limit + " must be positive");
        }
        int[] idx = new int[limit];
        for (int i = 0; i < limit; i++) {
            idx[i] = i;
        }
        return data.subset(idx);
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Paper Appendix C, Figure 9. */
    @Command(name = "knn", mixinStandardHelpOptions = true,
            description = "Layerwise k-NN probe (paper Appendix C, Figure 9): the average-pooled patch tokens after the"
                    + " patch embedding and after every block classify the test split against the training split"
                    + " (cosine similarity, k nearest, DINO's vote weighted exp(sim / T)). One curve per checkpoint.")
    static final class Knn implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOptions data;
        @Mixin RuntimeOptions runtime;

        @Option(names = "--checkpoint", required = true, description = "Any vision checkpoint (pretrain, finetune or"
                + " train); repeat for several curves.")
        List<Path> checkpoints;

        @Option(names = "--random", description = "Add a curve for a randomly initialised model of the first"
                + " checkpoint's shape.")
        boolean random;

        @Option(names = "--out", defaultValue = "analysis-knn", description = "Report folder (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--k", defaultValue = "20", description = "Neighbours (default ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--temperature", defaultValue = "0.07", description = "Vote temperature T (default ${DEFAULT-VALUE}).")
        float temperature;

        @Option(names = "--train-images", description = "Use only the first N training images (default all).")
        Integer trainImages;

        @Option(names = "--test-images", description = "Use only the first N test images (default all).")
        Integer testImages;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the --random model (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            Device device = runtime.open();
            Splits splits = data.load();
            ImageDataset train = first(splits.train(), trainImages, "--train-images");
            ImageDataset test = first(splits.test(), testImages, "--test-images");
            Map<String, VisionTransformer> models = new LinkedHashMap<>();
            for (Path c : checkpoints) {
                VisionTransformer net = EvalCommand.load(c, device);
                Commands.requireFits(net, splits.test(), c);
                models.put(c.toString(), net);
            }
            if (random) {
                VisionTransformer first = models.values().iterator().next();
                VisionTransformer net = new VisionTransformer(first.config, new Rng(seed));
                net.to(device);
                models.put("random", net);
            }
            ReportDir report = ReportDir.at(out);
            Chart chart = new Chart("k-NN accuracy by layer (k=" + k + ", T=" + temperature + ")", "layer",
                    "top-1 accuracy %");
            List<List<?>> rows = new ArrayList<>();
            Map<String, Object> json = new LinkedHashMap<>();
            int curve = 0;
            for (var e : models.entrySet()) {
                double[] acc = KnnProbe.layerAccuracies(e.getValue(), train, test, k, temperature, Evaluation.BATCH,
                        device);
                double[] x = new double[acc.length];
                double[] y = new double[acc.length];
                List<Double> list = new ArrayList<>();
                for (int l = 0; l < acc.length; l++) {
                    x[l] = l;
                    y[l] = 100 * acc[l];
                    rows.add(List.of(e.getKey(), l, acc[l]));
                    list.add(acc[l]);
                }
                String name = e.getKey().equals("random") ? "random" : (++curve) + ": " + curveName(Path.of(e.getKey()));
                chart.line(name, x, y);
                json.put(e.getKey(), list);
                o.println(e.getKey() + ": " + list.stream().map(v -> String.format(Locale.ROOT, "%.1f%%", 100 * v))
                        .toList());
            }
            json.put("k", k);
            json.put("temperature", (double) temperature);
            json.put("train_images", train.size());
            json.put("test_images", test.size());
            report.writeCsv("knn.csv", List.of("model", "layer", "accuracy"), rows);
            report.writeJson("knn.json", json);
            report.writeChart("knn.png", chart);
            o.println("wrote " + report.dir().resolve("knn.png") + ", knn.csv, knn.json (layer 0: patch embedding)");
            return 0;
        }
    }

    /** Paper Section 4.2.5 and Appendix E, Figures 8 and 11. */
    /** A checkpoint's name in a legend: its run folder for the usual checkpoint.safetensors, else its file name. */
    static String curveName(Path checkpoint) {
        Path file = checkpoint.getFileName();
        Path folder = checkpoint.toAbsolutePath().getParent();
        return file.toString().equals("checkpoint.safetensors") && folder != null && folder.getFileName() != null
                ? folder.getFileName().toString() : file.toString();
    }

    @Command(name = "attention", mixinStandardHelpOptions = true,
            description = "Average relative 2D attention maps per layer and head (paper Section 4.2.5, Appendix E,"
                    + " Figures 8 and 11), heads ordered by attention entropy, at each test eta.")
    static final class Attention implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOptions data;
        @Mixin RuntimeOptions runtime;

        @Option(names = "--checkpoint", required = true, description = "Any vision checkpoint.")
        Path checkpoint;

        @Option(names = "--out", defaultValue = "analysis-attention", description = "Report folder (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--etas", split = ",", defaultValue = "0",
                description = "Test masking ratios; above 0 (keys = context only) needs a pretraining checkpoint"
                        + " (default ${DEFAULT-VALUE}).")
        float[] etas;

        @Option(names = "--test-images", description = "Use only the first N test images (default all).")
        Integer testImages;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the contexts (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--parent", paramLabel = "CHECKPOINT", description = "The pretrained checkpoint this one was"
                + " finetuned from: also draw its maps, and this model's heads matched to its heads (paper Figure 8).")
        Path parent;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            Device device = runtime.open();
            Splits splits = data.load();
            VisionTransformer net = EvalCommand.load(checkpoint, device);
            VisionTransformer parentNet = parent == null ? null : EvalCommand.load(parent, device);
            if (parentNet != null) {
                Commands.requireFits(parentNet, splits.test(), parent);
            }
            Commands.requireFits(net, splits.test(), checkpoint);
            for (float eta : etas) {
                if (eta < 0 || eta >= 1) {
                    throw new IllegalArgumentException("--etas: " + eta + " must lie in [0, 1)");
                }
                if (eta > 0 && net.clsToken != null) {
                    throw new IllegalArgumentException("--etas " + eta + ": checkpoint " + checkpoint + " is a classifier"
                            + " (cls token, full attention only); use --etas 0 or a pretraining checkpoint");
                }
            }
            ImageDataset test = first(splits.test(), testImages, "--test-images");
            ReportDir report = ReportDir.at(out);
            List<List<?>> heads = new ArrayList<>();
            List<List<?>> cells = new ArrayList<>();
            for (float eta : etas) {
                // 64 images a pass: the recorded probabilities are [batch, heads, N, N] per layer (470 MB at 256 for ViT-B).
                RelativeAttention.Result r = RelativeAttention.compute(net, test, eta, seed, 64, device);
                String name = String.format(Locale.ROOT, "attention-eta%.2f", eta);
                report.writePng(name + ".png", RelativeAttention.render(r));
                if (parentNet != null) {
                    RelativeAttention.Result p = RelativeAttention.compute(parentNet, test, eta, seed, 64, device);
                    Integer[][] matched = new Integer[r.layers()][];
                    for (int l = 0; l < r.layers(); l++) {
                        matched[l] = r.matchedOrder(p, l);
                    }
                    report.writePng(name + "-parent.png", RelativeAttention.render(p));
                    report.writePng(name + "-matched.png", RelativeAttention.render(r, matched));
                    o.println("wrote " + name + "-parent.png and " + name + "-matched.png (this model's heads in"
                            + " the parent's order)");
                }
                for (int l = 0; l < r.layers(); l++) {
                    Integer[] order = r.headOrder(l);
                    for (int rank = 0; rank < order.length; rank++) {
                        int h = order[rank];
                        heads.add(List.of(eta, l + 1, h + 1, rank + 1, r.entropy()[l][h]));
                        for (int c = 0; c < r.side() * r.side(); c++) {
                            cells.add(List.of(eta, l + 1, h + 1, c / r.side() - (r.grid() - 1),
                                    c % r.side() - (r.grid() - 1), r.maps()[l][h][c]));
                        }
                    }
                }
                o.println("wrote " + report.dir().resolve(name + ".png") + " (" + r.images() + " images)");
            }
            report.writeCsv("attention-entropy.csv", List.of("eta", "layer", "head", "rank", "entropy"), heads);
            report.writeCsv("attention-maps.csv", List.of("eta", "layer", "head", "dy", "dx", "attention"), cells);
            o.println("wrote attention-entropy.csv, attention-maps.csv");
            return 0;
        }
    }

    /** Paper Appendix D, Figure 10. */
    @Command(name = "correlation", mixinStandardHelpOptions = true,
            description = "Position correlation maps (paper Appendix D, Figure 10): Pearson correlation of the last"
                    + " layer's tokens between every pair of positions, within an image and across random image"
                    + " pairs, averaged over the test set.")
    static final class Correlation implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOptions data;
        @Mixin RuntimeOptions runtime;

        @Option(names = "--checkpoint", required = true, description = "Any vision checkpoint.")
        Path checkpoint;

        @Option(names = "--out", defaultValue = "analysis-correlation", description = "Report folder (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--test-images", description = "Use only the first N test images (default all).")
        Integer testImages;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the random pairs (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            Device device = runtime.open();
            Splits splits = data.load();
            VisionTransformer net = EvalCommand.load(checkpoint, device);
            Commands.requireFits(net, splits.test(), checkpoint);
            ImageDataset test = first(splits.test(), testImages, "--test-images");
            PositionCorrelation.Result r = PositionCorrelation.compute(net, test, seed, Evaluation.BATCH, device);
            ReportDir report = ReportDir.at(out);
            report.writePng("correlation-within.png", PositionCorrelation.render(r.within(), r.grid()));
            report.writePng("correlation-across.png", PositionCorrelation.render(r.across(), r.grid()));
            int n = r.grid() * r.grid();
            List<List<?>> rows = new ArrayList<>();
            double meanWithin = 0;
            double meanAcross = 0;
            for (int p = 0; p < n; p++) {
                for (int q = 0; q < n; q++) {
                    rows.add(List.of(p, q, r.within()[p * n + q], r.across()[p * n + q]));
                    meanWithin += r.within()[p * n + q] / (n * n);
                    meanAcross += r.across()[p * n + q] / (n * n);
                }
            }
            report.writeCsv("correlation.csv", List.of("p", "q", "within", "across"), rows);
            report.writeJson("correlation.json", Map.of("images", r.images(), "pairs", r.pairs(), "grid", r.grid(),
                    "mean_within", meanWithin, "mean_across", meanAcross));
            o.println("mean correlation within an image " + f(meanWithin) + ", across images " + f(meanAcross));
            o.println("wrote " + report.dir().resolve("correlation-within.png") + ", correlation-across.png,"
                    + " correlation.csv, correlation.json");
            return 0;
        }
    }

    /** Paper Appendix F, Figures 14 and 15. */
    @Command(name = "two-images", mixinStandardHelpOptions = true,
            description = "Two-image reconstructions (paper Appendix F, Figures 14 and 15): the patches of two test"
                    + " images shuffled together, split into two sets, and each set reassembled from an MP3 model's"
                    + " predicted positions, for several test masking ratios.")
    static final class TwoImages implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOptions data;
        @Mixin RuntimeOptions runtime;

        @Option(names = "--checkpoint", required = true, description = "A checkpoint written by pretrain.")
        Path checkpoint;

        @Option(names = "--out", defaultValue = "analysis-two-images", description = "Report folder (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--images", split = ",", defaultValue = "0,1",
                description = "Test image pairs, flattened: 0,1 or 0,1,2,3 (default ${DEFAULT-VALUE}).")
        int[] images;

        @Option(names = "--etas", split = ",", defaultValue = "0,0.25,0.5,0.75",
                description = "Test masking ratios (default ${DEFAULT-VALUE}).")
        float[] etas;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the shuffle and the contexts (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            Device device = runtime.open();
            Splits splits = data.load();
            VisionTransformer net = EvalCommand.load(checkpoint, device);
            if (net.positionHead == null) {
                throw new IllegalArgumentException("--checkpoint " + checkpoint + " has no position head; two-images"
                        + " needs a model from pretrain");
            }
            Commands.requireFits(net, splits.test(), checkpoint);
            if (images.length == 0 || images.length % 2 != 0) {
                throw new IllegalArgumentException("--images: give pairs of test image indices, such as 0,1");
            }
            for (int i : images) {
                if (i < 0 || i >= splits.test().size()) {
                    throw new IllegalArgumentException("--images: index " + i + " is outside the " + splits.test().size()
                            + " test images");
                }
            }
            for (float eta : etas) {
                if (eta < 0 || eta >= 1) {
                    throw new IllegalArgumentException("--etas: " + eta + " must lie in [0, 1)");
                }
            }
            ReportDir report = ReportDir.at(out);
            for (int i = 0; i < images.length; i += 2) {
                String name = "two-images-" + images[i] + "-" + images[i + 1] + ".png";
                report.writePng(name, TwoImageReconstruction.render(net, splits.test(), images[i], images[i + 1], etas,
                        seed + i / 2, device));
                o.println("wrote " + report.dir().resolve(name));
            }
            return 0;
        }
    }
}

package dev.mp3.train;

import dev.mp3.nn.Optimizer;
import dev.mp3.nn.Module;
import dev.mp3.nn.Safetensors;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.TcResNetConfig;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * A training checkpoint in one safetensors file, written atomically, for every kind of run:
 * <ul>
 *   <li>tensors: the model's under their own (timm) names, so the file loads into timm with
 *       strict=False; the best validation's weights under "best."; Adam's moments under
 *       "optimizer.";</li>
 *   <li>metadata: the model config ("model.kind" = vit or speech, then its fields under
 *       "model."), the recipe ("recipe.kind" = image or speech, then its fields under "recipe."),
 *       the update count, the two random streams' counters, the partial training loss since the
 *       last report, the early-stopping state and the history; what the run read besides its recipe
 *       under "run." (the data source, label fraction, data seed: {@link #run()}); the code version
 *       that wrote it; and a CRC-32C "checksum" of all of the above and every tensor's bytes, so a
 *       damaged file is detected on load ({@link Damaged}).</li>
 * </ul>
 * That is everything a resumed run needs to continue exactly where this one stopped; batch order
 * and augmentation need no state, being pure functions of the seed and the update number.
 *
 * <p>A run keeps its last two checkpoints ({@link #save}): {@code NAME.safetensors} and the one
 * before it, {@link #previous(Path) NAME.previous.safetensors}.
 *
 * @param run     what the run read besides its recipe, by name ("data", "label_fraction", ...);
 *                empty for a checkpoint written without it
 * @param version the code version that wrote the file ({@link #CODE_VERSION})
 */
public record Checkpoint(Record model, Record recipe, Progress progress, Map<String, Tensor> modelState,
                         Map<String, Tensor> bestState, Map<String, Tensor> optimizerState, Map<String, String> run,
                         String version) {

    public static final String FORMAT = "mp3-checkpoint-4";
    /** The version of this code, as {@code ./mp3.sh --version} prints it; every checkpoint records it. */
    public static final String CODE_VERSION = "mp3 0.1.0";
    private static final String CHECKSUM = "checksum";
    private static final String RUN = "run.";
    private static final String BEST = "best.";
    private static final String OPTIMIZER = "optimizer.";
    private static final Map<String, Class<? extends Record>> MODELS = Map.of("vit", ViTConfig.class,
            "speech", SpeechConfig.class, "tc-resnet", TcResNetConfig.class);
    private static final Map<String, Class<? extends Record>> RECIPES = Map.of("image", ImageRecipe.class,
            "speech", SpeechRecipe.class);

    /**
     * Where a run stands after update {@code step} of {@code updates}: the random streams, the
     * training loss accumulated since the last report, early stopping, and the history so far.
     */
    public record Progress(long step, long updates, long maskCounter, long noiseCounter, double lossSum,
                           int lossCount, double bestMetric, long bestStep, int sinceBest, boolean stopped,
                           List<Trainer.Report> history) {

        Progress(long step, long updates, long maskCounter, long noiseCounter, double lossSum, int lossCount,
                 EarlyStopping stopping, boolean stopped, List<Trainer.Report> history) {
            this(step, updates, maskCounter, noiseCounter, lossSum, lossCount, stopping.best(), stopping.bestStep(),
                    stopping.sinceBest(), stopped, List.copyOf(history));
        }
    }

    /**
     * A checkpoint file that cannot be what a run wrote: truncated, malformed, or its contents do
     * not match the checksum stored in it. A resumed run falls back to the older checkpoint.
     */
    public static final class Damaged extends IllegalArgumentException {
        public Damaged(String message) {
            super(message);
        }
    }

    /** Where the checkpoint before {@code checkpoint} is kept: {@code NAME.previous.safetensors} beside it. */
    public static Path previous(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        String ext = ".safetensors";
        String base = name.endsWith(ext) ? name.substring(0, name.length() - ext.length()) : name;
        return checkpoint.resolveSibling(base + ".previous" + (name.endsWith(ext) ? ext : ""));
    }

    /** The update count. */
    public long step() {
        return progress.step();
    }

    /** Whether the run is over (all updates taken, or stopped early), so a resume would do nothing. */
    public boolean finished() {
        return progress.stopped() || progress.step() >= progress.updates();
    }

    /** The weights a later stage should start from: the best validation's, else the last ones. */
    public Map<String, Tensor> encoderWeights() {
        return bestState.isEmpty() ? modelState : bestState;
    }

    /** The model config as {@code type} (checked by {@link #load(Path, Class)}). */
    public <M extends Record> M model(Class<M> type) {
        return type.cast(model);
    }

    /** The recipe as {@code type}. */
    public <R extends Record> R recipe(Class<R> type) {
        if (!type.isInstance(recipe)) {
            throw new IllegalArgumentException("the checkpoint's recipe is a " + recipe.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(recipe);
    }

    /**
     * Writes a checkpoint of {@code task} to {@code path}, keeping the one it replaces as
     * {@link #previous(Path)} when {@code keepPrevious} (the older one there is dropped); without
     * {@code keepPrevious} both old files go (a run started over in the same place). The file
     * being replaced stays at {@code path} until the new one is renamed over it: the previous
     * name is a hard link to it, or, where the file system has no hard links, the file itself moved.
     */
    static void save(Path path, boolean keepPrevious, Task<?> task, Record recipe, Optimizer optimizer, Progress progress,
                     Map<String, Tensor> best, Map<String, String> run) throws IOException {
        Path previous = previous(path);
        if (!keepPrevious) {
            Files.deleteIfExists(previous);
        } else if (Files.exists(path)) {
            Files.deleteIfExists(previous);
            try {
                Files.createLink(previous, path);
            } catch (UnsupportedOperationException | IOException noLinks) {
                try {
                    Files.move(path, previous, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(path, previous);
                }
            }
        }
        write(path, task.model(), task.modelConfig(), recipe, optimizer, progress, best, run);
    }

    /** Writes a checkpoint of {@code model}; the optimizer may be null (a model without training state). */
    public static void write(Path path, Module model, Record config, Record recipe, Optimizer optimizer, Progress progress,
                             Map<String, Tensor> best) throws IOException {
        write(path, model, config, recipe, optimizer, progress, best, Map.of());
    }

    /**
     * Writes a checkpoint of {@code model} atomically, recording {@code run} (what the run read
     * besides its recipe, e.g. "data") under "run."; the optimizer may be null.
     */
    public static void write(Path path, Module model, Record config, Record recipe, Optimizer optimizer, Progress progress,
                             Map<String, Tensor> best, Map<String, String> run) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put(k, v.to(Device.CPU)));
        best.forEach((k, v) -> tensors.put(BEST + k, v.to(Device.CPU)));
        if (optimizer != null) {
            optimizer.stateDict().forEach((k, v) -> tensors.put(OPTIMIZER + k, v.to(Device.CPU)));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", CODE_VERSION);
        meta.put("model.kind", kindOf(MODELS, config));
        meta.putAll(RecordCodec.encode("model", config));
        meta.put("recipe.kind", kindOf(RECIPES, recipe));
        meta.putAll(RecordCodec.encode("recipe", recipe));
        meta.put("step", Long.toString(progress.step()));
        meta.put("updates", Long.toString(progress.updates()));
        meta.put("rng.mask", Long.toString(progress.maskCounter()));
        meta.put("rng.noise", Long.toString(progress.noiseCounter()));
        meta.put("loss.sum", Double.toString(progress.lossSum()));
        meta.put("loss.count", Integer.toString(progress.lossCount()));
        meta.put("best.metric", Double.toString(progress.bestMetric()));
        meta.put("best.step", Long.toString(progress.bestStep()));
        meta.put("best.since", Integer.toString(progress.sinceBest()));
        meta.put("stopped", Boolean.toString(progress.stopped()));
        meta.put("history", encodeHistory(progress.history()));
        new TreeMap<>(run).forEach((k, v) -> meta.put(RUN + k, v));
        meta.put(CHECKSUM, checksum(tensors, meta));
        Safetensors.write(path, tensors, meta);
    }

    /**
     * "crc32c:" and the CRC-32C, in hex, of every metadata entry but the checksum itself and of
     * every tensor (name, dtype, shape, little-endian bytes), both in name order, each field
     * length-prefixed so that no two different contents run together into the same bytes.
     */
    static String checksum(Map<String, Tensor> tensors, Map<String, String> meta) {
        CRC32C crc = new CRC32C();
        for (var e : new TreeMap<>(meta).entrySet()) {
            if (!e.getKey().equals(CHECKSUM)) {
                update(crc, e.getKey());
                update(crc, e.getValue());
            }
        }
        for (var e : new TreeMap<>(tensors).entrySet()) {
            Tensor t = e.getValue();
            update(crc, e.getKey());
            update(crc, t.dtype().name());
            int[] shape = t.shape();
            ByteBuffer dims = ByteBuffer.allocate(4 + 4 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
            dims.putInt(shape.length);
            for (int d : shape) {
                dims.putInt(d);
            }
            crc.update(dims.flip());
            ByteBuffer bytes = ByteBuffer.allocate(t.numel() * 4).order(ByteOrder.LITTLE_ENDIAN);
            if (t.dtype() == DType.F32) {
                bytes.asFloatBuffer().put(t.toFloatArray());
            } else {
                bytes.asIntBuffer().put(t.toIntArray());
            }
            crc.update(bytes);
        }
        return String.format("crc32c:%08x", crc.getValue());
    }

    private static void update(CRC32C crc, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).flip());
        crc.update(b);
    }

    /**
     * Speech recipes written before the recipe named its optimiser (2026-11-30) all trained with
     * Adam without weight decay: their checkpoints read as such.
     */
    static Map<String, String> withSpeechOptimizer(Map<String, String> meta) {
        if (!"speech".equals(meta.get("recipe.kind")) || meta.containsKey("recipe.optimizer")) {
            return meta;
        }
        Map<String, String> upgraded = new LinkedHashMap<>(meta);
        upgraded.put("recipe.optimizer", SpeechRecipe.Method.ADAM.name());
        upgraded.put("recipe.momentum", "0.9");
        upgraded.put("recipe.weightDecay", "0.0");
        return upgraded;
    }

    /**
     * Reads a checkpoint of a {@code modelType} model; a checkpoint of the other kind of model is an
     * error that names the file and the commands that write the right kind.
     */
    public static Checkpoint load(Path path, Class<? extends Record> modelType) throws IOException {
        Checkpoint c = load(path);
        if (!modelType.isInstance(c.model)) {
            throw new IllegalArgumentException("checkpoint " + path + " is a " + describe(c.model.getClass())
                    + " checkpoint; this command needs a " + describe(modelType) + " one");
        }
        return c;
    }

    /** A kind of model as a user knows it, with the commands that write its checkpoints. */
    private static String describe(Class<?> modelType) {
        if (modelType == ViTConfig.class) {
            return "vision (ViT, written by pretrain, finetune or train)";
        }
        if (modelType == TcResNetConfig.class) {
            return "tc-resnet8 (written by speech-train --model tc-resnet8)";
        }
        return "speech Transformer (written by speech-pretrain, speech-finetune or speech-train)";
    }

    /**
     * Reads a checkpoint; a missing file, another format or bad metadata is an error naming the
     * file, and a truncated or malformed file, or one whose contents do not match its checksum, is
     * {@link Damaged}.
     */
    public static Checkpoint load(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "checkpoint not found");
        }
        String source = "checkpoint " + path;
        Safetensors.Contents c;
        try {
            c = Safetensors.read(path);
        } catch (IllegalArgumentException e) {
            String prefix = "safetensors file " + path + ": ";
            String why = e.getMessage() != null && e.getMessage().startsWith(prefix)
                    ? e.getMessage().substring(prefix.length()) : e.getMessage();
            throw new Damaged(source + " is damaged (" + why + ")");
        }
        Map<String, String> meta = c.metadata();
        String format = meta.get("format");
        if (format != null && format.startsWith("mp3-") && !FORMAT.equals(format)) {
            throw new IllegalArgumentException(source + " was written by an earlier version of this project (format "
                    + format + ", expected " + FORMAT + "); train it again with this version");
        }
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(source + ": not an mp3 checkpoint (metadata 'format' is " + format
                    + ", expected " + FORMAT + ")");
        }
        String stored = meta.get(CHECKSUM);
        if (stored == null) {
            throw new Damaged(source + " is damaged (its metadata has no '" + CHECKSUM + "' entry)");
        }
        String actual = checksum(c.tensors(), meta);
        if (!stored.equals(actual)) {
            throw new Damaged(source + " is damaged (its contents give checksum " + actual + ", the file records "
                    + stored + ")");
        }
        Record model = RecordCodec.decode("model", meta, kind(MODELS, meta, "model.kind", source), source);
        Record recipe = RecordCodec.decode("recipe", withSpeechOptimizer(meta), kind(RECIPES, meta, "recipe.kind",
                source), source);
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, Tensor> bestState = new LinkedHashMap<>();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER)) {
                optimizerState.put(k.substring(OPTIMIZER.length()), v);
            } else if (k.startsWith(BEST)) {
                bestState.put(k.substring(BEST.length()), v);
            } else {
                modelState.put(k, v);
            }
        });
        Progress progress = new Progress(parseLong(meta, "step", source), parseLong(meta, "updates", source),
                parseLong(meta, "rng.mask", source), parseLong(meta, "rng.noise", source),
                parseDouble(meta, "loss.sum", source), parseInt(meta, "loss.count", source),
                parseDouble(meta, "best.metric", source), parseLong(meta, "best.step", source),
                parseInt(meta, "best.since", source), parse(meta, "stopped", source, Checkpoint::parseBoolean,
                "true or false"), decodeHistory(meta.get("history"), source));
        if (progress.step() < 0 || progress.step() > progress.updates() || progress.lossCount() < 0
                || progress.sinceBest() < 0) {
            throw new IllegalArgumentException(source + ": metadata says update " + progress.step() + " of "
                    + progress.updates() + " with " + progress.lossCount() + " losses and " + progress.sinceBest()
                    + " validations since the best; expected 0 <= step <= updates and counts >= 0");
        }
        ModelShapes.check(model, modelState, source);
        Map<String, String> run = new TreeMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(RUN)) {
                run.put(k.substring(RUN.length()), v);
            }
        });
        return new Checkpoint(model, recipe, progress, modelState, bestState, optimizerState,
                Collections.unmodifiableMap(run), meta.get("version"));
    }

    private static String kindOf(Map<String, Class<? extends Record>> kinds, Record r) {
        return kinds.entrySet().stream().filter(e -> e.getValue() == r.getClass()).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("checkpoint: no kind for " + r.getClass()));
    }

    private static Class<? extends Record> kind(Map<String, Class<? extends Record>> kinds, Map<String, String> meta,
                                                String key, String source) {
        String name = meta.get(key);
        Class<? extends Record> type = name == null ? null : kinds.get(name);
        if (type == null) {
            throw new IllegalArgumentException(source + ": metadata '" + key + "' = " + meta.get(key)
                    + " is not one of " + kinds.keySet());
        }
        return type;
    }

    /** One report per ';', its fields comma-separated; Double.toString reads back exactly. */
    private static String encodeHistory(List<Trainer.Report> history) {
        List<String> rows = new ArrayList<>();
        for (Trainer.Report r : history) {
            rows.add(r.step() + "," + r.trainLoss() + "," + r.lr() + "," + r.metric() + "," + r.seconds() + ","
                    + r.examplesPerSecond());
        }
        return String.join(";", rows);
    }

    private static List<Trainer.Report> decodeHistory(String text, String source) {
        List<Trainer.Report> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String row : text.split(";")) {
            String[] f = row.split(",");
            try {
                if (f.length != 6) {
                    throw new NumberFormatException("expected 6 fields");
                }
                out.add(new Trainer.Report(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": metadata 'history' has a malformed row '" + row
                        + "' (expected step,loss,lr,metric,seconds,examples_per_second)");
            }
        }
        return out;
    }

    private static long parseLong(Map<String, String> meta, String key, String source) {
        return parse(meta, key, source, Long::parseLong, "an integer");
    }

    private static int parseInt(Map<String, String> meta, String key, String source) {
        return parse(meta, key, source, Integer::parseInt, "an int");
    }

    private static boolean parseBoolean(String text) {
        if (!"true".equals(text) && !"false".equals(text)) {
            throw new NumberFormatException(text);
        }
        return text.equals("true");
    }

    private static double parseDouble(Map<String, String> meta, String key, String source) {
        return parse(meta, key, source, Double::parseDouble, "a number");
    }

    private static <T> T parse(Map<String, String> meta, String key, String source, Function<String, T> parser,
                               String what) {
        String v = meta.get(key);
        try {
            return parser.apply(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(source + ": metadata '" + key + "' = " + v + " is not " + what);
        }
    }
}

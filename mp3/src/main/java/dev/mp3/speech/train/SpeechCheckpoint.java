package dev.mp3.speech.train;

import dev.mp3.nn.Adam;
import dev.mp3.nn.Safetensors;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.RecordCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A speech training checkpoint in one safetensors file, written atomically: the model's current
 * tensors under their own names, the weights of the best validation under "best.", Adam's moments
 * under "optimizer."; in the metadata the model config ("speech.*"), the recipe ("recipe.*"), the
 * update count, the two random streams' counters, the early-stopping state, the partial training
 * loss since the last validation and the validation history. That is everything a resumed run
 * needs to continue exactly where this one stopped.
 *
 * <p>Batch order and augmentation need no state here: they are pure functions of the seed and
 * the update number ({@link SpeechTrainer}).
 */
public record SpeechCheckpoint(SpeechConfig model, SpeechRecipe recipe, long step, long maskCounter,
                               long noiseCounter, double bestMetric, long bestStep, int sinceBest, boolean stopped,
                               double lossSum, int lossCount, List<SpeechTrainer.Validation> history,
                               Map<String, Tensor> modelState, Map<String, Tensor> bestState,
                               Map<String, Tensor> optimizerState) {

    public static final String FORMAT = "mp3-speech-checkpoint-1";
    private static final String BEST = "best.";
    private static final String OPTIMIZER = "optimizer.";

    /** The weights a later stage should start from: the best validation's, else the current ones. */
    public Map<String, Tensor> encoderWeights() {
        return bestState.isEmpty() ? modelState : bestState;
    }

    /** Whether the run is over (all updates taken, or stopped early) and a resume would do nothing. */
    public boolean finished() {
        return stopped || step >= recipe.updates();
    }

    static void save(Path path, SpeechTransformer model, SpeechRecipe recipe, Adam optimizer, long step,
                     long maskCounter, long noiseCounter, EarlyStopping stopping, boolean stopped, double lossSum,
                     int lossCount, List<SpeechTrainer.Validation> history) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
        stopping.bestWeights().forEach((k, v) -> tensors.put(BEST + k, v));
        optimizer.stateDict().forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.putAll(RecordCodec.encode("speech", model.config));
        meta.putAll(RecordCodec.encode("recipe", recipe));
        meta.put("step", Long.toString(step));
        meta.put("rng.mask", Long.toString(maskCounter));
        meta.put("rng.noise", Long.toString(noiseCounter));
        meta.put("best.metric", Double.toString(stopping.best()));
        meta.put("best.step", Long.toString(stopping.bestStep()));
        meta.put("best.since", Integer.toString(stopping.sinceBest()));
        meta.put("stopped", Boolean.toString(stopped));
        meta.put("loss.sum", Double.toString(lossSum));
        meta.put("loss.count", Integer.toString(lossCount));
        meta.put("history", encodeHistory(history));
        Safetensors.write(path, tensors, meta);
    }

    /**
     * Reads a checkpoint; a missing file, a vision checkpoint, another format or bad metadata is an
     * IllegalArgumentException (NoSuchFileException for a missing file) naming the file.
     */
    public static SpeechCheckpoint load(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path + ": checkpoint not found");
        }
        Safetensors.Contents c = Safetensors.read(path);
        Map<String, String> meta = c.metadata();
        String source = "checkpoint " + path;
        String format = meta.get("format");
        if (Checkpoint.FORMAT.equals(format)) {
            throw new IllegalArgumentException(source + " is a vision (ViT) checkpoint (format " + format
                    + "); the speech commands need one written by speech-pretrain, speech-finetune or speech-train");
        }
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(source + ": not an mp3 speech checkpoint (metadata 'format' is "
                    + format + ", expected " + FORMAT + ")");
        }
        SpeechConfig model = RecordCodec.decode("speech", meta, SpeechConfig.class, source);
        SpeechRecipe recipe = RecordCodec.decode("recipe", meta, SpeechRecipe.class, source);
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
        return new SpeechCheckpoint(model, recipe, parseLong(meta, "step", source), parseLong(meta, "rng.mask", source),
                parseLong(meta, "rng.noise", source), parseDouble(meta, "best.metric", source),
                parseLong(meta, "best.step", source), (int) parseLong(meta, "best.since", source),
                Boolean.parseBoolean(meta.get("stopped")), parseDouble(meta, "loss.sum", source),
                (int) parseLong(meta, "loss.count", source), decodeHistory(meta.get("history"), source), modelState,
                bestState, optimizerState);
    }

    /** One validation per ';', its fields comma-separated; Double.toString reads back exactly. */
    private static String encodeHistory(List<SpeechTrainer.Validation> history) {
        List<String> rows = new ArrayList<>();
        for (SpeechTrainer.Validation v : history) {
            rows.add(v.step() + "," + v.trainLoss() + "," + v.lr() + "," + v.metric() + "," + v.seconds());
        }
        return String.join(";", rows);
    }

    private static List<SpeechTrainer.Validation> decodeHistory(String text, String source) {
        List<SpeechTrainer.Validation> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String row : text.split(";")) {
            String[] f = row.split(",");
            try {
                if (f.length != 5) {
                    throw new NumberFormatException("expected 5 fields");
                }
                out.add(new SpeechTrainer.Validation(Long.parseLong(f[0]), Double.parseDouble(f[1]),
                        Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": metadata 'history' has a malformed row '" + row
                        + "' (expected step,loss,lr,metric,seconds)");
            }
        }
        return out;
    }

    private static long parseLong(Map<String, String> meta, String key, String source) {
        String v = meta.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(source + ": metadata '" + key + "' = " + v + " is not an integer");
        }
    }

    private static double parseDouble(Map<String, String> meta, String key, String source) {
        String v = meta.get(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(source + ": metadata '" + key + "' = " + v + " is not a number");
        }
    }
}

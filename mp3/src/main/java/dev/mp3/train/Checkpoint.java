package dev.mp3.train;

import dev.mp3.nn.Adam;
import dev.mp3.nn.Safetensors;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file, written atomically (temporary file, then rename):
 * the model's tensors under timm's names (so the file loads into timm with strict=False), the
 * optimizer's moments under "optimizer.", and in the metadata the model config ("vit.*"), the recipe
 * ("train.*"), the update count and the two random streams' counters, which is all a resumed run
 * needs to continue exactly where this one stopped.
 */
public record Checkpoint(ViTConfig model, TrainConfig train, long step, long maskCounter, long noiseCounter,
                         Map<String, Tensor> modelState, Map<String, Tensor> optimizerState) {

    public static final String FORMAT = "mp3-checkpoint-1";
    private static final String OPTIMIZER = "optimizer.";

    public static void save(Path path, VisionTransformer model, TrainConfig train, Adam optimizer, long step,
                            long maskCounter, long noiseCounter) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
        if (optimizer != null) {
            optimizer.stateDict().forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.putAll(RecordCodec.encode("vit", model.config));
        if (train != null) {
            meta.putAll(RecordCodec.encode("train", train));
        }
        meta.put("step", Long.toString(step));
        meta.put("rng.mask", Long.toString(maskCounter));
        meta.put("rng.noise", Long.toString(noiseCounter));
        Safetensors.write(path, tensors, meta);
    }

    /** Reads a checkpoint; a missing file, another format or bad metadata is an error naming the file. */
    public static Checkpoint load(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path + ": checkpoint not found");
        }
        Safetensors.Contents c = Safetensors.read(path);
        Map<String, String> meta = c.metadata();
        String source = "checkpoint " + path;
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(source + ": not an mp3 checkpoint (metadata 'format' is "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        ViTConfig model = RecordCodec.decode("vit", meta, ViTConfig.class, source);
        TrainConfig train = meta.containsKey("train.task") ? RecordCodec.decode("train", meta, TrainConfig.class, source) : null;
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER)) {
                optimizerState.put(k.substring(OPTIMIZER.length()), v);
            } else {
                modelState.put(k, v);
            }
        });
        return new Checkpoint(model, train, parseLong(meta, "step", source), parseLong(meta, "rng.mask", source),
                parseLong(meta, "rng.noise", source), modelState, optimizerState);
    }

    private static long parseLong(Map<String, String> meta, String key, String source) {
        String v = meta.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(source + ": metadata '" + key + "' = " + v + " is not an integer");
        }
    }
}

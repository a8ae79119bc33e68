package dev.mp3.train;

import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.Safetensors;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one checkpoint format for every kind of run: what it stores, and the errors that name the file. */
class CheckpointTest {

    @TempDir
    Path dir;

    static final ViTConfig VIT = new ViTConfig(8, 2, 1, 16, 2, 2, 2f, 2, true, PositionEmbedding.LEARNED, false, 0f,
            0f, 1e-6f);

    private static Checkpoint.Progress progress(List<Trainer.Report> history) {
        return new Checkpoint.Progress(7, 12, 3, 4, 1.25, 2, 0.5, 6, 1, false, history);
    }

    /** A speech recipe written before it named its optimiser reads as the Adam it trained with. */
    @Test
    void aSpeechRecipeWithoutAnOptimizerReadsAsAdam() {
        SpeechRecipe recipe = SpeechRecipe.classify().withSeed(3);
        Map<String, String> meta = new LinkedHashMap<>(RecordCodec.encode("recipe", recipe));
        meta.put("recipe.kind", "speech");
        meta.remove("recipe.optimizer");
        meta.remove("recipe.momentum");
        meta.remove("recipe.weightDecay");
        assertThat(RecordCodec.decode("recipe", Checkpoint.withSpeechOptimizer(meta), SpeechRecipe.class, "test"))
                .isEqualTo(recipe);
        Map<String, String> sgd = new LinkedHashMap<>(RecordCodec.encode("recipe", SpeechRecipe.tcResNet()));
        sgd.put("recipe.kind", "speech");
        assertThat(Checkpoint.withSpeechOptimizer(sgd)).isSameAs(sgd);
    }

    @Test
    void aSpeechCheckpointKeepsItsModelRecipeProgressAndBestWeights() throws Exception {
        SpeechConfig config = new SpeechConfig(10, 4, 8, 1, 2, 8, 0f, 3, false, 1e-5f);
        SpeechTransformer model = new SpeechTransformer(config, new Rng(1));
        Map<String, Tensor> best = Map.of("norm.weight", Tensor.full(2f, 8));
        // Values that need all 17 digits to read back exactly.
        List<Trainer.Report> history = List.of(new Trainer.Report(3, 0.1 + 0.2, 1e-3, 2.0 / 3, 1.5, 10.0),
                new Trainer.Report(6, Math.PI, 1e-4, Double.NaN, 0.25, 7.0 / 3));
        Path file = dir.resolve("speech.safetensors");
        Checkpoint.write(file, model, config, SpeechRecipe.classify(), null, progress(history), best);

        Checkpoint c = Checkpoint.load(file, SpeechConfig.class);
        assertThat(c.model(SpeechConfig.class)).isEqualTo(config);
        assertThat(c.recipe(SpeechRecipe.class)).isEqualTo(SpeechRecipe.classify());
        assertThat(c.progress()).isEqualTo(progress(history));
        assertThat(c.step()).isEqualTo(7);
        assertThat(c.finished()).isFalse();
        assertThat(c.bestState().get("norm.weight").toFloatArray()).containsExactly(2f, 2f, 2f, 2f, 2f, 2f, 2f, 2f);
        assertThat(c.encoderWeights()).isSameAs(c.bestState());
        assertThat(c.modelState().keySet()).containsExactlyElementsOf(model.stateDict().keySet());
        assertThat(c.optimizerState()).isEmpty();
        assertThatThrownBy(() -> c.recipe(ImageRecipe.class)).hasMessageContaining("SpeechRecipe");
    }

    @Test
    void aVisionCheckpointIsRecognisedAndRefusedBySpeechCommands() throws Exception {
        Path file = dir.resolve("vit.safetensors");
        Checkpoint.write(file, new VisionTransformer(VIT, new Rng(1)), VIT, ImageRecipe.classify(1), null,
                progress(List.of()), Map.of());
        assertThat(Checkpoint.load(file, ViTConfig.class).model(ViTConfig.class)).isEqualTo(VIT);
        assertThat(Checkpoint.load(file).encoderWeights().keySet()).contains("head.weight");
        assertThatThrownBy(() -> Checkpoint.load(file, SpeechConfig.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("vision (ViT, written by pretrain, finetune or train) checkpoint")
                .hasMessageContaining("speech-pretrain");
    }

    @Test
    void anotherFormatAnEarlierVersionOrAMissingFileIsNamed() throws Exception {
        Path other = dir.resolve("other.safetensors");
        Safetensors.write(other, Map.of("w", Tensor.zeros(2)), Map.of("format", "pt"));
        assertThatThrownBy(() -> Checkpoint.load(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other.toString()).hasMessageContaining("not an mp3 checkpoint");
        Path old = dir.resolve("old.safetensors");
        Safetensors.write(old, Map.of("w", Tensor.zeros(2)), Map.of("format", "mp3-speech-checkpoint-1"));
        assertThatThrownBy(() -> Checkpoint.load(old)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(old.toString()).hasMessageContaining("earlier version");
        Path absent = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> Checkpoint.load(absent)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("checkpoint not found");
    }

    private Path vitCheckpoint(String name, Map<String, String> run) throws Exception {
        Path file = dir.resolve(name);
        Checkpoint.write(file, new VisionTransformer(VIT, new Rng(1)), VIT, ImageRecipe.classify(1), null,
                progress(List.of(new Trainer.Report(6, 0.5, 1e-3, Double.NaN, 1.0, 2.0))), Map.of(), run);
        return file;
    }

    @Test
    void aCheckpointRecordsTheRunsSettingsAndTheCodeVersion() throws Exception {
        Map<String, String> run = Map.of("data", "/data/fmnist", "label_fraction", "0.1");
        Checkpoint c = Checkpoint.load(vitCheckpoint("run.safetensors", run));
        assertThat(c.run()).isEqualTo(run);
        assertThat(c.version()).isEqualTo(Checkpoint.CODE_VERSION).startsWith("mp3 ");
        assertThat(Checkpoint.load(vitCheckpoint("bare.safetensors", Map.of())).run()).isEmpty();
    }

    /**
     * The stored checksum is CRC-32C over the sorted metadata (the checksum entry left out) and the
     * sorted tensors (name, dtype, shape, little-endian bytes), each field length-prefixed: recomputed
     * here from the file's raw contents.
     */
    @Test
    void theChecksumCoversEveryMetadataEntryAndEveryTensorByte() throws Exception {
        Safetensors.Contents raw = Safetensors.read(vitCheckpoint("run.safetensors", Map.of("data", "embedded")));
        CRC32C crc = new CRC32C();
        new TreeMap<>(raw.metadata()).forEach((k, v) -> {
            if (!k.equals("checksum")) {
                lengthPrefixed(crc, k.getBytes(StandardCharsets.UTF_8));
                lengthPrefixed(crc, v.getBytes(StandardCharsets.UTF_8));
            }
        });
        new TreeMap<>(raw.tensors()).forEach((name, t) -> {
            lengthPrefixed(crc, name.getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(crc, "F32".getBytes(StandardCharsets.UTF_8));
            ByteBuffer dims = ByteBuffer.allocate(4 + 4 * t.shape().length).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(t.shape().length);
            for (int d : t.shape()) {
                dims.putInt(d);
            }
            crc.update(dims.array());
            ByteBuffer data = ByteBuffer.allocate(4 * t.numel()).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : t.toFloatArray()) {
                data.putFloat(f);
            }
            crc.update(data.array());
        });
        assertThat(raw.metadata().get("checksum")).isEqualTo(String.format("crc32c:%08x", crc.getValue()));
        assertThat(raw.metadata()).containsEntry("run.data", "embedded").containsEntry("version",
                Checkpoint.CODE_VERSION);
    }

    private static void lengthPrefixed(CRC32C crc, byte[] bytes) {
        crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
        crc.update(bytes);
    }

    @Test
    void aChangedTensorByteIsDetectedAsDamage() throws Exception {
        Path file = vitCheckpoint("run.safetensors", Map.of());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x10;   // one bit of the last tensor's last float
        Files.write(file, bytes);
        assertThatThrownBy(() -> Checkpoint.load(file)).isInstanceOf(Checkpoint.Damaged.class)
                .hasMessageStartingWith("checkpoint " + file + " is damaged (its contents give checksum crc32c:")
                .hasMessageContaining(", the file records crc32c:");
    }

    @Test
    void aChangedMetadataValueIsDetectedAsDamage() throws Exception {
        Path file = vitCheckpoint("run.safetensors", Map.of());
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("\"step\":\"7\"");
        // Same length, still valid JSON: only the checksum can tell.
        Files.write(file, text.replace("\"step\":\"7\"", "\"step\":\"8\"").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Checkpoint.load(file)).isInstanceOf(Checkpoint.Damaged.class)
                .hasMessageContaining("is damaged (its contents give checksum");
    }

    @Test
    void aTruncatedFileIsDamaged() throws Exception {
        Path file = vitCheckpoint("run.safetensors", Map.of());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> Checkpoint.load(file)).isInstanceOf(Checkpoint.Damaged.class)
                .hasMessageStartingWith("checkpoint " + file + " is damaged (truncated: the tensors need");
    }

    @Test
    void thePreviousCheckpointLivesBesideTheNewest() {
        assertThat(Checkpoint.previous(dir.resolve("checkpoint.safetensors")))
                .isEqualTo(dir.resolve("checkpoint.previous.safetensors"));
        assertThat(Checkpoint.previous(dir.resolve("run.bin"))).isEqualTo(dir.resolve("run.bin.previous"));
    }

    /** Metadata edited and re-signed (so the checksum passes): what is still wrong must be named. */
    private Path reSigned(Map<String, String> edits, String... removed) throws Exception {
        Safetensors.Contents raw = Safetensors.read(vitCheckpoint("run.safetensors", Map.of()));
        Map<String, String> meta = new LinkedHashMap<>(raw.metadata());
        meta.putAll(edits);
        for (String key : removed) {
            meta.remove(key);
        }
        meta.remove("checksum");
        meta.put("checksum", Checkpoint.checksum(raw.tensors(), meta));
        Path file = dir.resolve("edited.safetensors");
        Safetensors.write(file, raw.tensors(), meta);
        return file;
    }

    @Test
    void metadataThatDisagreesWithTheTensorsIsRefusedBeforeAnyModelIsBuilt() throws Exception {
        assertThatThrownBy(() -> Checkpoint.load(reSigned(Map.of("model.dim", "2147483646"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'patch_embed.proj.weight' the shape [2147483646, 1, 2, 2], but the file holds"
                        + " [16, 1, 2, 2] (the metadata and the tensors disagree)");
        assertThatThrownBy(() -> Checkpoint.load(reSigned(Map.of("model.depth", "3"))))
                .hasMessageContaining("needs tensor 'blocks.2.mlp.fc1.weight'");
        assertThatThrownBy(() -> Checkpoint.load(reSigned(Map.of("model.depth", "1"))))
                .hasMessageContaining("says 1 blocks, but the file holds 'blocks.1.norm1.weight'");
        assertThatThrownBy(() -> Checkpoint.load(reSigned(Map.of("model.numClasses", "9"))))
                .hasMessageContaining("'head.weight' the shape [9, 16]");
    }

    @Test
    void missingOrMalformedBookkeepingIsNamed() throws Exception {
        assertThatThrownBy(() -> Checkpoint.load(reSigned(Map.of(), "model.kind")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadata 'model.kind' = null is not one of");
        assertThatThrownBy(() -> Checkpoint.load(reSigned(Map.of("loss.count", "4294967298"))))
                .hasMessageContaining("metadata 'loss.count' = 4294967298 is not an int");
        assertThatThrownBy(() -> Checkpoint.load(reSigned(Map.of("stopped", "yes"))))
                .hasMessageContaining("metadata 'stopped' = yes is not true or false");
        assertThatThrownBy(() -> Checkpoint.load(reSigned(Map.of("step", "-1"))))
                .hasMessageContaining("expected 0 <= step <= updates");
    }
}

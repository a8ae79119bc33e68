package dev.mp3.train;

import static dev.mp3.tensor.testing.CorruptFiles.allowance;
import static dev.mp3.tensor.testing.CorruptFiles.loadOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mp3.nn.Adam;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.testing.CorruptFiles;
import dev.mp3.tensor.testing.CorruptFiles.Field;
import dev.mp3.tensor.testing.CorruptFiles.Mutation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link Checkpoint#load} on damaged checkpoints (see {@link CorruptFiles}): a small ViT checkpoint
 * with best weights, optimizer state and history, damaged as bytes and through its safetensors
 * header (which holds the config, recipe and progress as metadata strings), the header reframed
 * with a correct length so the damage reaches the metadata checks. Loading must succeed or throw
 * an IllegalArgumentException or IOException naming the file, allocating about its size at most.
 */
class CorruptCheckpointTest {

    private static Path dir;
    private static byte[] valid;
    private static String header;
    private static byte[] data;

    @BeforeContainer
    static void writeValidCheckpoint() throws IOException {
        dir = Files.createTempDirectory("corrupt-checkpoint");
        VisionTransformer model = new VisionTransformer(CheckpointTest.VIT, new Rng(3));
        Adam adam = new Adam(model.namedParameters(), Adam.Config.adamW(0.05f));
        List<Trainer.Report> history = List.of(new Trainer.Report(3, 0.1 + 0.2, 1e-3, 2.0 / 3, 1.5, 10.0),
                new Trainer.Report(6, Math.PI, 1e-4, Double.NaN, 0.25, 7.0 / 3));
        Checkpoint.Progress progress = new Checkpoint.Progress(7, 12, 3, 4, 1.25, 2, 0.5, 6, 1, false, history);
        Path file = dir.resolve("valid.safetensors");
        Checkpoint.write(file, model, CheckpointTest.VIT, ImageRecipe.classify(1), adam, progress,
                Map.of("norm.weight", model.stateDict().get("norm.weight")));
        valid = Files.readAllBytes(file);
        int headerLength = (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        header = new String(valid, 8, headerLength, StandardCharsets.UTF_8);
        data = Arrays.copyOfRange(valid, 8 + headerLength, valid.length);
        // Loads back as written, and the loading classes are in before anything is measured.
        assertThat(Checkpoint.load(file).progress()).isEqualTo(progress);
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        CorruptFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<Mutation> byteDamage() {
        return CorruptFiles.mutations(valid, List.of(new Field("header length", 0, 8, ByteOrder.LITTLE_ENDIAN)));
    }

    @Provide
    Arbitrary<String> headerDamage() {
        return CorruptFiles.jsonEdits(header);
    }

    @Property(tries = 150, seed = "20250741")
    void aDamagedCheckpointLoadsOrIsRefused(@ForAll("byteDamage") Mutation damage) {
        byte[] bytes = damage.apply(valid);
        Path file = CorruptFiles.write(dir.resolve("bytes-" + damage.getClass().getSimpleName() + ".safetensors"),
                bytes);
        Checkpoint c = loadOrRefuse(file, allowance(bytes.length), () -> Checkpoint.load(file));
        if (c != null) {
            // A flipped digit may make another valid config; the weights are still there.
            assertThat(c.modelState()).isNotEmpty();
        }
    }

    @Property(tries = 250, seed = "20250742")
    void aCheckpointWithDamagedMetadataLoadsOrIsRefused(@ForAll("headerDamage") String damagedHeader) {
        byte[] h = damagedHeader.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
        Path file = CorruptFiles.write(dir.resolve("header.safetensors"), bytes);
        Checkpoint c = loadOrRefuse(file, allowance(bytes.length), () -> Checkpoint.load(file));
        if (c != null) {
            assertThat(c.modelState()).isNotEmpty();
        }
    }
}

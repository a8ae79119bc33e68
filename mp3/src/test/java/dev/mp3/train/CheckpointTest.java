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

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
                .hasMessageContaining("vision (ViT) checkpoint")
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
}

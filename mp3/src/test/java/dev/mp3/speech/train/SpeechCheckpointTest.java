package dev.mp3.speech.train;

import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.Safetensors;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpeechCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void aVisionCheckpointIsRecognisedAndRefused() throws Exception {
        ViTConfig vit = new ViTConfig(8, 2, 1, 16, 2, 2, 2f, 2, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
        Path file = dir.resolve("vit.safetensors");
        Checkpoint.save(file, new VisionTransformer(vit, new Rng(1)), TrainConfig.classify(1), null, 0, 0, 0);
        assertThatThrownBy(() -> SpeechCheckpoint.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("vision (ViT) checkpoint")
                .hasMessageContaining("speech-pretrain");
    }

    @Test
    void anotherFormatOrAMissingFileIsNamed() throws Exception {
        Path other = dir.resolve("other.safetensors");
        Safetensors.write(other, Map.of("w", Tensor.zeros(2)), Map.of("format", "pt"));
        assertThatThrownBy(() -> SpeechCheckpoint.load(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other.toString()).hasMessageContaining("not an mp3 speech checkpoint");
        Path absent = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> SpeechCheckpoint.load(absent)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("checkpoint not found");
    }
}

package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mp3.speech.SpeechCommandsLayout.Split;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SyntheticSpeechTest {

    @TempDir
    Path dir;

    public static boolean espeakInstalled() {
        try {
            return new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static SyntheticSpeech.Options tiny() {
        return SyntheticSpeech.Options.defaults().withCounts(3, 3).withOtherWords(List.of("marvin", "sheila"))
                .withSeed(7).withThreads(2);
    }

    @Test
    void generatesTheSpeechCommandsLayout() throws IOException {
        assumeTrue(espeakInstalled(), "espeak-ng is not installed (apt-get install espeak-ng): generator test skipped");
        Path root = dir.resolve("synthetic");
        SyntheticSpeech.Result result = SyntheticSpeech.generate(root, tiny());
        assertThat(result.clips()).isEqualTo(12 * 3);
        // Nothing left behind but the dataset itself.
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings).containsExactly(root);
        }

        SpeechCommandsLayout layout = SpeechCommandsLayout.scan(root);
        List<String> expectedWords = new ArrayList<>(SpeechDataConfig.COMMAND_WORDS);
        expectedWords.addAll(List.of("marvin", "sheila"));
        expectedWords.sort(null);
        assertThat(layout.words()).isEqualTo(expectedWords);
        for (Split s : Split.values()) {
            assertThat(layout.clips(s)).as("%s: one clip per word", s).hasSize(12);
        }
        assertThat(layout.backgroundFiles()).extracting(p -> p.getFileName().toString())
                .containsExactly("brown_noise.wav", "pink_noise.wav", "white_noise.wav");
        assertThat(root.resolve("README.md")).exists();

        // Every clip: a 16 kHz mono 16-bit PCM header, exactly one second, audible speech.
        for (Split s : Split.values()) {
            for (SpeechCommandsLayout.Clip c : layout.clips(s)) {
                Path file = root.resolve(c.relativePath());
                ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
                assertThat(header.getShort(20)).as("PCM").isEqualTo((short) 1);
                assertThat(header.getShort(22)).as("mono").isEqualTo((short) 1);
                assertThat(header.getInt(24)).as("rate").isEqualTo(16000);
                assertThat(header.getShort(34)).as("bits").isEqualTo((short) 16);
                float[] x = Wav.readSpeechClip(file);
                assertThat(x).hasSize(16000);
                float peak = 0;
                for (float v : x) {
                    peak = Math.max(peak, Math.abs(v));
                }
                assertThat(peak).as(c.relativePath()).isBetween(0.25f, 0.95f);
                assertThat(c.relativePath()).matches("[a-z]+/[0-9a-f]{8}_nohash_[0-9]+\\.wav");
            }
        }

        // Speakers (the hex prefix) never cross splits, and match the reported assignment.
        Map<String, Split> speakerSplit = new HashMap<>();
        for (Split s : Split.values()) {
            for (SpeechCommandsLayout.Clip c : layout.clips(s)) {
                String speaker = c.relativePath().substring(c.word().length() + 1, c.word().length() + 9);
                Split previous = speakerSplit.put(speaker, s);
                assertThat(previous == null || previous == s).as("speaker %s in %s and %s", speaker, previous, s)
                        .isTrue();
            }
        }
        for (Split s : Split.values()) {
            Set<String> ids = new HashSet<>();
            for (String v : result.speakers().get(s)) {
                ids.add(SyntheticSpeech.speakerId(v));
            }
            speakerSplit.forEach((speaker, split) -> {
                if (split == s) {
                    assertThat(ids).contains(speaker);
                }
            });
        }
        assertThat(result.speakers().get(Split.TEST)).hasSize(10).doesNotContainAnyElementsOf(
                result.speakers().get(Split.TRAIN));
        assertThat(result.speakers().get(Split.VALIDATION)).hasSize(10).doesNotContainAnyElementsOf(
                result.speakers().get(Split.TRAIN)).doesNotContainAnyElementsOf(result.speakers().get(Split.TEST));

        // The loader takes it as it is: 10 keyword clips per split, ceil(1) unknown and silence.
        SpeechData data = SpeechData.load(root, SpeechDataConfig.TC_RESNET, 0);
        assertThat(data.train().size()).isEqualTo(12);
        assertThat(data.validation().size()).isEqualTo(12);
        assertThat(data.test().size()).isEqualTo(12);

        // Same seed, same bytes.
        Path again = dir.resolve("again");
        SyntheticSpeech.generate(again, tiny());
        for (SpeechCommandsLayout.Clip c : layout.clips(Split.TRAIN)) {
            assertThat(Files.readAllBytes(again.resolve(c.relativePath())))
                    .isEqualTo(Files.readAllBytes(root.resolve(c.relativePath())));
        }
        assertThatThrownBy(() -> SyntheticSpeech.generate(root, tiny())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty");
    }

    @Test
    void missingEspeakSaysHowToInstallIt() {
        Path root = dir.resolve("never");
        assertThatThrownBy(() -> SyntheticSpeech.generate(root, tiny().withEspeak("/nonexistent/espeak-ng")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install espeak-ng");
        assertThat(root).doesNotExist();
    }

    @Test
    void speakersAreDistinctAndSplitDisjointly() {
        Set<String> ids = new HashSet<>();
        for (String v : SyntheticSpeech.VARIANTS) {
            assertThat(ids.add(SyntheticSpeech.speakerId(v))).as("id of %s is unique", v).isTrue();
        }
        Map<Split, List<String>> a = SyntheticSpeech.assignSpeakers(tiny(), new dev.mp3.tensor.Rng(7));
        assertThat(a.get(Split.TRAIN).size() + a.get(Split.VALIDATION).size() + a.get(Split.TEST).size())
                .isEqualTo(SyntheticSpeech.VARIANTS.size());
        Set<String> all = new HashSet<>();
        a.values().forEach(all::addAll);
        assertThat(all).hasSize(SyntheticSpeech.VARIANTS.size());
        assertThat(SyntheticSpeech.assignSpeakers(tiny(), new dev.mp3.tensor.Rng(8)))
                .isNotEqualTo(a);
    }

    @Test
    void trimKeepsTheAudiblePart() {
        float[] x = {0f, 0.001f, 0.5f, -1f, 0.3f, 0.01f, 0f};
        assertThat(SyntheticSpeech.trim(x)).containsExactly(0.5f, -1f, 0.3f);
        assertThatThrownBy(() -> SyntheticSpeech.trim(new float[10])).hasMessageContaining("silence");
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> SyntheticSpeech.Options.defaults().withCounts(0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clipsPerKeyword");
        assertThatThrownBy(() -> SyntheticSpeech.Options.defaults().withOtherWords(List.of("yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
    }
}

package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.speech.SpeechCommandsLayout.Split;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeechDataTest {

    @TempDir
    static Path dir;

    static Path root;
    static SpeechData data;

    @BeforeAll
    static void writeAndLoad() throws IOException {
        root = SpeechTestData.write(dir.resolve("speech_commands"));
        data = SpeechData.load(root, SpeechDataConfig.TC_RESNET, 42);
    }

    @Test
    void classesInTcResNetOrder() {
        assertThat(data.classes()).containsExactly("silence", "down", "go", "left", "no", "off", "on", "right",
                "stop", "unknown", "up", "yes");
    }

    @Test
    void layoutSplitsByTheListFiles() {
        SpeechCommandsLayout layout = data.layout();
        assertThat(layout.words()).hasSize(13).contains("bed", "yes", "marvin");
        assertThat(layout.clips(Split.VALIDATION)).hasSize(13)
                .allMatch(c -> c.relativePath().endsWith(SpeechTestData.fileName(0)));
        assertThat(layout.clips(Split.TEST)).hasSize(13)
                .allMatch(c -> c.relativePath().endsWith(SpeechTestData.fileName(1)));
        assertThat(layout.clips(Split.TRAIN)).hasSize(13 * 3)
                .noneMatch(c -> c.relativePath().endsWith(SpeechTestData.fileName(0))
                        || c.relativePath().endsWith(SpeechTestData.fileName(1)));
        assertThat(layout.backgroundFiles()).extracting(p -> p.getFileName().toString())
                .containsExactly("hum.wav", "white_noise.wav"); // README.md is not audio
    }

    /**
     * Keywords all kept, unknown = ceil(0.1 K) of the other words, silence = ceil(0.1 K):
     * validation and test have K = 10 (one clip per keyword), training K = 30.
     */
    @Test
    void countsPerSplitAndClass() {
        int silence = data.classes().indexOf("silence");
        int unknown = data.classes().indexOf("unknown");
        for (Split s : Split.values()) {
            SpeechSplit split = data.split(s);
            int perKeyword = s == Split.TRAIN ? 3 : 1;
            int k = 10 * perKeyword;
            int[] counts = split.classCounts();
            int expectedExtra = (int) Math.ceil(k / 10.0);
            assertThat(counts[silence]).as("%s silence", s).isEqualTo(expectedExtra);
            assertThat(counts[unknown]).as("%s unknown", s).isEqualTo(expectedExtra);
            for (String word : SpeechDataConfig.COMMAND_WORDS) {
                assertThat(counts[data.classes().indexOf(word)]).as("%s %s", s, word).isEqualTo(perKeyword);
            }
            assertThat(split.size()).isEqualTo(k + 2 * expectedExtra);
        }
        assertThat(SpeechData.fractionOf(0.1, 18538)).isEqualTo(1854);
        assertThat(SpeechData.fractionOf(0.1, 2577)).isEqualTo(258);
        assertThat(SpeechData.fractionOf(0.1, 2570)).isEqualTo(257);
    }

    @Test
    void everyExampleCarriesItsFolderLabel() {
        for (Split s : Split.values()) {
            SpeechSplit split = data.split(s);
            Set<String> listed = new HashSet<>();
            for (SpeechCommandsLayout.Clip c : data.layout().clips(s)) {
                listed.add(c.relativePath());
            }
            for (int i = 0; i < split.size(); i++) {
                String source = split.source(i);
                String label = data.classes().get(split.label(i));
                if (source.startsWith("silence #")) {
                    assertThat(label).isEqualTo("silence");
                    continue;
                }
                assertThat(listed).as("%s comes from split %s", source, s).contains(source);
                String word = source.substring(0, source.indexOf('/'));
                assertThat(label).isEqualTo(SpeechDataConfig.COMMAND_WORDS.contains(word) ? word : "unknown");
            }
        }
    }

    @Test
    void unknownSamplingIsDeterministicPerSeed() {
        List<String> first = unknownSources(data.train());
        List<String> again = unknownSources(SpeechData.load(root, SpeechDataConfig.TC_RESNET, 42).train());
        assertThat(again).isEqualTo(first);
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 8; seed++) {
            seen.add(unknownSources(SpeechData.load(root, SpeechDataConfig.TC_RESNET, seed).train()));
        }
        assertThat(seen).as("3 of 9 unknown clips: other seeds pick other subsets").hasSizeGreaterThan(1);
    }

    private static List<String> unknownSources(SpeechSplit split) {
        List<String> out = new ArrayList<>();
        int unknown = split.classes().indexOf("unknown");
        for (int i = 0; i < split.size(); i++) {
            if (split.label(i) == unknown) {
                out.add(split.source(i));
            }
        }
        return out;
    }

    /** Evaluation batches: the MFCCs of the padded clip as read from disk, no augmentation. */
    @Test
    void evaluationBatchesAreCleanMfccs() {
        Mfcc mfcc = new Mfcc();
        for (SpeechSplit split : List.of(data.validation(), data.test())) {
            assertThat(split.augmented()).isFalse();
            int[] all = new int[split.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            SpeechBatch batch = split.batch(all, null);
            assertThat(batch.features().shape()).containsExactly(split.size(), 98, 40);
            assertThat(batch.features().dtype()).isEqualTo(DType.F32);
            assertThat(batch.labels().dtype()).isEqualTo(DType.I32);
            float[] values = batch.features().toFloatArray();
            int[] labels = batch.labels().toIntArray();
            for (int i = 0; i < all.length; i++) {
                assertThat(labels[i]).isEqualTo(split.label(i));
                String source = split.source(i);
                float[] clip = source.startsWith("silence #") ? new float[16000]
                        : Wav.readSpeechClip(root.resolve(source), 16000);
                float[] want = mfcc.compute(clip);
                float[] got = java.util.Arrays.copyOfRange(values, i * 3920, (i + 1) * 3920);
                assertThat(got).as(source).containsExactly(want);
            }
            // The same call twice gives the same batch, rng or not.
            assertThat(split.batch(all, new Rng(1)).features().toFloatArray()).containsExactly(values);
        }
    }

    /** Training batches: augmented, reproducible from the Rng state, different for another state. */
    @Test
    void trainingAugmentationIsDeterministicForASeed() {
        SpeechSplit train = data.train();
        assertThat(train.augmented()).isTrue();
        int[] idx = {0, 5, 7, 3, train.size() - 1};
        float[] a = train.batch(idx, new Rng(9)).features().toFloatArray();
        float[] b = train.batch(idx, new Rng(9)).features().toFloatArray();
        float[] c = train.batch(idx, new Rng(10)).features().toFloatArray();
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
        // Augmented versus clean: with augmentation off the batch equals the clean MFCCs.
        SpeechDataConfig clean = new SpeechDataConfig(SpeechDataConfig.COMMAND_WORDS, 0.1, 0.1, SpeechDataConfig.Silence.ZEROS,
                0.0, 0.1, 0, Mfcc.Config.TC_RESNET);
        SpeechSplit cleanTrain = SpeechData.load(root, clean, 42).train();
        float[] plain = cleanTrain.batch(idx, new Rng(9)).features().toFloatArray();
        Mfcc mfcc = new Mfcc();
        for (int i = 0; i < idx.length; i++) {
            String source = cleanTrain.source(idx[i]);
            float[] clip = source.startsWith("silence #") ? new float[16000]
                    : Wav.readSpeechClip(root.resolve(source), 16000);
            assertThat(java.util.Arrays.copyOfRange(plain, i * 3920, (i + 1) * 3920)).containsExactly(mfcc.compute(clip));
        }
        assertThat(a).isNotEqualTo(plain);
    }

    @Test
    void epochsShuffleTrainingOnly() {
        List<int[]> evalBatches = data.validation().epoch(5, null);
        assertThat(evalBatches).hasSize(3);
        assertThat(evalBatches.get(0)).containsExactly(0, 1, 2, 3, 4);
        assertThat(evalBatches.get(2)).containsExactly(10, 11);
        List<int[]> e1 = data.train().epoch(8, new Rng(5));
        List<int[]> e2 = data.train().epoch(8, new Rng(5));
        int n = data.train().size();
        assertThat(e1).hasSize((n + 7) / 8);
        int[] flat = e1.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        assertThat(flat).hasSize(n).doesNotHaveDuplicates();
        assertThat(flat).isNotEqualTo(java.util.stream.IntStream.range(0, n).toArray());
        for (int i = 0; i < e1.size(); i++) {
            assertThat(e2.get(i)).containsExactly(e1.get(i));
        }
        assertThatThrownBy(() -> data.train().epoch(8, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an Rng");
        assertThatThrownBy(() -> data.test().batch(new int[] {data.test().size()}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    /** Silence from the background recordings: a scaled crop of one of them, fixed per seed. */
    @Test
    void silenceFromBackgroundNoise() throws IOException {
        SpeechDataConfig config = SpeechDataConfig.TC_RESNET.withSilence(SpeechDataConfig.Silence.BACKGROUND);
        SpeechSplit validation = SpeechData.load(root, config, 42).validation();
        int i = validation.size() - 1;
        assertThat(validation.source(i)).isEqualTo("silence #0");
        float[] got = validation.batch(new int[] {i}, null).features().toFloatArray();
        float[] zerosMfcc = new Mfcc().compute(new float[16000]);
        assertThat(got).isNotEqualTo(zerosMfcc);
        assertThat(SpeechData.load(root, config, 42).validation().batch(new int[] {i}, null).features()
                .toFloatArray()).containsExactly(got);
        // The zero-silence default gives exactly the MFCCs of zeros.
        assertThat(data.validation().batch(new int[] {i}, null).features().toFloatArray()).containsExactly(zerosMfcc);
    }

    @Test
    void badLayoutsGetClearErrors() throws IOException {
        assertThatThrownBy(() -> SpeechData.load(dir.resolve("nowhere"), SpeechDataConfig.TC_RESNET, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a directory")
                .hasMessageContaining("make-speech-data");

        Path noList = SpeechTestData.write(dir.resolve("no_list"));
        Files.delete(noList.resolve("testing_list.txt"));
        assertThatThrownBy(() -> SpeechData.load(noList, SpeechDataConfig.TC_RESNET, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("testing_list.txt is missing");

        Path badList = SpeechTestData.write(dir.resolve("bad_list"));
        Files.writeString(badList.resolve("validation_list.txt"), "yes/" + SpeechTestData.fileName(0)
                + "\nyes/ffffffff_nohash_9.wav\n");
        assertThatThrownBy(() -> SpeechData.load(badList, SpeechDataConfig.TC_RESNET, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2")
                .hasMessageContaining("yes/ffffffff_nohash_9.wav");

        Path noGo = SpeechTestData.write(dir.resolve("no_go"));
        try (var files = Files.list(noGo.resolve("go"))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(noGo.resolve("go"));
        Files.writeString(noGo.resolve("validation_list.txt"), "");
        Files.writeString(noGo.resolve("testing_list.txt"), "");
        assertThatThrownBy(() -> SpeechData.load(noGo, SpeechDataConfig.TC_RESNET, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyword(s) [go]");

        Path noNoise = SpeechTestData.write(dir.resolve("no_noise"));
        for (String f : List.of("hum.wav", "white_noise.wav")) {
            Files.delete(noNoise.resolve("_background_noise_").resolve(f));
        }
        assertThatThrownBy(() -> SpeechData.load(noNoise, SpeechDataConfig.TC_RESNET, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no .wav files")
                .hasMessageContaining("backgroundFrequency");
        SpeechDataConfig quiet = new SpeechDataConfig(SpeechDataConfig.COMMAND_WORDS, 0.1, 0.1, SpeechDataConfig.Silence.ZEROS,
                0.0, 0.1, 1600, Mfcc.Config.TC_RESNET);
        assertThat(SpeechData.load(noNoise, quiet, 1).train().size()).isEqualTo(36);

        Path wrongRate = SpeechTestData.write(dir.resolve("wrong_rate"));
        Path clip = wrongRate.resolve("up").resolve(SpeechTestData.fileName(3));
        Files.write(clip, WavTest.wav(1, 1, 8000, 16, WavTest.pcm16((short) 1)));
        assertThatThrownBy(() -> SpeechData.load(wrongRate, SpeechDataConfig.TC_RESNET, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(clip.toString())
                .hasMessageContaining("8000 Hz mono 16-bit PCM, expected 16000 Hz mono 16-bit PCM");
    }

    @Test
    void summaryListsEveryClass() {
        String summary = data.summary();
        assertThat(summary).contains("train", "validation", "test", "silence", "unknown", "yes");
        assertThat(summary.lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow())
                .matches("total\\s+36\\s+12\\s+12");
    }
}

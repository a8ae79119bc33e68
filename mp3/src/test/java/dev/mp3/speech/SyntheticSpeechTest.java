package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mp3.speech.SpeechCommandsLayout.Split;
import dev.mp3.tensor.Rng;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

public class SyntheticSpeechTest {

    @TempDir
    Path dir;

    public static boolean espeakInstalled() {
        return installed("espeak-ng");
    }

    /** Whether the named synthesiser runs here with at least one of its voices. */
    static boolean installed(String name) {
        for (Synthesiser s : Synthesiser.all("espeak-ng", "flite", "festival")) {
            if (s.name().equals(name)) {
                try {
                    s.version();
                    return !s.voices().isEmpty();
                } catch (IllegalStateException e) {
                    return false;
                }
            }
        }
        throw new IllegalArgumentException(name);
    }

    static boolean allInstalled() {
        return installed("espeak-ng") && installed("flite") && installed("festival");
    }

    static String skipReason(String name) {
        return name + " is not installed (apt-get install " + switch (name) {
            case "flite" -> "flite";
            case "festival" -> "festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts";
            default -> "espeak-ng";
        } + "): test skipped";
    }

    static SyntheticSpeech.Options tiny() {
        return SyntheticSpeech.Options.defaults().withCounts(3, 3).withOtherWords(List.of("marvin", "sheila"))
                .withSeed(7).withThreads(2);
    }

    @Test
    void generatesTheSpeechCommandsLayout() throws IOException {
        assumeTrue(espeakInstalled(), skipReason("espeak-ng"));
        Path root = dir.resolve("synthetic");
        SyntheticSpeech.Options options = tiny().withSynthesisers(List.of("espeak-ng"));
        SyntheticSpeech.Result result = SyntheticSpeech.generate(root, options);
        assertThat(result.clips()).isEqualTo(12 * 3);
        assertThat(result.made()).isEqualTo(12 * 3);
        assertThat(result.used()).singleElement().asString().startsWith("eSpeak NG");
        // Nothing left behind but the dataset itself, and no scratch or temporary files in it.
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings).containsExactly(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            assertThat(walk.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
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
        assertThat(root.resolve(SyntheticSpeech.MANIFEST)).exists();
        assertClipsAreSpeech(root, layout);
        assertSpeakersDisjoint(layout);
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
        SyntheticSpeech.generate(again, options.withThreads(1));
        assertThat(contents(again)).isEqualTo(contents(root));
        // The same options again finish nothing new; another seed is refused.
        assertThat(SyntheticSpeech.generate(root, options).made()).isZero();
        assertThatThrownBy(() -> SyntheticSpeech.generate(root, options.withSeed(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds another set");
    }

    /** Each installed synthesiser alone: audible, 16 kHz mono 16-bit, one second, only its own speakers. */
    @ParameterizedTest
    @ValueSource(strings = {"espeak-ng", "flite", "festival"})
    void eachSynthesiserMakesAudibleOneSecondClips(String name) throws IOException {
        assumeTrue(installed(name), skipReason(name));
        Path root = dir.resolve(name);
        SyntheticSpeech.Result result = SyntheticSpeech.generate(root,
                tiny().withCounts(3, 0).withSynthesisers(List.of(name)).withNoise(0, 0, 0));
        assertThat(result.clips()).isEqualTo(30);
        SpeechCommandsLayout layout = SpeechCommandsLayout.scan(root);
        assertClipsAreSpeech(root, layout);
        assertSpeakersDisjoint(layout);
        try (Stream<String> lines = Files.lines(root.resolve(SyntheticSpeech.MANIFEST))) {
            assertThat(lines.skip(2).map(l -> l.split("\t")[2])).hasSize(30).containsOnly(name);
        }
    }

    /** All three together: the same seed gives the same bytes whatever the thread order; another seed other bytes. */
    @Test
    void sameSeedSameBytesWithEverySynthesiser() throws IOException {
        assumeTrue(allInstalled(), "espeak-ng, flite and festival are not all installed (apt-get install espeak-ng "
                + "flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts): test skipped");
        SyntheticSpeech.Options options = tiny().withCounts(4, 1);
        SyntheticSpeech.Result a = SyntheticSpeech.generate(dir.resolve("a"), options);
        SyntheticSpeech.generate(dir.resolve("b"), options.withThreads(1));
        assertThat(a.used()).hasSize(3);
        assertThat(contents(dir.resolve("b"))).isEqualTo(contents(dir.resolve("a")));
        String manifest = Files.readString(dir.resolve("a").resolve(SyntheticSpeech.MANIFEST));
        assertThat(manifest).contains("\tespeak-ng\t").contains("\tflite\t").contains("\tfestival\t");
        assertSpeakersDisjoint(SpeechCommandsLayout.scan(dir.resolve("a")));
        SyntheticSpeech.generate(dir.resolve("c"), options.withSeed(8));
        assertThat(contents(dir.resolve("c"))).isNotEqualTo(contents(dir.resolve("a")));
    }

    @Test
    void resumingAfterDeletingClipsRemakesExactlyThose() throws IOException {
        assertResumeRemakesDeleted(FakeSynthesiser.trio());
    }

    /** The same with the real programs: Festival speaks a remade clip alone that it first spoke in a batch. */
    @Test
    void resumingWithTheRealSynthesisersRemakesExactlyTheDeleted() throws IOException {
        assumeTrue(allInstalled(), "espeak-ng, flite and festival are not all installed: test skipped");
        assertResumeRemakesDeleted(Synthesiser.all("espeak-ng", "flite", "festival"));
    }

    private void assertResumeRemakesDeleted(List<Synthesiser> synths) throws IOException {
        Path root = dir.resolve("set");
        SyntheticSpeech.Options options = tiny().withCounts(4, 2);
        SyntheticSpeech.Result first = SyntheticSpeech.generate(root, options, synths);
        Map<String, String> before = contents(root);
        Map<String, FileTime> times = new HashMap<>();
        List<String> clips = before.keySet().stream().filter(p -> !p.startsWith("_") && p.endsWith(".wav"))
                .toList();
        for (String c : clips) {
            times.put(c, Files.getLastModifiedTime(root.resolve(c)));
        }
        // Every third clip, some of each synthesiser, and the lists, as an interrupted run would leave it.
        Set<String> deleted = new HashSet<>();
        for (int i = 0; i < clips.size(); i += 3) {
            Files.delete(root.resolve(clips.get(i)));
            deleted.add(clips.get(i));
        }
        Files.delete(root.resolve(SpeechCommandsLayout.TESTING_LIST));
        Files.writeString(root.resolve(clips.get(1)).resolveSibling(".half.wav.1234.tmp"), "half");
        for (String c : clips) {
            if (!deleted.contains(c)) {
                Files.setLastModifiedTime(root.resolve(c), FileTime.fromMillis(1_000_000_000_000L));
            }
        }
        SyntheticSpeech.Result second = SyntheticSpeech.generate(root, options, synths);
        assertThat(second.made()).isEqualTo(deleted.size());
        assertThat(second.clips()).isEqualTo(first.clips());
        assertThat(contents(root)).isEqualTo(before);
        for (String c : clips) {
            FileTime t = Files.getLastModifiedTime(root.resolve(c));
            if (deleted.contains(c)) {
                assertThat(t.toMillis()).as("%s remade", c).isNotEqualTo(1_000_000_000_000L);
            } else {
                assertThat(t.toMillis()).as("%s kept", c).isEqualTo(1_000_000_000_000L);
            }
        }
    }

    @Test
    void anotherSetOrForeignFilesAreRefused() throws IOException {
        Path root = dir.resolve("set");
        SyntheticSpeech.generate(root, tiny().withCounts(1, 0), FakeSynthesiser.trio());
        assertThatThrownBy(() -> SyntheticSpeech.generate(root, tiny().withCounts(2, 0), FakeSynthesiser.trio()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds another set")
                .hasMessageContaining("clips 1/0").hasMessageContaining("clips 2/0");
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> SyntheticSpeech.generate(other, tiny(), FakeSynthesiser.trio()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no manifest.tsv");
    }

    /** Noisy clip minus the same clip made without noise: the SNR in the manifest, within 0.1 dB. */
    @Test
    void backgroundNoiseIsMixedAtTheDrawnSnr() throws IOException {
        SyntheticSpeech.Options noisy = tiny().withCounts(3, 1).withNoise(1, 0, 20);
        SyntheticSpeech.generate(dir.resolve("noisy"), noisy, FakeSynthesiser.trio());
        SyntheticSpeech.generate(dir.resolve("clean"), noisy.withNoise(0, 0, 20), FakeSynthesiser.trio());
        List<String> rows = Files.readAllLines(dir.resolve("noisy").resolve(SyntheticSpeech.MANIFEST));
        assertThat(rows).hasSize(2 + 32);
        double lowest = Double.MAX_VALUE;
        double highest = -Double.MAX_VALUE;
        for (String row : rows.subList(2, rows.size())) {
            String[] f = row.split("\t");
            double wanted = Double.parseDouble(f[12]);
            float[] x = Wav.readSpeechClip(dir.resolve("noisy").resolve(f[0]));
            float[] c = Wav.readSpeechClip(dir.resolve("clean").resolve(f[0]));
            // A clip the limiter scaled down (peak 0.99) is compared after projecting out its scaled clean share.
            boolean limited = peak(x) > 0.989f;
            assertThat(measuredSnr(c, x, limited)).as("%s (%s)", f[0], f[11])
                    .isCloseTo(wanted, org.assertj.core.data.Offset.offset(limited ? 0.3 : 0.02));
            lowest = Math.min(lowest, wanted);
            highest = Math.max(highest, wanted);
        }
        assertThat(lowest).isLessThan(5);
        assertThat(highest).isGreaterThan(15);
        // Without noise only the quiet floor differs from silence around the word.
        assertThat(Files.readString(dir.resolve("clean").resolve(SyntheticSpeech.MANIFEST))).doesNotContain("noise.wav");
    }

    @Test
    void mixAtSnrHitsTheRatioExactly() {
        long key = 11;
        float[] clean = new float[16_000];
        float[] noise = new float[40_000];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = 0.3f * (float) Math.sin(i * 0.05) * (i > 4000 && i < 9000 ? 1 : 0.01f);
        }
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 0.15f * Rng.normalAt(key, i);
        }
        for (double snr : new double[] {-5, 0, 7.5, 30}) {
            float[] mixed = SyntheticSpeech.mixAtSnr(clean, noise, 12_345, snr);
            double s = 0;
            double n = 0;
            for (int i = 0; i < clean.length; i++) {
                s += (double) clean[i] * clean[i];
                n += (double) (mixed[i] - clean[i]) * (mixed[i] - clean[i]);
                assertThat(mixed[i] - clean[i]).isNotNaN();
            }
            assertThat(10 * Math.log10(s / n)).as("SNR %s dB", snr).isCloseTo(snr, org.assertj.core.data.Offset
                    .offset(1e-3));
        }
        float[] loud = SyntheticSpeech.limit(new float[] {0.5f, -1.98f, 0.2f});
        assertThat(loud).containsExactly(0.25f, -0.99f, 0.1f);
    }

    private static float peak(float[] x) {
        float p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    /**
     * 10 log10 of the clean power over the noise power, the noise being noisy minus clean; or, for a
     * clip the limiter scaled by an unknown gain, noisy minus its least-squares multiple of clean
     * (which also removes the noise's chance correlation with the clean clip: a few tenths of a dB at most).
     */
    private static double measuredSnr(float[] clean, float[] noisy, boolean limited) {
        double cc = 0;
        double cx = 0;
        for (int i = 0; i < clean.length; i++) {
            cc += (double) clean[i] * clean[i];
            cx += (double) clean[i] * noisy[i];
        }
        double alpha = limited ? cx / cc : 1;
        double n = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = noisy[i] - alpha * clean[i];
            n += d * d;
        }
        return 10 * Math.log10(alpha * alpha * cc / n);
    }

    @Test
    void missingSynthesisersSayHowToInstallThem() {
        Path root = dir.resolve("never");
        assertThatThrownBy(() -> SyntheticSpeech.generate(root, tiny().withSynthesisers(List.of("espeak-ng"))
                .withEspeak("/nonexistent/espeak-ng")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install espeak-ng");
        assertThatThrownBy(() -> SyntheticSpeech.generate(root, tiny().withSynthesisers(List.of("flite"))
                .withExecutables("espeak-ng", "/nonexistent/flite", "festival")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install flite");
        assertThatThrownBy(() -> SyntheticSpeech.generate(root, tiny().withSynthesisers(List.of("festival"))
                .withExecutables("espeak-ng", "flite", "/nonexistent/festival")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts");
        assertThatThrownBy(() -> SyntheticSpeech.generate(root, tiny()
                .withExecutables("/nonexistent/espeak-ng", "/nonexistent/flite", "/nonexistent/festival")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no speech synthesiser runs")
                .hasMessageContaining("apt-get install espeak-ng flite festival");
        assertThat(root).doesNotExist();
    }

    /** By default a missing synthesiser is left out and named. */
    @Test
    void missingSynthesisersAreSkippedByDefault() throws IOException {
        List<Synthesiser> synths = new ArrayList<>(FakeSynthesiser.trio().subList(1, 3));
        synths.addFirst(new EspeakNg("/nonexistent/espeak-ng"));
        SyntheticSpeech.Result r = SyntheticSpeech.generate(dir.resolve("set"), tiny().withCounts(2, 0), synths);
        assertThat(r.skipped()).containsExactly("espeak-ng");
        assertThat(r.used()).containsExactly("fake flite 1.0", "fake festival 1.0");
        assertThatThrownBy(() -> SyntheticSpeech.generate(dir.resolve("set2"),
                tiny().withCounts(2, 0).withSynthesisers(List.of("espeak-ng")), synths))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install espeak-ng");
    }

    /** People, not just speakers, are disjoint across splits; each split hears both pools; ids are unique. */
    @Test
    void speakersAndTheirPeopleAreSplitDisjointly() {
        List<Synthesiser> synths = FakeSynthesiser.trio();
        Map<Split, List<SyntheticSpeech.Speaker>> a = SyntheticSpeech.assignSpeakers(tiny(), synths, new Rng(7));
        Map<String, Split> personSplit = new HashMap<>();
        Set<String> ids = new HashSet<>();
        int total = 0;
        for (Split split : Split.values()) {
            for (SyntheticSpeech.Speaker s : a.get(split)) {
                Split previous = personSplit.put(s.voice().person(), split);
                assertThat(previous == null || previous == split).as("%s in %s and %s", s.voice().person(), previous,
                        split).isTrue();
                assertThat(ids.add(SyntheticSpeech.speakerId(s.name()))).as("id of %s is unique", s.name()).isTrue();
                total++;
            }
            assertThat(a.get(split)).extracting(s -> s.synth().name()).as(split.name()).contains("espeak-ng")
                    .containsAnyOf("flite", "festival");
        }
        // 68 espeak-ng variants + 4 personas of 5 Flite and 3 Festival voices.
        assertThat(total).isEqualTo(EspeakNg.VARIANTS.size() + 4 * (5 + 3));
        assertThat(a.get(Split.TEST).stream().filter(s -> s.synth().name().equals("espeak-ng"))).hasSize(10);
        // kal speaks through Flite (kal, kal16) and Festival: all 12 of its speakers share one split.
        assertThat(personSplit).containsKeys("kal", "slt", "awb", "rms", "ked");
        assertThat(SyntheticSpeech.assignSpeakers(tiny(), synths, new Rng(8))).isNotEqualTo(a);
    }

    @Test
    void trimKeepsTheAudiblePart() {
        float[] x = {0f, 0.001f, 0.5f, -1f, 0.3f, 0.01f, 0f};
        assertThat(SyntheticSpeech.trim(x, "m1")).containsExactly(0.5f, -1f, 0.3f);
        assertThatThrownBy(() -> SyntheticSpeech.trim(new float[10], "m1")).hasMessageContaining("m1 produced silence");
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> SyntheticSpeech.Options.defaults().withCounts(0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clipsPerKeyword");
        assertThatThrownBy(() -> SyntheticSpeech.Options.defaults().withOtherWords(List.of("yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
        assertThatThrownBy(() -> SyntheticSpeech.Options.defaults().withSynthesisers(List.of("say")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown synthesiser 'say'");
        assertThatThrownBy(() -> SyntheticSpeech.Options.defaults().withNoise(0.5, 30, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min SNR");
    }

    /** Every clip: a 16 kHz mono 16-bit PCM header, exactly one second, audible, named like the real set. */
    private static void assertClipsAreSpeech(Path root, SpeechCommandsLayout layout) throws IOException {
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
                float peak = peak(x);
                double energy = 0;
                int first = -1;
                int last = -1;
                for (int i = 0; i < x.length; i++) {
                    energy += x[i] * x[i];
                    if (Math.abs(x[i]) > 0.05f * peak) {
                        first = first < 0 ? i : first;
                        last = i;
                    }
                }
                assertThat(peak).as(c.relativePath()).isBetween(0.25f, 0.99f);
                // A word, not a click or the noise floor (std <= 0.005): above 5% of the peak for 25 ms or more
                // (Flite's kal16 says a fast "up" in 43 ms of vowel) and an RMS over the second above 0.008.
                assertThat(last - first).as(c.relativePath()).isGreaterThan(400);
                assertThat(Math.sqrt(energy / x.length)).as(c.relativePath()).isGreaterThan(0.008);
                assertThat(c.relativePath()).matches("[a-z]+/[0-9a-f]{8}_nohash_[0-9]+\\.wav");
            }
        }
    }

    /** Speakers (the hex prefix) never cross splits. */
    private static void assertSpeakersDisjoint(SpeechCommandsLayout layout) {
        Map<String, Split> speakerSplit = new HashMap<>();
        for (Split s : Split.values()) {
            for (SpeechCommandsLayout.Clip c : layout.clips(s)) {
                String speaker = c.relativePath().substring(c.word().length() + 1, c.word().length() + 9);
                Split previous = speakerSplit.put(speaker, s);
                assertThat(previous == null || previous == s).as("speaker %s in %s and %s", speaker, previous, s)
                        .isTrue();
            }
        }
    }

    /** Every file under root by relative path (sorted), with the SHA-256 of its bytes. */
    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                try {
                    out.put(root.relativize(p).toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } catch (NoSuchAlgorithmException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }
}

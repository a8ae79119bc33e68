package dev.mp3.speech;

import dev.mp3.report.ProgressBar;

import dev.mp3.speech.SpeechCommandsLayout.Split;
import dev.mp3.tensor.Rng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A synthetic keyword dataset in the Speech Commands v1 layout, spoken by espeak-ng, so the
 * speech pipeline runs offline without the 2.3 GB real download.
 *
 * <p>Each clip: {@code espeak-ng -v BASE+VARIANT -s SPEED -p PITCH -w tmp.wav WORD}, where the
 * variant (m1..m8, f1..f5, klatt, named voices ...) plays the speaker and the base voice (en-us,
 * en-gb, en-gb-scotland, ...) the accent; speed U(130, 210) words per minute, pitch U(20, 80).
 * The 22,050 Hz output is resampled to 16 kHz ({@link Resampler}), trimmed to where the word is
 * audible, scaled to a peak of U(0.3, 0.9), placed at a random offset in a 1 s clip and mixed with
 * white noise of standard deviation U(0.0005, 0.005), then written as 16-bit PCM.
 *
 * <p>Speakers are disjoint across splits, as in the real dataset (which splits by a hash of the
 * speaker id): the variants are shuffled by the seed and the first {@code testSpeakers} speak
 * only test clips, the next {@code validationSpeakers} only validation clips, the rest only
 * training clips. File names carry the speaker like the real ones ({@code 5f01a3c2_nohash_3.wav},
 * the hex being a hash of the variant name). README.md in the output lists every speaker's split.
 * _background_noise_ gets white, pink and brown noise. Everything is a function of the seed.
 *
 * <p>The whole directory is built under a temporary sibling and renamed into place at the end,
 * so an interrupted run leaves no half-written dataset.
 */
public final class SyntheticSpeech {

    /** The 20 other words of Speech Commands v1, spoken for the "unknown" class. */
    public static final List<String> OTHER_WORDS = List.of("bed", "bird", "cat", "dog", "eight", "five", "four",
            "happy", "house", "marvin", "nine", "one", "seven", "sheila", "six", "three", "tree", "two", "wow",
            "zero");

    /** English base voices of espeak-ng 1.51: the accents. */
    static final List<String> BASE_VOICES = List.of("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp",
            "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029", "en-us-nyc");

    /** Voice variants that sound like people (robots, whispers and effects left out): the speakers. */
    static final List<String> VARIANTS = List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3",
            "f4", "f5", "klatt", "klatt2", "klatt3", "klatt4", "adam", "Alex", "Alicia", "Andrea", "Andy", "Annie",
            "antonio", "aunty", "belinda", "benjamin", "boris", "caleb", "david", "Denis", "Diogo", "ed", "edward",
            "Gene", "gustave", "Henrique", "Hugo", "iven", "Jacky", "john", "Lee", "linda", "marcelo", "Mario",
            "max", "Michael", "michel", "miguel", "Mike", "Nguyen", "pablo", "paul", "pedro", "quincy", "rob",
            "robert", "steph", "norbert", "sandro", "shelby", "travis", "victor", "zac", "anika", "grandpa",
            "grandma", "croak");

    private static final int RATE = 16_000;
    private static final int CLIP = RATE;

    /**
     * What to generate.
     *
     * @param keywords            the words with their own class
     * @param otherWords          words spoken for the unknown class
     * @param clipsPerKeyword     clips per keyword over all splits
     * @param clipsPerOtherWord   clips per other word over all splits
     * @param validationFraction  share of each word's clips in validation (at least one when a
     *                            word has three or more clips)
     * @param testFraction        the same for test
     * @param validationSpeakers  variants that speak only validation clips
     * @param testSpeakers        variants that speak only test clips
     * @param noiseSeconds        length of each _background_noise_ file
     * @param threads             espeak-ng processes at once
     * @param seed                every random choice follows from it
     * @param espeak              the espeak-ng executable
     */
    public record Options(List<String> keywords, List<String> otherWords, int clipsPerKeyword, int clipsPerOtherWord,
                          double validationFraction, double testFraction, int validationSpeakers, int testSpeakers,
                          int noiseSeconds, int threads, long seed, String espeak) {

        /** About 3,500 clips: 250 per keyword, 50 per other word; a minute or two on 2 cores. */
        public static Options defaults() {
            return new Options(SpeechDataConfig.COMMAND_WORDS, OTHER_WORDS, 250, 50, 0.1, 0.1, 10, 10, 20,
                    Runtime.getRuntime().availableProcessors(), 1, "espeak-ng");
        }

        public Options {
            keywords = List.copyOf(keywords);
            otherWords = List.copyOf(otherWords);
            List<String> all = new ArrayList<>(keywords);
            all.addAll(otherWords);
            if (keywords.isEmpty() || all.size() != all.stream().distinct().count()
                    || all.stream().anyMatch(w -> !w.matches("[a-z]+"))) {
                throw new IllegalArgumentException("SyntheticSpeech: words must be distinct lower-case a-z words, "
                        + "got keywords " + keywords + " and other words " + otherWords);
            }
            if (clipsPerKeyword < 1 || clipsPerOtherWord < 0 || validationFraction < 0 || testFraction < 0
                    || validationFraction + testFraction >= 1 || validationSpeakers < 1 || testSpeakers < 1
                    || validationSpeakers + testSpeakers >= VARIANTS.size() || noiseSeconds < 1 || threads < 1) {
                throw new IllegalArgumentException("SyntheticSpeech: need clipsPerKeyword >= 1 (" + clipsPerKeyword
                        + "), clipsPerOtherWord >= 0 (" + clipsPerOtherWord + "), validation and test fractions "
                        + ">= 0 summing below 1 (" + validationFraction + ", " + testFraction + "), at least one "
                        + "validation and test speaker with some left for training (" + validationSpeakers + ", "
                        + testSpeakers + " of " + VARIANTS.size() + "), noiseSeconds >= 1 (" + noiseSeconds
                        + ") and threads >= 1 (" + threads + ")");
            }
        }

        public Options withCounts(int perKeyword, int perOtherWord) {
            return new Options(keywords, otherWords, perKeyword, perOtherWord, validationFraction, testFraction,
                    validationSpeakers, testSpeakers, noiseSeconds, threads, seed, espeak);
        }

        public Options withSeed(long newSeed) {
            return new Options(keywords, otherWords, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, validationSpeakers, testSpeakers, noiseSeconds, threads, newSeed, espeak);
        }

        public Options withThreads(int newThreads) {
            return new Options(keywords, otherWords, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, validationSpeakers, testSpeakers, noiseSeconds, newThreads, seed, espeak);
        }

        public Options withEspeak(String executable) {
            return new Options(keywords, otherWords, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, validationSpeakers, testSpeakers, noiseSeconds, threads, seed, executable);
        }

        public Options withOtherWords(List<String> words) {
            return new Options(keywords, words, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, validationSpeakers, testSpeakers, noiseSeconds, threads, seed, espeak);
        }
    }

    /** One clip to synthesise; every random choice is made up front, in order, from the seed. */
    private record Job(String word, Split split, String variant, String baseVoice, int speed, int pitch, float peak,
                       float placement, float noiseStd, long noiseKey, String relativePath) {}

    /** What a finished run made. */
    public record Result(Path root, int clips, Map<Split, List<String>> speakers, double seconds) {}

    private SyntheticSpeech() {}

    /** The speaker id in file names: 8 hex digits of a hash of the variant name. */
    static String speakerId(String variant) {
        return String.format("%08x", (int) Rng.mix(variant.hashCode()));
    }

    /**
     * Writes the dataset to {@code out}, which must not exist or be empty. Throws
     * IllegalStateException with the install command when espeak-ng is missing.
     */
    public static Result generate(Path out, Options options) throws IOException {
        long start = System.nanoTime();
        String version = checkEspeak(options.espeak());
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new IllegalArgumentException("make-speech-data: " + out + " exists and is not a directory");
            }
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("make-speech-data: " + out + " exists and is not empty; "
                            + "choose a new directory or delete it first");
                }
            }
            Files.delete(out);
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + out.getFileName() + ".partial-");
        try {
            Rng rng = new Rng(options.seed());
            Map<Split, List<String>> speakers = assignSpeakers(options, rng);
            List<Job> jobs = plan(options, speakers, rng.nextKey());
            synthesise(staging, jobs, options);
            writeLists(staging, jobs);
            writeNoise(staging.resolve(SpeechCommandsLayout.BACKGROUND_DIR), options, rng.nextKey());
            writeReadme(staging, options, speakers, jobs.size(), version);
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            return new Result(out, jobs.size(), speakers, (System.nanoTime() - start) * 1e-9);
        } finally {
            deleteRecursively(staging);
        }
    }

    private static String checkEspeak(String espeak) {
        try {
            Process p = new ProcessBuilder(espeak, "--version").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("make-speech-data: `" + espeak + " --version` failed: " + text);
            }
            return text.split("\\s+Data at:")[0]; // "eSpeak NG text-to-speech: 1.51  Data at: /usr/..."
        } catch (IOException e) {
            throw new IllegalStateException("make-speech-data: cannot run " + espeak + " (" + e.getMessage()
                    + "); install it with `apt-get install espeak-ng` (Debian/Ubuntu) and make sure it is on PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("make-speech-data: interrupted", e);
        }
    }

    /** Shuffles the variants by the seed: test speakers first, then validation, the rest training. */
    static Map<Split, List<String>> assignSpeakers(Options options, Rng rng) {
        List<String> order = new ArrayList<>();
        for (int i : rng.permutationArray(1, VARIANTS.size())) {
            order.add(VARIANTS.get(i));
        }
        int t = options.testSpeakers();
        int v = options.validationSpeakers();
        Map<Split, List<String>> out = new EnumMap<>(Split.class);
        out.put(Split.TEST, List.copyOf(order.subList(0, t)));
        out.put(Split.VALIDATION, List.copyOf(order.subList(t, t + v)));
        out.put(Split.TRAIN, List.copyOf(order.subList(t + v, order.size())));
        return out;
    }

    private static List<Job> plan(Options options, Map<Split, List<String>> speakers, long key) {
        long draw = 0;
        List<Job> jobs = new ArrayList<>();
        List<String> words = new ArrayList<>(options.keywords());
        words.addAll(options.otherWords());
        for (String word : words) {
            int n = options.keywords().contains(word) ? options.clipsPerKeyword() : options.clipsPerOtherWord();
            int validation = splitCount(n, options.validationFraction());
            int test = splitCount(n, options.testFraction());
            Map<String, Integer> perSpeaker = new HashMap<>();
            for (int i = 0; i < n; i++) {
                Split split = i < test ? Split.TEST : i < test + validation ? Split.VALIDATION : Split.TRAIN;
                List<String> pool = speakers.get(split);
                String variant = pool.get(pick(key, draw++, pool.size()));
                String base = BASE_VOICES.get(pick(key, draw++, BASE_VOICES.size()));
                int speed = 130 + pick(key, draw++, 81);
                int pitch = 20 + pick(key, draw++, 61);
                float peak = 0.3f + 0.6f * Rng.uniformAt(key, draw++);
                float placement = Rng.uniformAt(key, draw++);
                float noiseStd = 0.0005f + 0.0045f * Rng.uniformAt(key, draw++);
                long noiseKey = Rng.mix(key + draw++);
                int k = perSpeaker.merge(variant, 1, Integer::sum) - 1;
                String rel = word + "/" + speakerId(variant) + "_nohash_" + k + ".wav";
                jobs.add(new Job(word, split, variant, base, speed, pitch, peak, placement, noiseStd, noiseKey, rel));
            }
        }
        return jobs;
    }

    /** round(n * fraction), but at least one clip once a word has three. */
    private static int splitCount(int n, double fraction) {
        int k = (int) Math.round(n * fraction);
        return n >= 3 && fraction > 0 ? Math.max(1, k) : k;
    }

    private static int pick(long key, long draw, int bound) {
        return Math.min(bound - 1, (int) (Rng.uniformAt(key, draw) * bound));
    }

    private static void synthesise(Path root, List<Job> jobs, Options options) throws IOException {
        Path scratch = Files.createTempDirectory(root, ".espeak-");
        Map<Integer, Resampler> resamplers = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                Path tmp = scratch.resolve("clip-" + i + ".wav");
                futures.add(pool.submit(() -> {
                    synthesiseOne(root, job, tmp, options.espeak(), resamplers);
                    return null;
                }));
            }
            ProgressBar bar = ProgressBar.console("synthesise", futures.size(), 1, "clips");
            int done = 0;
            for (Future<?> f : futures) {
                f.get();
                bar.update(++done, Double.NaN);
            }
            bar.finish(done, Double.NaN);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("make-speech-data: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("make-speech-data: interrupted", e);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteRecursively(scratch);
        }
    }

    private static void synthesiseOne(Path root, Job job, Path tmp, String espeak, Map<Integer, Resampler> resamplers)
            throws IOException, InterruptedException {
        List<String> command = List.of(espeak, "-v", job.baseVoice() + "+" + job.variant(), "-s",
                String.valueOf(job.speed()), "-p", String.valueOf(job.pitch()), "-w", tmp.toString(), job.word());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !Files.exists(tmp)) {
            throw new IllegalStateException("make-speech-data: " + String.join(" ", command) + " failed: " + text);
        }
        Wav.Audio audio = Wav.read(tmp);
        Files.delete(tmp);
        float[] speech = resamplers.computeIfAbsent(audio.sampleRate(), r -> new Resampler(r, RATE))
                .resample(audio.samples());
        float[] clip = place(trim(speech), job);
        Wav.write(root.resolve(job.relativePath()), clip, RATE);
    }

    /** The audible part: from the first to the last sample above 2% of the peak. */
    static float[] trim(float[] x) {
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        float threshold = 0.02f * peak;
        int lo = 0;
        while (lo < x.length && Math.abs(x[lo]) <= threshold) {
            lo++;
        }
        int hi = x.length;
        while (hi > lo && Math.abs(x[hi - 1]) <= threshold) {
            hi--;
        }
        if (lo >= hi) {
            throw new IllegalStateException("make-speech-data: espeak-ng produced silence");
        }
        return java.util.Arrays.copyOfRange(x, lo, hi);
    }

    /** Scales the word to its peak, puts it at its offset in one second (the centre second if longer), adds noise. */
    private static float[] place(float[] word, Job job) {
        float peak = 0;
        for (float v : word) {
            peak = Math.max(peak, Math.abs(v));
        }
        float gain = job.peak() / peak;
        float[] clip = new float[CLIP];
        int from = Math.max(0, (word.length - CLIP) / 2);
        int length = Math.min(CLIP, word.length);
        int offset = Math.min(CLIP - length, (int) (job.placement() * (CLIP - length + 1)));
        for (int i = 0; i < length; i++) {
            clip[offset + i] = gain * word[from + i];
        }
        for (int i = 0; i < CLIP; i++) {
            clip[i] += job.noiseStd() * Rng.normalAt(job.noiseKey(), i);
        }
        return clip;
    }

    private static void writeLists(Path root, List<Job> jobs) throws IOException {
        for (Split split : List.of(Split.VALIDATION, Split.TEST)) {
            List<String> lines = jobs.stream().filter(j -> j.split() == split).map(Job::relativePath).sorted().toList();
            String name = split == Split.VALIDATION ? SpeechCommandsLayout.VALIDATION_LIST
                    : SpeechCommandsLayout.TESTING_LIST;
            Files.write(root.resolve(name), lines);
        }
    }

    /** White, pink (Paul Kellet's filter) and brown (leaky integral) noise, each at RMS 0.15. */
    private static void writeNoise(Path dir, Options options, long key) throws IOException {
        int n = options.noiseSeconds() * RATE;
        float[][] noise = new float[3][n];
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double brown = 0;
        for (int i = 0; i < n; i++) {
            double w = Rng.normalAt(key, i);
            noise[0][i] = (float) w;
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            noise[1][i] = (float) (b0 + b1 + b2 + w * 0.1848);
            brown = 0.998 * brown + w * 0.0632;
            noise[2][i] = (float) brown;
        }
        String[] names = {"white_noise.wav", "pink_noise.wav", "brown_noise.wav"};
        for (int f = 0; f < 3; f++) {
            double sum = 0;
            for (float v : noise[f]) {
                sum += (double) v * v;
            }
            float scale = (float) (0.15 / Math.sqrt(sum / n));
            for (int i = 0; i < n; i++) {
                noise[f][i] *= scale;
            }
            Wav.write(dir.resolve(names[f]), noise[f], RATE);
        }
    }

    private static void writeReadme(Path root, Options options, Map<Split, List<String>> speakers, int clips,
                                    String version) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Synthetic Speech Commands (espeak-ng)\n\n");
        sb.append("Generated by dev.mp3.speech.SyntheticSpeech (make-speech-data) with ").append(version)
                .append(".\nLayout and file format follow Google Speech Commands v1: 16 kHz mono 16-bit WAV, ")
                .append("one folder per word,\n_background_noise_/, validation_list.txt, testing_list.txt.\n\n");
        sb.append("- clips: ").append(clips).append(" (").append(options.clipsPerKeyword()).append(" per keyword, ")
                .append(options.clipsPerOtherWord()).append(" per other word)\n");
        sb.append("- keywords: ").append(String.join(", ", options.keywords())).append('\n');
        sb.append("- other words: ").append(String.join(", ", options.otherWords())).append('\n');
        sb.append("- seed: ").append(options.seed()).append('\n');
        sb.append("- accents (base voices, any split): ").append(String.join(", ", BASE_VOICES)).append("\n\n");
        sb.append("## Speakers (espeak-ng voice variants), disjoint across splits\n\n");
        sb.append("| split | speaker id | variant |\n|---|---|---|\n");
        for (Split split : Split.values()) {
            List<String> sorted = new ArrayList<>(speakers.get(split));
            sorted.sort(Comparator.comparing(SyntheticSpeech::speakerId));
            for (String v : sorted) {
                sb.append("| ").append(split.name().toLowerCase()).append(" | ").append(speakerId(v)).append(" | ")
                        .append(v).append(" |\n");
            }
        }
        Files.writeString(root.resolve("README.md"), sb.toString());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.toList());
        }
        Collections.reverse(paths);
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}

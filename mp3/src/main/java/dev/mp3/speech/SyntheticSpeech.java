package dev.mp3.speech;

import dev.mp3.report.ProgressBar;

import dev.mp3.speech.SpeechCommandsLayout.Split;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A synthetic keyword dataset in the Speech Commands v1 layout, spoken by every offline
 * synthesiser Debian ships (espeak-ng, Flite, Festival; {@link Synthesiser}), so the speech
 * pipeline runs offline without the 2.3 GB real download.
 *
 * <p><b>Speakers.</b> An espeak-ng speaker is a voice variant (m1..m8, f1..f5, klatt, named ones),
 * spoken with an accent (base voice) drawn per clip. A Flite or Festival speaker is a voice times
 * one of four {@link #PERSONAS}: a fixed resampling factor that raises or lowers pitch and formants
 * together, as a shorter or longer vocal tract would. Splits are made by <em>person</em>, not by
 * speaker: Flite's kal and kal16 and Festival's kal_diphone are one recorded man, Flite's slt and
 * Festival's HTS voice one woman, so all their speakers land in the same split. espeak-ng's formant
 * voices and the recorded people are split separately (each pool gives {@code heldOutSpeakers} of
 * its people, at least one, to test and as many to validation) so that every split hears both.
 *
 * <p><b>Clips.</b> For each word, {@code testFraction} and {@code validationFraction} of its clips
 * go to those splits. A clip draws its synthesiser (shares {@link #SHARES} over those installed and
 * with speakers in its split), its speaker, speed U(0.8, 1.2) (set in the synthesiser), pitch
 * (espeak-ng: its own pitch 50 x U(0.4, 1.6); others: the persona's factor x U(0.97, 1.03) by
 * resampling), peak gain U(0.3, 0.9), a uniform time shift inside the 1 s clip, a white noise floor
 * of standard deviation U(0.0005, 0.005), and with probability {@code noiseProbability} a random
 * second of a _background_noise_ file mixed at a signal-to-noise ratio U(minSnrDb, maxSnrDb) over
 * the whole second, as Speech Commands' recordings carry room noise. Every draw is made up front
 * from the seed, a fixed number per clip, so the same options give the same bytes in any thread
 * order, and turning noise off leaves every other draw as it was.
 *
 * <p><b>Files.</b> Clips are {@code WORD/SPEAKERID_nohash_K.wav} (the id a hash of the speaker
 * name, like the real set's hashed user ids), 16 kHz mono 16-bit, exactly one second, each
 * written to a temporary file and renamed into place. {@code manifest.tsv} (written first) holds
 * the settings and every clip's draws; rerunning the same options into the same directory keeps
 * the clips already there and makes only the missing ones, and other options into it are refused.
 * The lists and README.md come last, so a set without {@code testing_list.txt} is unfinished.
 */
public final class SyntheticSpeech {

    /** The 20 other words of Speech Commands v1, spoken for the "unknown" class. */
    public static final List<String> OTHER_WORDS = List.of("bed", "bird", "cat", "dog", "eight", "five", "four",
            "happy", "house", "marvin", "nine", "one", "seven", "sheila", "six", "three", "tree", "two", "wow",
            "zero");

    /** The synthesisers in the order they are tried, with their share of the clips when all are installed. */
    static final Map<String, Double> SHARES = shares();

    /** Resampling factors that turn one Flite or Festival voice into four speakers. */
    static final double[] PERSONAS = {0.88, 0.95, 1.05, 1.12};

    /** Written before any clip: the settings and every clip's draws. */
    public static final String MANIFEST = "manifest.tsv";

    private static final String FORMAT = "synthetic-speech 2";
    private static final int RATE = 16_000;
    private static final int CLIP = RATE;
    private static final String[] NOISE_FILES = {"white_noise.wav", "pink_noise.wav", "brown_noise.wav"};

    private static Map<String, Double> shares() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("espeak-ng", 0.4);
        m.put("flite", 0.3);
        m.put("festival", 0.3);
        return Collections.unmodifiableMap(m);
    }

    /**
     * What to generate.
     *
     * @param keywords           the words with their own class
     * @param otherWords         words spoken for the unknown class
     * @param clipsPerKeyword    clips per keyword over all splits
     * @param clipsPerOtherWord  clips per other word over all splits
     * @param validationFraction share of each word's clips in validation (at least one when a word
     *                           has three or more clips)
     * @param testFraction       the same for test
     * @param heldOutSpeakers    share of each pool's people (espeak-ng variants; recorded people)
     *                           that speak only test clips, and the same again only validation
     * @param synthesisers       the synthesisers to use; empty = every installed one
     * @param noiseProbability   chance that a clip gets background noise
     * @param minSnrDb           lowest signal-to-noise ratio of that noise, in dB
     * @param maxSnrDb           highest
     * @param noiseSeconds       length of each _background_noise_ file
     * @param threads            synthesiser processes at once
     * @param seed               every random choice follows from it
     * @param espeak             the espeak-ng executable
     * @param flite              the flite executable
     * @param festival           the festival executable
     */
    public record Options(List<String> keywords, List<String> otherWords, int clipsPerKeyword, int clipsPerOtherWord,
                          double validationFraction, double testFraction, double heldOutSpeakers,
                          List<String> synthesisers, double noiseProbability, double minSnrDb, double maxSnrDb,
                          int noiseSeconds, int threads, long seed, String espeak, String flite, String festival) {

        /**
         * 26,000 clips (2,000 per keyword, 300 per other word, about Speech Commands v1's keyword
         * count) from every installed synthesiser.
         */
        public static Options defaults() {
            return new Options(SpeechDataConfig.COMMAND_WORDS, OTHER_WORDS, 2000, 300, 0.1, 0.1, 0.15, List.of(),
                    0.8, 5, 30, 20, Runtime.getRuntime().availableProcessors(), 1, "espeak-ng", "flite", "festival");
        }

        /**
         * The speech demo's set: 3,500 clips (250 per keyword, 50 per other word) by every installed
         * synthesiser, as the full set (about 30 s on 2 cores).
         */
        public static Options demo() {
            return defaults().withCounts(250, 50);
        }

        public Options {
            keywords = List.copyOf(keywords);
            otherWords = List.copyOf(otherWords);
            synthesisers = List.copyOf(synthesisers);
            List<String> all = new ArrayList<>(keywords);
            all.addAll(otherWords);
            if (keywords.isEmpty() || all.size() != all.stream().distinct().count()
                    || all.stream().anyMatch(w -> !w.matches("[a-z]+"))) {
                throw new IllegalArgumentException("SyntheticSpeech: words must be distinct lower-case a-z words, "
                        + "got keywords " + keywords + " and other words " + otherWords);
            }
            for (String s : synthesisers) {
                if (!SHARES.containsKey(s)) {
                    throw new IllegalArgumentException("SyntheticSpeech: unknown synthesiser '" + s
                            + "'; choose from " + String.join(", ", SHARES.keySet()));
                }
            }
            if (clipsPerKeyword < 1 || clipsPerOtherWord < 0 || validationFraction < 0 || testFraction < 0
                    || validationFraction + testFraction >= 1 || !(heldOutSpeakers > 0 && heldOutSpeakers < 0.5)
                    || !(noiseProbability >= 0 && noiseProbability <= 1) || !(minSnrDb <= maxSnrDb)
                    || noiseSeconds < 1 || threads < 1) {
                throw new IllegalArgumentException("SyntheticSpeech: need clipsPerKeyword >= 1 (" + clipsPerKeyword
                        + "), clipsPerOtherWord >= 0 (" + clipsPerOtherWord + "), validation and test fractions "
                        + ">= 0 summing below 1 (" + validationFraction + ", " + testFraction + "), held-out "
                        + "speaker share in (0, 0.5) (" + heldOutSpeakers + "), noise probability in [0, 1] ("
                        + noiseProbability + "), min SNR <= max SNR (" + minSnrDb + ", " + maxSnrDb + "), "
                        + "noiseSeconds >= 1 (" + noiseSeconds + ") and threads >= 1 (" + threads + ")");
            }
        }

        public Options withCounts(int perKeyword, int perOtherWord) {
            return new Options(keywords, otherWords, perKeyword, perOtherWord, validationFraction, testFraction,
                    heldOutSpeakers, synthesisers, noiseProbability, minSnrDb, maxSnrDb, noiseSeconds, threads, seed,
                    espeak, flite, festival);
        }

        public Options withSeed(long newSeed) {
            return new Options(keywords, otherWords, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, heldOutSpeakers, synthesisers, noiseProbability, minSnrDb, maxSnrDb, noiseSeconds,
                    threads, newSeed, espeak, flite, festival);
        }

        public Options withThreads(int newThreads) {
            return new Options(keywords, otherWords, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, heldOutSpeakers, synthesisers, noiseProbability, minSnrDb, maxSnrDb, noiseSeconds,
                    newThreads, seed, espeak, flite, festival);
        }

        public Options withOtherWords(List<String> words) {
            return new Options(keywords, words, clipsPerKeyword, clipsPerOtherWord, validationFraction, testFraction,
                    heldOutSpeakers, synthesisers, noiseProbability, minSnrDb, maxSnrDb, noiseSeconds, threads, seed,
                    espeak, flite, festival);
        }

        /** The synthesisers to use by name; an empty list means every installed one. */
        public Options withSynthesisers(List<String> names) {
            return new Options(keywords, otherWords, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, heldOutSpeakers, names, noiseProbability, minSnrDb, maxSnrDb, noiseSeconds,
                    threads, seed, espeak, flite, festival);
        }

        public Options withNoise(double probability, double minSnr, double maxSnr) {
            return new Options(keywords, otherWords, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, heldOutSpeakers, synthesisers, probability, minSnr, maxSnr, noiseSeconds, threads,
                    seed, espeak, flite, festival);
        }

        public Options withExecutables(String espeakPath, String flitePath, String festivalPath) {
            return new Options(keywords, otherWords, clipsPerKeyword, clipsPerOtherWord, validationFraction,
                    testFraction, heldOutSpeakers, synthesisers, noiseProbability, minSnrDb, maxSnrDb, noiseSeconds,
                    threads, seed, espeakPath, flitePath, festivalPath);
        }

        public Options withEspeak(String executable) {
            return withExecutables(executable, flite, festival);
        }
    }

    /** A speaker: a voice of one synthesiser, with a resampling factor (1 for espeak-ng, which sets pitch itself). */
    record Speaker(String name, Synthesiser synth, Synthesiser.Voice voice, double tape) {}

    /** One clip to synthesise; every random choice is made up front, in order, from the seed. */
    record Job(int index, String word, Split split, Speaker speaker, String accent, double speed, double pitch,
               double tape, float peak, float placement, float floorStd, long floorKey, int noiseFile,
               float noiseStart, double snrDb, String relativePath) {}

    /**
     * What a run made.
     *
     * @param clips   clips in the set
     * @param made    clips made by this run (the rest were there from an earlier one)
     * @param used    "name version" of each synthesiser used
     * @param skipped names of synthesisers not installed and so left out
     */
    public record Result(Path root, int clips, int made, Map<Split, List<String>> speakers, List<String> used,
                         List<String> skipped, double seconds) {}

    private SyntheticSpeech() {}

    /** The speaker id in file names: 8 hex digits of a hash of the speaker name. */
    static String speakerId(String speaker) {
        return String.format("%08x", (int) Rng.mix(speaker.hashCode()));
    }

    /**
     * Writes the dataset to {@code out}, or finishes the one an interrupted run of the same options
     * left there. Throws IllegalStateException with the install command when a requested
     * synthesiser is missing, IllegalArgumentException when {@code out} holds something else.
     */
    public static Result generate(Path out, Options options) throws IOException {
        return generate(out, options, Synthesiser.all(options.espeak(), options.flite(), options.festival()));
    }

    /** {@link #generate(Path, Options)} with these synthesisers to choose from (tests pass fakes). */
    static Result generate(Path out, Options options, List<Synthesiser> available) throws IOException {
        long start = System.nanoTime();
        List<String> skipped = new ArrayList<>();
        Map<Synthesiser, String> synths = resolve(options, available, skipped);
        Rng rng = new Rng(options.seed());
        Map<Split, List<Speaker>> speakers = assignSpeakers(options, synths.keySet(), rng);
        List<Job> jobs = plan(options, synths.keySet(), speakers, rng.nextKey());
        long noiseKey = rng.nextKey();
        String settings = settings(options, synths);
        prepare(out, settings);
        Path manifest = out.resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            AtomicFile.writeString(manifest, manifest(settings, jobs));
        }
        float[][] noise = noise(options.noiseSeconds() * RATE, noiseKey);
        Path noiseDir = out.resolve(SpeechCommandsLayout.BACKGROUND_DIR);
        for (int f = 0; f < noise.length; f++) {
            if (!Files.exists(noiseDir.resolve(NOISE_FILES[f]))) {
                Wav.write(noiseDir.resolve(NOISE_FILES[f]), noise[f], RATE);
            }
        }
        List<Job> pending = jobs.stream().filter(j -> !finished(out.resolve(j.relativePath()))).toList();
        synthesise(out, pending, jobs.size(), noise, options.threads());
        writeLists(out, jobs);
        writeReadme(out, options, speakers, jobs.size(), synths.values());
        Map<Split, List<String>> names = new EnumMap<>(Split.class);
        speakers.forEach((split, list) -> names.put(split, list.stream().map(Speaker::name).toList()));
        return new Result(out, jobs.size(), pending.size(), names, List.copyOf(synths.values()), skipped,
                (System.nanoTime() - start) * 1e-9);
    }

    /**
     * The synthesisers to use with their version lines. Named ones must run (else the apt-get
     * line); with none named, every one that runs and has a voice, the others added to {@code skipped}.
     */
    static Map<Synthesiser, String> resolve(Options options, List<Synthesiser> available, List<String> skipped) {
        Map<Synthesiser, String> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Synthesiser s : available) {
            boolean named = options.synthesisers().contains(s.name());
            if (!named && !options.synthesisers().isEmpty()) {
                continue;
            }
            try {
                String version = s.version();
                if (s.voices().isEmpty()) {
                    throw new IllegalStateException("make-speech-data: " + s.name() + " has none of its voices "
                            + "used here; install them with `apt-get install " + s.packages() + "`");
                }
                out.put(s, version);
            } catch (IllegalStateException e) {
                if (named) {
                    throw e;
                }
                skipped.add(s.name());
                problems.add(e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("make-speech-data: no speech synthesiser runs; install them with "
                    + "`apt-get install espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k "
                    + "festvox-us-slt-hts` (" + String.join("; ", problems) + ")");
        }
        return out;
    }

    /** Pool of a synthesiser's people: espeak-ng's formant voices, or the recorded people of Flite and Festival. */
    private static String pool(Synthesiser s) {
        return s.name().equals("espeak-ng") ? "formant" : "recorded";
    }

    /**
     * Splits the people of each pool by the seed (test first, then validation, the rest training)
     * and gives each split every speaker of its people. A pool of fewer than three people trains only.
     */
    static Map<Split, List<Speaker>> assignSpeakers(Options options, Iterable<Synthesiser> synths, Rng rng) {
        Map<String, List<String>> people = new LinkedHashMap<>();
        List<Speaker> all = new ArrayList<>();
        for (Synthesiser s : synths) {
            for (Synthesiser.Voice v : s.voices()) {
                List<String> pool = people.computeIfAbsent(pool(s), k -> new ArrayList<>());
                if (!pool.contains(v.person())) {
                    pool.add(v.person());
                }
                if (s.nativePitch()) {
                    all.add(new Speaker(v.name(), s, v, 1));
                } else {
                    for (int p = 0; p < PERSONAS.length; p++) {
                        all.add(new Speaker(s.name() + " " + v.name() + " " + (p + 1), s, v, PERSONAS[p]));
                    }
                }
            }
        }
        Map<String, Split> splitOf = new HashMap<>();
        for (List<String> pool : people.values()) {
            List<String> order = new ArrayList<>();
            for (int i : rng.permutationArray(1, pool.size())) {
                order.add(pool.get(i));
            }
            int held = pool.size() < 3 ? 0 : Math.max(1, (int) Math.round(pool.size() * options.heldOutSpeakers()));
            for (int i = 0; i < order.size(); i++) {
                splitOf.put(order.get(i), i < held ? Split.TEST : i < 2 * held ? Split.VALIDATION : Split.TRAIN);
            }
        }
        Map<Split, List<Speaker>> out = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            out.put(split, all.stream().filter(sp -> splitOf.get(sp.voice().person()) == split).toList());
            if (out.get(split).isEmpty()) {
                throw new IllegalStateException("make-speech-data: too few voices for disjoint speakers (people: "
                        + people + "); install more with `apt-get install espeak-ng flite festival "
                        + "festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts`");
            }
        }
        return out;
    }

    private static List<Job> plan(Options options, Iterable<Synthesiser> synths, Map<Split, List<Speaker>> speakers,
                                  long key) {
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
                Synthesiser synth = pickSynthesiser(synths, speakers.get(split), Rng.uniformAt(key, draw++));
                List<Speaker> pool = speakers.get(split).stream().filter(s -> s.synth() == synth).toList();
                Speaker speaker = pool.get(pick(key, draw++, pool.size()));
                List<String> accents = synth.accents();
                int accent = pick(key, draw++, Math.max(1, accents.size()));
                double speed = 0.8 + 0.4 * Rng.uniformAt(key, draw++);
                float u = Rng.uniformAt(key, draw++);
                double pitch = synth.nativePitch() ? 0.4 + 1.2 * u : 1;
                double tape = synth.nativePitch() ? 1 : speaker.tape() * (0.97 + 0.06 * u);
                float peak = 0.3f + 0.6f * Rng.uniformAt(key, draw++);
                float placement = Rng.uniformAt(key, draw++);
                float floorStd = 0.0005f + 0.0045f * Rng.uniformAt(key, draw++);
                long floorKey = Rng.mix(key + draw++);
                boolean noisy = Rng.uniformAt(key, draw++) < options.noiseProbability();
                int noiseFile = pick(key, draw++, NOISE_FILES.length);
                float noiseStart = Rng.uniformAt(key, draw++);
                double snr = options.minSnrDb() + (options.maxSnrDb() - options.minSnrDb()) * Rng.uniformAt(key, draw++);
                int k = perSpeaker.merge(speaker.name(), 1, Integer::sum) - 1;
                String rel = word + "/" + speakerId(speaker.name()) + "_nohash_" + k + ".wav";
                jobs.add(new Job(jobs.size(), word, split, speaker, accents.isEmpty() ? null : accents.get(accent),
                        speed, pitch, tape, peak, placement, floorStd, floorKey, noisy ? noiseFile : -1, noiseStart,
                        noisy ? snr : Double.POSITIVE_INFINITY, rel));
            }
        }
        return jobs;
    }

    /** A synthesiser by its share, among those with speakers in this split. */
    private static Synthesiser pickSynthesiser(Iterable<Synthesiser> synths, List<Speaker> speakers, float u) {
        List<Synthesiser> present = new ArrayList<>();
        double total = 0;
        for (Synthesiser s : synths) {
            if (speakers.stream().anyMatch(sp -> sp.synth() == s)) {
                present.add(s);
                total += SHARES.get(s.name());
            }
        }
        double x = u * total;
        for (Synthesiser s : present) {
            x -= SHARES.get(s.name());
            if (x < 0) {
                return s;
            }
        }
        return present.getLast();
    }

    /** round(n * fraction), but at least one clip once a word has three. */
    private static int splitCount(int n, double fraction) {
        int k = (int) Math.round(n * fraction);
        return n >= 3 && fraction > 0 ? Math.max(1, k) : k;
    }

    private static int pick(long key, long draw, int bound) {
        return Math.min(bound - 1, (int) (Rng.uniformAt(key, draw) * bound));
    }

    /** What must match for a rerun to continue a set: everything that changes a byte, not the thread count. */
    private static String settings(Options o, Map<Synthesiser, String> synths) {
        StringBuilder s = new StringBuilder(FORMAT);
        s.append("; seed ").append(o.seed()).append("; keywords ").append(String.join(",", o.keywords()))
                .append("; other words ").append(String.join(",", o.otherWords()))
                .append("; clips ").append(o.clipsPerKeyword()).append('/').append(o.clipsPerOtherWord())
                .append("; validation ").append(o.validationFraction()).append("; test ").append(o.testFraction())
                .append("; held-out speakers ").append(o.heldOutSpeakers())
                .append("; noise ").append(o.noiseProbability()).append(" at ").append(o.minSnrDb()).append('-')
                .append(o.maxSnrDb()).append(" dB; noise seconds ").append(o.noiseSeconds());
        synths.forEach((synth, version) -> s.append("; ").append(version).append(" (")
                .append(String.join(",", synth.voices().stream().map(Synthesiser.Voice::name).toList())).append(')'));
        return s.toString();
    }

    private static String manifest(String settings, List<Job> jobs) {
        StringBuilder sb = new StringBuilder("# ").append(settings).append('\n');
        sb.append("path\tsplit\tsynthesiser\tvoice\taccent\tspeaker\tspeed\tpitch\tresample\tpeak\tshift\tnoise\tsnr_db\n");
        for (Job j : jobs) {
            sb.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.4f\t%.3f\t%.4f\t%s\t%.2f%n",
                    j.relativePath(), j.split().name().toLowerCase(Locale.ROOT), j.speaker().synth().name(),
                    j.speaker().voice().name(), j.accent() == null ? "-" : j.accent(), j.speaker().name(), j.speed(),
                    j.pitch(), j.tape(), j.peak(), j.placement(), j.noiseFile() < 0 ? "-" : NOISE_FILES[j.noiseFile()],
                    j.snrDb()));
        }
        return sb.toString();
    }

    /**
     * Who spoke each clip of a synthetic set, by its path relative to {@code dir}
     * ("yes/0a7c2a8d_nohash_0.wav"), as a voice group: "espeak-ng" for all of espeak-ng's variants,
     * else the synthesiser and its voice ("flite slt", "festival kal_diphone"), every resampled
     * persona of a voice together. Empty when {@code dir} has no manifest (the real Speech Commands).
     */
    public static Map<String, String> voices(Path dir) throws IOException {
        Path m = dir.resolve(MANIFEST);
        Map<String, String> out = new HashMap<>();
        if (!Files.exists(m)) {
            return out;
        }
        List<String> lines = Files.readAllLines(m);
        for (int i = 2; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            if (f.length < 4) {
                throw new IllegalArgumentException(m + ": line " + (i + 1) + " has " + f.length + " columns, expected"
                        + " path, split, synthesiser, voice, ... (a damaged manifest; regenerate the set)");
            }
            out.put(f[0], f[2].equals("espeak-ng") ? "espeak-ng" : f[2] + " " + f[3]);
        }
        return out;
    }

    /** The first line of {@code dir}'s manifest without its "# ", or null when there is none. */
    private static String settingsIn(Path dir) throws IOException {
        Path m = dir.resolve(MANIFEST);
        if (!Files.exists(m)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(m)) {
            return lines.findFirst().map(l -> l.startsWith("# ") ? l.substring(2) : l).orElse("");
        }
    }

    /**
     * Creates {@code out}, or checks that it holds a set of these very settings (to finish it);
     * removes what an interrupted run may have left half-written.
     */
    private static void prepare(Path out, String settings) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("make-speech-data: " + out + " exists and is not a directory");
        }
        if (Files.isDirectory(out)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(out)) {
                empty = entries.findAny().isEmpty();
            }
            String theirs = settingsIn(out);
            if (!empty && theirs == null) {
                throw new IllegalArgumentException("make-speech-data: " + out + " is not empty and holds no "
                        + MANIFEST + " of make-speech-data; choose a new directory or delete it first");
            }
            if (theirs != null && !theirs.equals(settings)) {
                throw new IllegalArgumentException("make-speech-data: " + out + " holds another set (" + theirs
                        + "); these options make (" + settings + "); rerun with that set's options to finish it, "
                        + "or choose a new directory");
            }
        }
        Files.createDirectories(out);
        try (Stream<Path> walk = Files.walk(out, 2)) {
            for (Path p : walk.filter(p -> p.getFileName().toString().startsWith(".")
                    && p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
        try (Stream<Path> entries = Files.list(out)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(".scratch-")).toList()) {
                deleteRecursively(p);
            }
        }
    }

    /** A clip that an earlier run finished: renamed into place whole, so the right size means complete. */
    private static boolean finished(Path clip) {
        try {
            return Files.size(clip) == 44 + 2L * CLIP;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs the pending jobs, a batch per task (one clip, or many for Festival), with a progress bar over all clips. */
    private static void synthesise(Path root, List<Job> pending, int total, float[][] noise, int threads)
            throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        List<List<Job>> batches = new ArrayList<>();
        Map<String, List<Job>> open = new LinkedHashMap<>();
        for (Job job : pending) {
            Synthesiser s = job.speaker().synth();
            String key = s.name() + " " + job.speaker().voice().name();
            List<Job> batch = open.computeIfAbsent(key, k -> new ArrayList<>());
            batch.add(job);
            if (batch.size() == s.batchSize()) {
                batches.add(batch);
                open.remove(key);
            }
        }
        batches.addAll(open.values());
        Path scratch = Files.createTempDirectory(root, ".scratch-");
        Map<Integer, Resampler> resamplers = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CompletionService<Integer> done = new ExecutorCompletionService<>(pool);
            for (List<Job> batch : batches) {
                done.submit(() -> {
                    synthesiseBatch(root, batch, scratch, noise, resamplers);
                    return batch.size();
                });
            }
            int finished = total - pending.size();
            ProgressBar bar = ProgressBar.console("synthesise", total, 1, "clips");
            bar.start(finished);
            for (int i = 0; i < batches.size(); i++) {
                finished += done.take().get();
                bar.update(finished, Double.NaN);
            }
            bar.finish(finished, Double.NaN);
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

    private static void synthesiseBatch(Path root, List<Job> batch, Path scratch, float[][] noise,
                                        Map<Integer, Resampler> resamplers) throws IOException, InterruptedException {
        List<Synthesiser.Request> requests = new ArrayList<>();
        for (Job j : batch) {
            requests.add(new Synthesiser.Request(j.speaker().voice().name(), j.accent(), j.word(), j.speed(),
                    j.pitch(), scratch.resolve("clip-" + j.index() + ".wav")));
        }
        batch.getFirst().speaker().synth().synthesise(requests, scratch);
        for (int i = 0; i < batch.size(); i++) {
            Job job = batch.get(i);
            Path raw = requests.get(i).out();
            Wav.Audio audio = Wav.read(raw);
            Files.delete(raw);
            // Read at tape x its rate, the word plays faster and higher (tape > 1) or slower and lower.
            int rate = job.tape() == 1 ? audio.sampleRate()
                    : (int) Math.round(audio.sampleRate() * job.tape() / 50) * 50;
            float[] speech = resamplers.computeIfAbsent(rate, r -> new Resampler(r, RATE)).resample(audio.samples());
            float[] clip = place(trim(speech, job.speaker().name()), job);
            if (job.noiseFile() >= 0) {
                float[] bg = noise[job.noiseFile()];
                int offset = Math.min(bg.length - CLIP, (int) (job.noiseStart() * (bg.length - CLIP + 1)));
                clip = mixAtSnr(clip, bg, offset, job.snrDb());
            }
            Wav.write(root.resolve(job.relativePath()), limit(clip), RATE);
        }
    }

    /** The audible part: from the first to the last sample above 2% of the peak. */
    static float[] trim(float[] x, String speaker) {
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
            throw new IllegalStateException("make-speech-data: " + speaker + " produced silence");
        }
        return java.util.Arrays.copyOfRange(x, lo, hi);
    }

    /** Scales the word to its peak, puts it at its offset in one second (the centre second if longer), adds the floor. */
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
            clip[i] += job.floorStd() * Rng.normalAt(job.floorKey(), i);
        }
        return clip;
    }

    /**
     * {@code clean} plus {@code noise[offset ..]} scaled so that the power of the clean signal over
     * the noise's, both summed over the whole clip, is {@code snrDb} decibels.
     */
    static float[] mixAtSnr(float[] clean, float[] noise, int offset, double snrDb) {
        double signal = 0;
        double floor = 0;
        for (int i = 0; i < clean.length; i++) {
            signal += (double) clean[i] * clean[i];
            floor += (double) noise[offset + i] * noise[offset + i];
        }
        float scale = floor == 0 ? 0 : (float) Math.sqrt(signal / (floor * Math.pow(10, snrDb / 10)));
        float[] out = new float[clean.length];
        for (int i = 0; i < clean.length; i++) {
            out[i] = clean[i] + scale * noise[offset + i];
        }
        return out;
    }

    /** Scales a clip whose peak passes 0.99 down to 0.99 (the signal-to-noise ratio stays), so nothing clips. */
    static float[] limit(float[] x) {
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > 0.99f) {
            float g = 0.99f / peak;
            for (int i = 0; i < x.length; i++) {
                x[i] *= g;
            }
        }
        return x;
    }

    private static void writeLists(Path root, List<Job> jobs) throws IOException {
        for (Split split : List.of(Split.VALIDATION, Split.TEST)) {
            List<String> lines = jobs.stream().filter(j -> j.split() == split).map(Job::relativePath).sorted().toList();
            String name = split == Split.VALIDATION ? SpeechCommandsLayout.VALIDATION_LIST
                    : SpeechCommandsLayout.TESTING_LIST;
            AtomicFile.writeString(root.resolve(name), lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
        }
    }

    /** White, pink (Paul Kellet's filter) and brown (leaky integral) noise, each at RMS 0.15. */
    private static float[][] noise(int n, long key) {
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
        for (float[] f : noise) {
            double sum = 0;
            for (float v : f) {
                sum += (double) v * v;
            }
            float scale = (float) (0.15 / Math.sqrt(sum / n));
            for (int i = 0; i < n; i++) {
                f[i] *= scale;
            }
        }
        return noise;
    }

    private static void writeReadme(Path root, Options options, Map<Split, List<Speaker>> speakers, int clips,
                                    Iterable<String> versions) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Synthetic Speech Commands\n\n");
        sb.append("Generated by dev.mp3.speech.SyntheticSpeech (make-speech-data) with ")
                .append(String.join(", ", versions))
                .append(".\nLayout and file format follow Google Speech Commands v1: 16 kHz mono 16-bit WAV, ")
                .append("one folder per word,\n_background_noise_/, validation_list.txt, testing_list.txt. ")
                .append(MANIFEST).append(" lists every clip's synthesiser, voice and draws.\n\n");
        sb.append("- clips: ").append(clips).append(" (").append(options.clipsPerKeyword()).append(" per keyword, ")
                .append(options.clipsPerOtherWord()).append(" per other word)\n");
        sb.append("- keywords: ").append(String.join(", ", options.keywords())).append('\n');
        sb.append("- other words: ").append(String.join(", ", options.otherWords())).append('\n');
        sb.append("- seed: ").append(options.seed()).append('\n');
        sb.append(String.format(Locale.ROOT, "- background noise: %.0f%% of clips, SNR %.1f-%.1f dB%n",
                100 * options.noiseProbability(), options.minSnrDb(), options.maxSnrDb()));
        sb.append("- espeak-ng accents (base voices, any split): ").append(String.join(", ", EspeakNg.BASE_VOICES))
                .append("\n\n");
        sb.append("## Speakers, disjoint across splits (and so are the people behind them)\n\n");
        sb.append("| split | speaker id | synthesiser | speaker | person |\n|---|---|---|---|---|\n");
        for (Split split : Split.values()) {
            List<Speaker> sorted = new ArrayList<>(speakers.get(split));
            sorted.sort(Comparator.comparing((Speaker s) -> speakerId(s.name())));
            for (Speaker s : sorted) {
                sb.append("| ").append(split.name().toLowerCase(Locale.ROOT)).append(" | ").append(speakerId(s.name()))
                        .append(" | ").append(s.synth().name()).append(" | ").append(s.name()).append(" | ")
                        .append(s.voice().person()).append(" |\n");
            }
        }
        AtomicFile.writeString(root.resolve("README.md"), sb.toString());
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

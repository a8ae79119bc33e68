package dev.mp3.speech;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of a Google Speech Commands (v1) directory, sorted into splits, before any audio is
 * read:
 *
 * <pre>
 * ROOT/
 *   yes/0a7c2a8d_nohash_0.wav ...      one folder per word (30 in v1), 16 kHz mono 16-bit clips
 *   _background_noise_/*.wav           long noise recordings (for augmentation and silence)
 *   validation_list.txt                "word/file.wav" per line: the validation split
 *   testing_list.txt                   the same for the test split; every other clip is training
 * </pre>
 *
 * Folders starting with '_' or '.' are not words. File order is sorted, never directory order,
 * so everything built on it is reproducible.
 */
public final class SpeechCommandsLayout {

    public static final String BACKGROUND_DIR = "_background_noise_";
    public static final String VALIDATION_LIST = "validation_list.txt";
    public static final String TESTING_LIST = "testing_list.txt";

    public enum Split { TRAIN, VALIDATION, TEST }

    /** One clip: its word folder and its path relative to the root ("yes/0a7c2a8d_nohash_0.wav"). */
    public record Clip(String word, String relativePath) {}

    private final Path root;
    private final List<String> words;
    private final Map<Split, List<Clip>> clips;
    private final List<Path> backgroundFiles;

    private SpeechCommandsLayout(Path root, List<String> words, Map<Split, List<Clip>> clips,
                                 List<Path> backgroundFiles) {
        this.root = root;
        this.words = words;
        this.clips = clips;
        this.backgroundFiles = backgroundFiles;
    }

    /** Scans ROOT; a missing list file, a listed clip that does not exist or an empty root is an error. */
    public static SpeechCommandsLayout scan(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("Speech Commands: " + root + " is not a directory; expected the "
                    + "extracted speech_commands_v0.01 folder (word folders, " + BACKGROUND_DIR + ", "
                    + VALIDATION_LIST + ", " + TESTING_LIST + "), or run make-speech-data to synthesise one");
        }
        try {
            List<String> words = new ArrayList<>();
            Map<String, String> wordOf = new HashMap<>();
            List<String> all = new ArrayList<>();
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    String word = dir.getFileName().toString();
                    if (word.startsWith("_") || word.startsWith(".")) {
                        continue;
                    }
                    words.add(word);
                    for (Path wav : wavFiles(dir)) {
                        String rel = word + "/" + wav.getFileName();
                        wordOf.put(rel, word);
                        all.add(rel);
                    }
                }
            }
            if (all.isEmpty()) {
                throw new IllegalArgumentException("Speech Commands: no word folders with .wav clips in " + root
                        + "; expected folders such as yes/, no/, ... as in speech_commands_v0.01");
            }
            Map<String, Split> splitOf = new HashMap<>();
            readList(root, VALIDATION_LIST, Split.VALIDATION, wordOf, splitOf);
            readList(root, TESTING_LIST, Split.TEST, wordOf, splitOf);
            Map<Split, List<Clip>> clips = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                clips.put(s, new ArrayList<>());
            }
            for (String rel : all) {
                clips.get(splitOf.getOrDefault(rel, Split.TRAIN)).add(new Clip(wordOf.get(rel), rel));
            }
            Path bgDir = root.resolve(BACKGROUND_DIR);
            List<Path> background = Files.isDirectory(bgDir) ? wavFiles(bgDir) : List.of();
            clips.replaceAll((s, list) -> List.copyOf(list));
            return new SpeechCommandsLayout(root, List.copyOf(words), clips, background);
        } catch (IOException e) {
            throw new IllegalArgumentException("Speech Commands: cannot read " + root + ": " + e, e);
        }
    }

    private static List<Path> wavFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wav") && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    private static void readList(Path root, String name, Split split, Map<String, String> wordOf,
                                 Map<String, Split> splitOf) throws IOException {
        Path list = root.resolve(name);
        if (!Files.isRegularFile(list)) {
            throw new IllegalArgumentException("Speech Commands: " + list + " is missing; the split comes from "
                    + VALIDATION_LIST + " and " + TESTING_LIST + " in the dataset root");
        }
        List<String> lines = Files.readAllLines(list);
        for (int i = 0; i < lines.size(); i++) {
            String rel = lines.get(i).trim();
            if (rel.isEmpty()) {
                continue;
            }
            if (!wordOf.containsKey(rel)) {
                throw new IllegalArgumentException("Speech Commands: " + list + " line " + (i + 1) + " names "
                        + rel + ", which is not a .wav clip in a word folder of " + root);
            }
            Split previous = splitOf.put(rel, split);
            if (previous != null && previous != split) {
                throw new IllegalArgumentException("Speech Commands: " + rel + " is in both " + VALIDATION_LIST
                        + " and " + TESTING_LIST + " (" + list + " line " + (i + 1) + ")");
            }
        }
    }

    public Path root() {
        return root;
    }

    /** Every word folder, sorted. */
    public List<String> words() {
        return words;
    }

    /** The clips of one split, sorted by relative path. */
    public List<Clip> clips(Split split) {
        return clips.get(split);
    }

    public List<Path> backgroundFiles() {
        return backgroundFiles;
    }
}

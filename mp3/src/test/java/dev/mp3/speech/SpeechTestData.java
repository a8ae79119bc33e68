package dev.mp3.speech;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Speech Commands directory in the real v1 layout, written by tests: every command word
 * plus a few other words, clips from three "speakers" per word (speaker 0 goes to validation,
 * speaker 1 to test, the rest to training), two background recordings.
 */
public final class SpeechTestData {

    static final List<String> OTHER_WORDS = List.of("bed", "cat", "marvin");
    /** Clips per word: speakers 0 and 1 one clip each (validation, test), the rest training. */
    static final int SPEAKERS = 5;

    private SpeechTestData() {}

    /** A recognisable clip: a tone whose pitch depends on the word and speaker; some are short. */
    static float[] clip(int wordIndex, int speaker) {
        int length = speaker % 2 == 0 ? 16000 : 12000 + 1000 * wordIndex % 5000;
        float[] x = new float[length];
        double hz = 200 + 150 * wordIndex + 20 * speaker;
        for (int i = 0; i < length; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 16000) * Math.sin(Math.PI * i / length));
        }
        return x;
    }

    static String fileName(int speaker) {
        return String.format("%08x_nohash_0.wav", 0xabc000 + speaker);
    }

    static List<String> words() {
        List<String> words = new ArrayList<>(SpeechDataConfig.COMMAND_WORDS);
        words.addAll(OTHER_WORDS);
        return words;
    }

    public static Path write(Path root) throws IOException {
        List<String> validation = new ArrayList<>();
        List<String> testing = new ArrayList<>();
        List<String> words = words();
        for (int w = 0; w < words.size(); w++) {
            for (int s = 0; s < SPEAKERS; s++) {
                String rel = words.get(w) + "/" + fileName(s);
                Wav.write(root.resolve(rel), clip(w, s), 16000);
                if (s == 0) {
                    validation.add(rel);
                } else if (s == 1) {
                    testing.add(rel);
                }
            }
        }
        Files.write(root.resolve(SpeechCommandsLayout.VALIDATION_LIST), validation);
        Files.write(root.resolve(SpeechCommandsLayout.TESTING_LIST), testing);
        java.util.Random random = new java.util.Random(3);
        for (String name : List.of("white_noise.wav", "hum.wav")) {
            float[] noise = new float[3 * 16000];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = name.startsWith("white") ? (float) (0.5 * random.nextGaussian())
                        : (float) (0.5 * Math.sin(2 * Math.PI * 60 * i / 16000));
            }
            Wav.write(root.resolve(SpeechCommandsLayout.BACKGROUND_DIR).resolve(name), noise, 16000);
        }
        Files.writeString(root.resolve(SpeechCommandsLayout.BACKGROUND_DIR).resolve("README.md"), "not audio\n");
        return root;
    }
}

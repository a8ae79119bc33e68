package dev.mp3.speech;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny Speech Commands directory in the real v1 layout, written by tests: the 10 command words and
 * two other words, four "speakers" each (speaker 0 validation, 1 test, 2 and 3 training), one
 * background noise file. Each clip is a rising chirp whose base pitch depends on the word, so
 * the word is in every frame and the time in the chirp's current pitch.
 *
 * <p>Loaded with TC-ResNet's settings: training 20 keyword + 2 unknown + 2 silence = 24 clips,
 * validation and test 10 + 1 + 1 = 12 each.
 */
public final class TinySpeech {

    public static final List<String> OTHER_WORDS = List.of("bed", "cat");
    static final int SPEAKERS = 4;

    private TinySpeech() {}

    public static Path write(Path root) throws IOException {
        List<String> words = new ArrayList<>(SpeechDataConfig.COMMAND_WORDS);
        words.addAll(OTHER_WORDS);
        List<String> validation = new ArrayList<>();
        List<String> testing = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            for (int s = 0; s < SPEAKERS; s++) {
                String rel = words.get(w) + "/" + String.format("%08x_nohash_0.wav", 0x5eed00 + s);
                Wav.write(root.resolve(rel), chirp(w, s), 16000);
                if (s == 0) {
                    validation.add(rel);
                } else if (s == 1) {
                    testing.add(rel);
                }
            }
        }
        Files.write(root.resolve(SpeechCommandsLayout.VALIDATION_LIST), validation);
        Files.write(root.resolve(SpeechCommandsLayout.TESTING_LIST), testing);
        java.util.Random random = new java.util.Random(7);
        float[] noise = new float[2 * 16000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.2 * random.nextGaussian());
        }
        Wav.write(root.resolve(SpeechCommandsLayout.BACKGROUND_DIR).resolve("white_noise.wav"), noise, 16000);
        return root;
    }

    /** One second rising from 150 + 120 w Hz by 600 Hz, a little higher per speaker. */
    static float[] chirp(int word, int speaker) {
        float[] x = new float[16000];
        double f0 = 150 + 120 * word + 15 * speaker;
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            double t = i / 16000.0;
            phase += 2 * Math.PI * (f0 + 600 * t) / 16000;
            x[i] = (float) (0.4 * Math.sin(phase));
        }
        return x;
    }
}

package dev.mp3.speech;

import java.util.ArrayList;
import java.util.List;

/**
 * How Speech Commands becomes labelled examples: the keyword classes, how many "unknown" and
 * "silence" examples each split gets, the training augmentation and the MFCC front end.
 * {@link #TC_RESNET} holds the settings of TC-ResNet, which the paper keeps.
 *
 * @param keywords            the words that get their own class (TC-ResNet: the 10 command words)
 * @param unknownFraction     unknown examples per split, as a fraction of that split's keyword
 *                            examples (rounded up), sampled from the other words; 0.1 as TF's
 *                            speech_commands script, whose split TC-ResNet and the paper use
 * @param silenceFraction     silence examples per split, the same way; 0.1
 * @param silence             what a silence example holds before augmentation
 * @param backgroundFrequency probability that a training clip gets background noise mixed in; 0.8
 * @param backgroundMaxVolume the noise is scaled by U(0, this); 0.1
 * @param maxShiftSamples     training clips shift by a uniform integer in [-this, this) samples,
 *                            zero-filled; 1600 = 100 ms
 * @param mfcc                the front end
 */
public record SpeechDataConfig(List<String> keywords, double unknownFraction, double silenceFraction, Silence silence,
                           double backgroundFrequency, double backgroundMaxVolume, int maxShiftSamples,
                           Mfcc.Config mfcc) {

    /** The content of a silence example (before training augmentation adds noise on top). */
    public enum Silence {
        /** All zeros, as TC-ResNet: in evaluation silence is exact digital silence. */
        ZEROS,
        /**
         * A fixed random 1 s segment of a random _background_noise_ file at volume U(0, 1), chosen
         * once per example from the seed (TensorFlow's speech_commands recipe).
         */
        BACKGROUND
    }

    public static final String SILENCE = "silence";
    public static final String UNKNOWN = "unknown";

    public static final List<String> COMMAND_WORDS = List.of("yes", "no", "up", "down", "left", "right", "on",
            "off", "stop", "go");

    public static final SpeechDataConfig TC_RESNET = new SpeechDataConfig(COMMAND_WORDS, 0.1, 0.1, Silence.ZEROS, 0.8,
            0.1, 1600, Mfcc.Config.TC_RESNET);

    public SpeechDataConfig {
        keywords = List.copyOf(keywords);
        if (keywords.isEmpty() || keywords.size() != keywords.stream().distinct().count()
                || keywords.contains(SILENCE) || keywords.contains(UNKNOWN)
                || keywords.stream().anyMatch(w -> w.isEmpty() || w.startsWith("_") || w.contains("/"))) {
            throw new IllegalArgumentException("SpeechDataConfig: keywords must be distinct word folder names, not "
                    + "empty, not starting with '_' and not \"silence\" or \"unknown\"; got " + keywords);
        }
        if (!(unknownFraction >= 0) || !(silenceFraction >= 0) || !(backgroundFrequency >= 0 && backgroundFrequency <= 1)
                || !(backgroundMaxVolume >= 0) || maxShiftSamples < 0 || silence == null || mfcc == null) {
            throw new IllegalArgumentException("SpeechDataConfig: need unknownFraction >= 0 (" + unknownFraction
                    + "), silenceFraction >= 0 (" + silenceFraction + "), backgroundFrequency in [0, 1] ("
                    + backgroundFrequency + "), backgroundMaxVolume >= 0 (" + backgroundMaxVolume
                    + "), maxShiftSamples >= 0 (" + maxShiftSamples + "), silence and mfcc set");
        }
    }

    /**
     * Class names in label order, as TC-ResNet orders them: silence (its null class) first, then
     * the keyword folders and "unknown" sorted by name. For the command words: silence, down, go,
     * left, no, off, on, right, stop, unknown, up, yes.
     */
    public List<String> classes() {
        List<String> names = new ArrayList<>(keywords);
        names.add(UNKNOWN);
        names.sort(null);
        names.addFirst(SILENCE);
        return List.copyOf(names);
    }

    public SpeechDataConfig withSilence(Silence newSilence) {
        return new SpeechDataConfig(keywords, unknownFraction, silenceFraction, newSilence, backgroundFrequency,
                backgroundMaxVolume, maxShiftSamples, mfcc);
    }

    /** Whether training mixes in background noise at all (then _background_noise_ must hold files). */
    public boolean mixesBackground() {
        return backgroundFrequency > 0 && backgroundMaxVolume > 0;
    }
}

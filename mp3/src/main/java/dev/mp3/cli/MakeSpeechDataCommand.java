package dev.mp3.cli;

import dev.mp3.speech.SyntheticSpeech;

import dev.mp3.speech.SpeechCommandsLayout.Split;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code make-speech-data DIR}: synthesises the offline keyword dataset with espeak-ng
 * ({@link SyntheticSpeech}) in the Speech Commands v1 layout, so every speech command runs on it
 * exactly as on the real data.
 */
@Command(name = "make-speech-data", mixinStandardHelpOptions = true,
        description = {"Synthesise a keyword-spotting dataset with espeak-ng in the Google Speech Commands v1 "
                + "layout (16 kHz mono 16-bit WAV, one folder per word, _background_noise_, validation_list.txt, "
                + "testing_list.txt), with disjoint speakers for train, validation and test.",
                "Needs espeak-ng: apt-get install espeak-ng"})
public final class MakeSpeechDataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "output directory (must not exist or be empty)")
    Path out;

    @Option(names = "--per-keyword", defaultValue = "250", description = "clips per keyword (default ${DEFAULT-VALUE})")
    int perKeyword;

    @Option(names = "--per-other-word", defaultValue = "50",
            description = "clips per other (unknown) word (default ${DEFAULT-VALUE})")
    int perOtherWord;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "espeak-ng processes at once (default: the number of cores)")
    Integer threads;

    @Option(names = "--espeak", defaultValue = "espeak-ng", description = "espeak-ng executable (default ${DEFAULT-VALUE})")
    String espeak;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        SyntheticSpeech.Options options = SyntheticSpeech.Options.defaults().withCounts(perKeyword, perOtherWord)
                .withSeed(seed).withEspeak(espeak);
        if (threads != null) {
            options = options.withThreads(threads);
        }
        SyntheticSpeech.Result result;
        try {
            result = SyntheticSpeech.generate(out, options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        outWriter.printf("wrote %d clips to %s in %.1f s%n", result.clips(), result.root(), result.seconds());
        for (Split split : Split.values()) {
            outWriter.printf("  %-10s speakers: %s%n", split.name().toLowerCase(),
                    String.join(", ", result.speakers().get(split)));
        }
        outWriter.printf("check it with: speech-data --data %s%n", result.root());
        return 0;
    }
}

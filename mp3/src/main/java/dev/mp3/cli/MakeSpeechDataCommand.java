package dev.mp3.cli;

import dev.mp3.speech.SyntheticSpeech;

import dev.mp3.speech.SpeechCommandsLayout.Split;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code make-speech-data DIR}: synthesises the offline keyword dataset with espeak-ng, Flite and
 * Festival ({@link SyntheticSpeech}) in the Speech Commands v1 layout, so every speech command
 * runs on it exactly as on the real data. Rerunning it into the same directory finishes an
 * interrupted set.
 */
@Command(name = "make-speech-data", mixinStandardHelpOptions = true,
        description = {"Synthesise a keyword-spotting dataset in the Google Speech Commands v1 layout (16 kHz mono "
                + "16-bit WAV, one folder per word, _background_noise_, validation_list.txt, testing_list.txt) with "
                + "every installed offline synthesiser (espeak-ng, flite, festival): per-clip speed, pitch and gain, "
                + "time shift and background noise at random SNR, speakers disjoint across train, validation and "
                + "test. Resumable: the same command into the same DIR keeps the clips made and makes the rest.",
                "Needs: apt-get install espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k "
                        + "festvox-us-slt-hts"})
public final class MakeSpeechDataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR",
            description = "output directory: new, empty, or an unfinished set of the same options to finish")
    Path out;

    @Option(names = "--per-keyword", defaultValue = "2000", description = "clips per keyword (default ${DEFAULT-VALUE})")
    int perKeyword;

    @Option(names = "--per-other-word", defaultValue = "300",
            description = "clips per other (unknown) word (default ${DEFAULT-VALUE})")
    int perOtherWord;

    @Option(names = "--synth", split = ",", paramLabel = "NAME",
            description = "synthesisers to use, of espeak-ng, flite, festival (default: every installed one; "
                    + "a named one that is missing is an error)")
    List<String> synths = List.of();

    @Option(names = "--noise-probability", defaultValue = "0.8",
            description = "share of clips with background noise (default ${DEFAULT-VALUE})")
    double noiseProbability;

    @Option(names = "--snr", defaultValue = "5,30", split = ",", paramLabel = "DB",
            description = "signal-to-noise range of that noise in dB, MIN,MAX (default ${DEFAULT-VALUE})")
    double[] snr;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "synthesiser processes at once (default: the number of cores)")
    Integer threads;

    @Option(names = "--espeak", defaultValue = "espeak-ng", description = "espeak-ng executable (default ${DEFAULT-VALUE})")
    String espeak;

    @Option(names = "--flite", defaultValue = "flite", description = "flite executable (default ${DEFAULT-VALUE})")
    String flite;

    @Option(names = "--festival", defaultValue = "festival", description = "festival executable (default ${DEFAULT-VALUE})")
    String festival;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        SyntheticSpeech.Result result;
        try {
            if (snr.length != 2) {
                throw new IllegalArgumentException("make-speech-data: --snr takes MIN,MAX in dB, got "
                        + snr.length + " numbers");
            }
            SyntheticSpeech.Options options = SyntheticSpeech.Options.defaults().withCounts(perKeyword, perOtherWord)
                    .withSeed(seed).withSynthesisers(synths).withNoise(noiseProbability, snr[0], snr[1])
                    .withExecutables(espeak, flite, festival);
            if (threads != null) {
                options = options.withThreads(threads);
            }
            result = SyntheticSpeech.generate(out, options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (!result.skipped().isEmpty()) {
            outWriter.printf("skipped (not installed): %s%n", String.join(", ", result.skipped()));
        }
        outWriter.printf("wrote %d clips to %s in %.1f s (%d new, %d kept from an earlier run) with %s%n",
                result.clips(), result.root(), result.seconds(), result.made(), result.clips() - result.made(),
                String.join(", ", result.used()));
        for (Split split : Split.values()) {
            outWriter.printf("  %-10s %d speakers: %s%n", split.name().toLowerCase(),
                    result.speakers().get(split).size(), String.join(", ", result.speakers().get(split)));
        }
        outWriter.printf("check it with: speech-data --data %s%n", result.root());
        return 0;
    }
}

package dev.mp3.cli;

import dev.mp3.speech.Mfcc;
import dev.mp3.speech.SpeechCommandsLayout;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechData;
import dev.mp3.speech.SpeechDataConfig;
import dev.mp3.speech.SpeechSplit;

import dev.mp3.tensor.Rng;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code speech-data --data DIR}: what a user with the real Google Speech Commands v1 runs first.
 * It reads the directory exactly as training will ({@link SpeechData#load}), prints the examples
 * per class and split (the paper's Table 1 has 22,246 / 3,093 / 3,081 for the real data), and
 * times the training front end (augmentation + MFCC) on a few batches.
 *
 * <pre>
 * wget http://download.tensorflow.org/data/speech_commands_v0.01.tar.gz
 * mkdir speech_commands_v0.01 &amp;&amp; tar -xzf speech_commands_v0.01.tar.gz -C speech_commands_v0.01
 * speech-data --data speech_commands_v0.01
 * </pre>
 */
@Command(name = "speech-data", mixinStandardHelpOptions = true,
        description = {"Load a Speech Commands v1 directory (the real download or make-speech-data output) as the "
                + "speech model sees it: 12 classes (10 keywords, unknown, silence), TC-ResNet's split and "
                + "augmentation, 98 x 40 MFCC frames per clip. Prints examples per class and split and the "
                + "front end's speed."})
public final class SpeechDataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "the extracted speech_commands_v0.01 directory, or make-speech-data output")
    Path root;

    @Option(names = "--seed", defaultValue = "0", description = "seed for unknown/silence sampling and "
            + "augmentation (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--silence", defaultValue = "ZEROS", description = "silence examples: ${COMPLETION-CANDIDATES} "
            + "(default ${DEFAULT-VALUE}, as TC-ResNet)")
    SpeechDataConfig.Silence silence;

    @Option(names = "--batch-size", defaultValue = "256", description = "training batch size to time (default "
            + "${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--batches", defaultValue = "4", description = "training batches to time (default ${DEFAULT-VALUE})")
    int batches;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize < 1 || batches < 0) {
            err.println("error: --batch-size must be >= 1 and --batches >= 0, got " + batchSize + " and " + batches);
            return 2;
        }
        long t0 = System.nanoTime();
        SpeechData data;
        try {
            data = SpeechData.load(root, SpeechDataConfig.TC_RESNET.withSilence(silence), seed);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        double loadSeconds = (System.nanoTime() - t0) * 1e-9;
        SpeechCommandsLayout layout = data.layout();
        out.printf("%s: %d word folders, %d background files; loaded in %.1f s (evaluation MFCCs included)%n",
                root, layout.words().size(), layout.backgroundFiles().size(), loadSeconds);
        out.print(data.summary());
        Mfcc.Config mfcc = data.config().mfcc();
        out.printf("features per clip: %d frames x %d MFCCs; labels: %s%n", mfcc.frames(), mfcc.coefficients(),
                String.join(", ", data.classes()));
        SpeechSplit train = data.train();
        Rng rng = new Rng(seed);
        List<int[]> epoch = train.epoch(batchSize, rng);
        int timed = Math.min(batches, epoch.size());
        if (timed > 0) {
            train.batch(epoch.get(0), rng); // warm-up
            long t1 = System.nanoTime();
            int clips = 0;
            for (int b = 0; b < timed; b++) {
                clips += train.batch(epoch.get(b), rng).labels().numel();
            }
            double seconds = (System.nanoTime() - t1) * 1e-9;
            out.printf("training front end (augment + MFCC): %d clips in %.2f s = %.0f clips/s%n", clips, seconds,
                    clips / seconds);
        }
        return 0;
    }
}

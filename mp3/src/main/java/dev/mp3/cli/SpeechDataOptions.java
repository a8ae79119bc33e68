package dev.mp3.cli;

import dev.mp3.nn.SpeechConfig;
import dev.mp3.speech.SpeechDataConfig;
import dev.mp3.speech.SpeechData;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the clips come from: {@code --data}, shared by the speech training commands. */
final class SpeechDataOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "A Speech Commands v1 directory: the extracted speech_commands_v0.01 download, or"
                    + " make-speech-data output. Default: the synthetic set in the cache,"
                    + " $XDG_CACHE_HOME/mp3/speech-synthetic or ~/.cache/mp3/speech-synthetic (speech-demo makes it).")
    Path root;

    @Option(names = "--data-seed", defaultValue = "0",
            description = "Seed of the unknown/silence sampling; keep it equal across runs you compare"
                    + " (default ${DEFAULT-VALUE}).")
    long dataSeed;

    @Option(names = "--silence", defaultValue = "ZEROS", description = "Silence examples: ${COMPLETION-CANDIDATES}"
            + " (default ${DEFAULT-VALUE}, as TC-ResNet).")
    SpeechDataConfig.Silence silence;

    /** The synthetic set's default home, next to the vision cache. */
    static Path defaultDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mp3").resolve("speech-synthetic");
    }

    Path dir() {
        return root != null ? root : defaultDir();
    }

    /**
     * {@code --data}, {@code --data-seed} and {@code --silence} of a training run: the checkpoint's on
     * {@code --resume} (given ones must agree), recorded in the run's checkpoints.
     */
    void resolve(RunFolder folder) {
        root = Path.of(folder.setting("data", "--data", dir().toAbsolutePath().normalize().toString()));
        dataSeed = Long.parseLong(folder.setting("data_seed", "--data-seed", Long.toString(dataSeed)));
        silence = SpeechDataConfig.Silence.valueOf(folder.setting("silence", "--silence", silence.name()));
    }

    /** Loads the directory as TC-ResNet's 12-class task; a missing directory says how to get one. */
    SpeechData load(PrintWriter out) {
        Path dir = dir();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data: " + dir + " is not a directory; make the synthetic set with"
                    + " `make-speech-data " + dir + "` (speech-demo makes it when it is missing), or point --data"
                    + " at the extracted speech_commands_v0.01 download");
        }
        long t0 = System.nanoTime();
        SpeechData data = SpeechData.load(dir, SpeechDataConfig.TC_RESNET.withSilence(silence), dataSeed);
        out.printf("data: %s: %d train, %d validation, %d test clips, %d classes (%.1f s to load)%n", dir,
                data.train().size(), data.validation().size(), data.test().size(), data.classes().size(),
                (System.nanoTime() - t0) / 1e9);
        return data;
    }

    /** The paper's model (8 layers, width 32, ...) over this data's MFCC frames. */
    static SpeechConfig paperModel(SpeechData data) {
        var mfcc = data.config().mfcc();
        var paper = SpeechConfig.paper();
        return new SpeechConfig(mfcc.frames(), mfcc.coefficients(), paper.dim(), paper.depth(),
                paper.heads(), paper.ffDim(), paper.dropout(), data.classes().size(), false, paper.layerNormEps());
    }

    /** A checkpoint's model must read this data's frames and, with a classifier, its classes. */
    static void requireFits(SpeechConfig model, SpeechData data, Path checkpoint) {
        var mfcc = data.config().mfcc();
        if (model.frames() != mfcc.frames() || model.features() != mfcc.coefficients()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " reads " + model.frames() + " frames of "
                    + model.features() + " features, but the data gives " + mfcc.frames() + " x " + mfcc.coefficients());
        }
        if (model.numClasses() > 0 && model.numClasses() != data.classes().size()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " classifies " + model.numClasses()
                    + " classes, but the data has " + data.classes().size());
        }
    }
}

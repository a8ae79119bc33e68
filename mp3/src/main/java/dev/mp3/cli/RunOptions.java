package dev.mp3.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where a training command keeps its run: {@code --out}, {@code --resume}, {@code --force},
 * {@code --checkpoint-every}.
 */
final class RunOptions {

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default runs/<command>). A folder that"
            + " holds a run's checkpoint is only continued (--resume) or started over (--force).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint, bit-exactly (from"
            + " the older one, with a warning, if the newest is damaged). The run keeps its checkpoint's recipe and"
            + " data: such options may be left out, and any given must equal the run's.")
    boolean resume;

    @Option(names = "--force", description = "Start a new run in an --out folder that holds one. The old run's"
            + " checkpoints are removed when the new run writes its first checkpoint (until then, --resume still"
            + " continues the old run); its other files are replaced as the new run writes them.")
    boolean force;

    @Option(names = "--checkpoint-every", defaultValue = "200",
            description = "Updates between checkpoints (default ${DEFAULT-VALUE}); the last two are kept,"
                    + " checkpoint.safetensors and checkpoint.previous.safetensors.")
    int checkpointEvery;

    /** A finetuning run starts from {@code --init}, a checkpoint of {@code pretrainCommand}; a resumed one needs none. */
    void requireInit(Path init, String command, String pretrainCommand) {
        if (init == null && !resume) {
            throw new IllegalArgumentException(command + ": --init CHECKPOINT is required (a " + pretrainCommand
                    + " checkpoint, e.g. runs/" + pretrainCommand + "/checkpoint.safetensors), unless --resume continues"
                    + " a run");
        }
    }
}

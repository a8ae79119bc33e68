package dev.mp3.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a training command keeps its run: {@code --out}, {@code --resume}, {@code --checkpoint-every}. */
final class RunOptions {

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default runs/<command>).")
    Path out;

    @Option(names = "--resume", description = "Continue from the run folder's checkpoint (bit-exactly); the run keeps"
            + " its checkpoint's recipe.")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "200",
            description = "Updates between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;
}

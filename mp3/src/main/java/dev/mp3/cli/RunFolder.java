package dev.mp3.cli;

import dev.mp3.report.ReportDir;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.RunFiles;
import dev.mp3.train.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The run folder every training command writes: {@code checkpoint.safetensors} (written every
 * {@code --checkpoint-every} updates and at the end), {@code config.json}, the history as CSV and
 * PNG, and {@code metrics.json}. With {@code --resume} the checkpoint there is read back first.
 */
final class RunFolder {
    final ReportDir dir;
    final Path checkpoint;
    /** The checkpoint to continue from, or null for a fresh run. */
    final Checkpoint resume;
    private final int checkpointEvery;

    private RunFolder(ReportDir dir, Checkpoint resume, int checkpointEvery) {
        this.dir = dir;
        this.checkpoint = dir.file("checkpoint.safetensors");
        this.resume = resume;
        this.checkpointEvery = checkpointEvery;
    }

    /** Opens {@code --out} (default runs/NAME), reading its checkpoint when {@code --resume} asks for it. */
    static RunFolder open(RunOptions options, String name, Class<? extends Record> modelType, PrintWriter out)
            throws IOException {
        Path path = options.out != null ? options.out : Path.of("runs", name);
        Checkpoint resume = null;
        if (options.resume) {
            resume = Checkpoint.load(path.resolve("checkpoint.safetensors"), modelType);
            out.printf("resuming %s at update %d of %d%n", path.resolve("checkpoint.safetensors"), resume.step(),
                    resume.progress().updates());
        }
        return new RunFolder(ReportDir.at(path), resume, options.checkpointEvery);
    }

    /** Trains with checkpoints into this folder, continuing the resumed run if there is one. */
    Trainer.Result train(Trainer trainer) throws IOException {
        return trainer.checkpointTo(checkpoint, checkpointEvery).run(resume, Long.MAX_VALUE);
    }

    void writeConfig(Map<String, Object> config) throws IOException {
        dir.writeJson("config.json", config);
    }

    void writeHistory(String name, Trainer trainer, Trainer.Result result) throws IOException {
        RunFiles.writeHistory(dir, name, result.history(), trainer.task().metric(), trainer.task().unit());
    }

    void writeMetrics(Map<String, Object> metrics) throws IOException {
        dir.writeJson("metrics.json", metrics);
    }
}

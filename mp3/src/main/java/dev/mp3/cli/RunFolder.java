package dev.mp3.cli;

import dev.mp3.nn.parallel.DataParallel;
import dev.mp3.report.ReportDir;
import dev.mp3.train.Checkpoint;
import dev.mp3.train.RunFiles;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The run folder every training command writes: {@code checkpoint.safetensors} (written every
 * {@code --checkpoint-every} updates and at the end) and the one before it,
 * {@code checkpoint.previous.safetensors}; {@code config.json}, the history as CSV and PNG, and
 * {@code metrics.json}.
 *
 * <p>A folder that holds a checkpoint holds a run: a command given it as {@code --out} continues
 * that run ({@code --resume}) or replaces it ({@code --force}), and refuses otherwise. On
 * {@code --resume} the newest checkpoint is read back (the older one when the newest is damaged
 * or missing), and every recipe and data option the user gives must equal the run's
 * ({@link #check}, {@link #setting}); options left out take the run's values.
 */
final class RunFolder {
    static final String CHECKPOINT = "checkpoint.safetensors";
    static final String DAMAGED = "checkpoint.damaged.safetensors";
    /** Temporary files of {@code AtomicFile} that a killed process left behind: {@code .NAME.HEX.tmp}. */
    private static final Pattern LEFTOVER = Pattern.compile("\\..+\\.[0-9a-f]+\\.tmp");

    final ReportDir dir;
    final Path checkpoint;
    /** The checkpoint to continue from, or null for a fresh run. */
    final Checkpoint resume;
    /** The file {@link #resume} was read from: the newest checkpoint, or the previous one. */
    private final Path resumedFrom;
    private final int checkpointEvery;
    private final boolean startOver;
    private final ParseResult given;
    private PrintWriter out;
    /** What the run's checkpoints record besides the recipe; see {@link #setting}. */
    private final Map<String, String> settings = new TreeMap<>();

    private RunFolder(ReportDir dir, Checkpoint resume, Path resumedFrom, int checkpointEvery, boolean startOver,
                      ParseResult given) {
        this.dir = dir;
        this.checkpoint = dir.file(CHECKPOINT);
        this.resume = resume;
        this.resumedFrom = resumedFrom;
        this.checkpointEvery = checkpointEvery;
        this.startOver = startOver;
        this.given = given;
    }

    /**
     * Opens {@code --out} (default runs/NAME) for {@code command}: refuses a folder that holds a run
     * unless {@code --resume} or {@code --force} says what to do with it, and reads the run's
     * checkpoint on {@code --resume}.
     */
    static RunFolder open(RunOptions options, CommandSpec command, String name, Class<? extends Record> modelType,
                          PrintWriter out) throws IOException {
        Path path = options.out != null ? options.out : Path.of("runs", name);
        Path newest = path.resolve(CHECKPOINT);
        Path previous = Checkpoint.previous(newest);
        boolean holdsRun = Files.exists(newest) || Files.exists(previous);
        if (options.resume && options.force) {
            throw new IllegalArgumentException("--resume and --force contradict each other: --resume continues the run"
                    + " in " + path + ", --force starts it over; give one of them");
        }
        if (holdsRun && !options.resume && !options.force) {
            throw new IllegalArgumentException("--out " + path + " already holds a run (" + (Files.exists(newest)
                    ? newest : previous) + "); add --resume to continue it, or --force to start over and replace it");
        }
        if (options.resume && !holdsRun) {
            throw new IllegalArgumentException("--resume: " + path + " holds no run to continue (no " + CHECKPOINT
                    + " there); leave out --resume to start one");
        }
        if (ReportDir.writing()) {
            removeLeftovers(path);   // rank 0's alone: another rank would delete its writes in progress
        }
        Checkpoint resume = null;
        Path from = null;
        if (options.resume) {
            from = newest;
            String problem = null;
            if (!Files.exists(newest)) {
                problem = newest + " is missing";
            } else {
                try {
                    resume = Checkpoint.load(newest, modelType);
                } catch (Checkpoint.Damaged damaged) {
                    if (!Files.exists(previous)) {
                        throw new IllegalArgumentException(damaged.getMessage() + ", and there is no older "
                                + previous.getFileName() + " to resume from; start the run over with --force");
                    }
                    problem = damaged.getMessage();
                }
            }
            if (resume == null) {
                from = previous;
                try {
                    resume = Checkpoint.load(previous, modelType);
                } catch (Checkpoint.Damaged damaged) {
                    throw new IllegalArgumentException(problem + ", and " + damaged.getMessage()
                            + "; start the run over with --force");
                }
                String kept = "";
                if (Files.exists(newest) && ReportDir.writing()) {
                    // A new checkpoint must not push the damaged file into the previous slot: set it aside.
                    Files.move(newest, path.resolve(DAMAGED), StandardCopyOption.REPLACE_EXISTING);
                    kept = "moved it to " + DAMAGED + " and ";
                }
                out.printf("warning: %s; %sresuming from the older %s at update %d of %d%n", problem, kept, previous,
                        resume.step(), resume.progress().updates());
            } else {
                out.printf("resuming %s at update %d of %d%n", newest, resume.step(), resume.progress().updates());
            }
            if (resume.version() != null && !resume.version().equals(Checkpoint.CODE_VERSION)) {
                out.printf("note: %s was written by %s, this is %s; a resumed run ends bit-exactly as an"
                        + " uninterrupted one only with the same code%n", from, resume.version(),
                        Checkpoint.CODE_VERSION);
            }
        }
        RunFolder folder = new RunFolder(ReportDir.at(path), resume, from, options.checkpointEvery, options.force,
                command.commandLine().getParseResult());
        folder.out = out;
        return folder;
    }

    /** Deletes the temporary files of writes that a killed run left unfinished. */
    private static void removeLeftovers(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return;
        }
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (LEFTOVER.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Whether the user gave {@code flag} on the command line (rather than leaving its default). */
    boolean given(String flag) {
        return given.hasMatchedOption(flag);
    }

    /**
     * On {@code --resume}: when the user gave {@code flag}, its {@code value} must equal the run's
     * {@code recorded} one (both in the same type or canonical form); otherwise an error names both.
     * A fresh run, or a flag left out, passes.
     */
    void check(String flag, Object value, Object recorded) {
        if (resume != null && given(flag) && !Objects.equals(value, recorded)) {
            OptionSpec option = given.matchedOption(flag);
            String text = option.stringValues().isEmpty() ? String.valueOf(value)
                    : String.join(",", option.stringValues());
            throw new IllegalArgumentException("--resume: " + flag + " " + text + " differs from the run's "
                    + recorded + " (recorded in " + resumedFrom + "); leave out " + flag + " to continue the run, or"
                    + " start it over with --force");
        }
    }

    /**
     * A setting of the run besides its recipe (the data source, the label fraction ...), recorded
     * in every checkpoint under {@code key}: {@code value} (the option's value in canonical form)
     * for a fresh run; on {@code --resume} the checkpoint's, which a given {@code flag} must equal.
     */
    String setting(String key, String flag, String value) {
        String recorded = resume != null ? resume.run().get(key) : null;
        String result = value;
        if (recorded != null) {
            check(flag, value, recorded);
            result = recorded;
        }
        if (result != null) {
            settings.put(key, result);
        }
        return result;
    }

    /** Trains with checkpoints into this folder, continuing the resumed run if there is one. */
    Trainer.Result train(Trainer trainer) throws IOException {
        trainer.checkpointTo(checkpoint, checkpointEvery).recording(settings);
        if (startOver) {
            trainer.startingOver();
        }
        Trainer.Result result = trainer.run(resume, Long.MAX_VALUE);
        DataParallel.Stats p = result.parallel();
        if (p != null && out != null) {
            out.printf("data parallel: %d processes, %d buckets of gradients (%.1f MB) summed per update; %.1f ms"
                    + " of each update's %.1f ms waited for them (%.1f ms packing)%n", Distributed.group().size(),
                    p.buckets(), p.bytesPerStep() / 1e6, 1e3 * p.exposedPerStep(), 1e3 * result.meanStepSeconds(),
                    1e3 * p.packSeconds() / Math.max(1, p.steps()));
        }
        return result;
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

package dev.mp3.cli;

import dev.mp3.nn.parallel.Collective;

import dev.mp3.train.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * Entry point of the command line: {@code ./mp3.sh <command> [options]}. Every failure ends in one
 * line on standard error starting with {@code error:} and exit code 2 ({@link Errors} words it);
 * {@code --verbose} adds the stack trace.
 */
@Command(name = "mp3.sh", mixinStandardHelpOptions = true, version = Checkpoint.CODE_VERSION,
        description = "Masked Patch Position Prediction on a pure-JVM tensor engine.",
        subcommands = {DemoCommand.class, PretrainCommand.class, FinetuneCommand.class, TrainCommand.class,
                EvalCommand.class, ReconstructCommand.class, AnalyzeCommand.class, SpeechDemoCommand.class, SpeechPretrainCommand.class,
                SpeechFinetuneCommand.class, SpeechTrainCommand.class, SpeechEvalCommand.class, SpeechSweepCommand.class,
                MakeSpeechDataCommand.class, SpeechDataCommand.class, DevicesCommand.class, TuneCommand.class,
                MlpDemo.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** The exit code of every failure: bad input, missing data, an OpenCL or I/O error. */
    static final int FAILURE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On an error, print the stack trace after the one-line message.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        Collective group;
        try {
            group = Distributed.join(System.getenv());
        } catch (RuntimeException e) {
            System.err.println("error: data parallel: " + Errors.describe(e));
            System.exit(FAILURE);
            return;
        }
        // After joining: a rank other than 0 has its standard output replaced, and the command line
        // takes the one in place when it is made.
        CommandLine cl = commandLine();
        int exit;
        try {
            exit = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands exceptions to the handler below; errors such as this one come out here.
            exit = report(e, cl.getErr(), ((Main) cl.getCommand()).verbose);
        }
        if (group.distributed()) {
            if (exit != 0) {
                // The other ranks may be waiting in a collective for this one: stop them all.
                System.err.println("error: " + Distributed.prefix() + "failed (above); stopping all "
                        + group.size() + " processes");
                group.abort(exit);
            }
            group.close();
        }
        System.exit(exit);
    }

    /** The configured command line: a failure prints one line ({@link Errors}), not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, cmd.getErr(), ((Main) cl.getCommand()).verbose));
        // A mistyped option is one line too, pointing at the command's help rather than printing all of it.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            String help = cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^mp3\\.sh", "./mp3.sh") + " --help";
            cmd.getErr().println("error: " + ex.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ") + " (see "
                    + help + ")");
            cmd.getErr().flush();
            return FAILURE;
        });
        return cl;
    }

    private static int report(Throwable e, PrintWriter err, boolean verbose) {
        err.println("error: " + Distributed.prefix() + Errors.describe(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }
}

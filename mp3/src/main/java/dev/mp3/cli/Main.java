package dev.mp3.cli;

import dev.mp3.train.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the command line: {@code ./mp3.sh <command> [options]}. */
@Command(name = "mp3.sh", mixinStandardHelpOptions = true, version = Checkpoint.CODE_VERSION,
        description = "Masked Patch Position Prediction on a pure-JVM tensor engine.",
        subcommands = {DemoCommand.class, PretrainCommand.class, FinetuneCommand.class, TrainCommand.class,
                EvalCommand.class, ReconstructCommand.class, SpeechDemoCommand.class, SpeechPretrainCommand.class,
                SpeechFinetuneCommand.class, SpeechTrainCommand.class, SpeechSweepCommand.class,
                MakeSpeechDataCommand.class, SpeechDataCommand.class, DevicesCommand.class, TuneCommand.class,
                MlpDemo.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; errors in user input print one message, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                    || ex instanceof IllegalStateException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }
}

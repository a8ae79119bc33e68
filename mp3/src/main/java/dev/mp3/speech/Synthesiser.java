package dev.mp3.speech;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * An offline text-to-speech program that {@link SyntheticSpeech} runs as a subprocess: espeak-ng
 * ({@link EspeakNg}), Flite ({@link Flite}) or Festival ({@link Festival}).
 *
 * <p>Each writes one WAV per {@link Request} at its own sample rate; the generator resamples,
 * trims and mixes. Speed is always set through the program; pitch too where the program takes it
 * ({@link #nativePitch}), otherwise the generator shifts it by resampling.
 */
public interface Synthesiser {

    /**
     * One word to speak into {@code out}.
     *
     * @param accent a base voice for the variant (espeak-ng), null where the voice has none
     * @param speed  speaking rate relative to the voice's own (1.2 = 20% faster)
     * @param pitch  pitch relative to the voice's own; ignored unless {@link #nativePitch}
     */
    record Request(String voice, String accent, String word, double speed, double pitch, Path out) {}

    /** A voice of this synthesiser and the real or formant "person" behind it (shared by, e.g., Flite's and Festival's kal). */
    record Voice(String name, String person) {}

    /** The name used on the command line and in file lists: espeak-ng, flite or festival. */
    String name();

    /** The Debian packages that install it with the voices used here. */
    String packages();

    /**
     * The program's version line; throws IllegalStateException naming the apt-get command when it
     * cannot run.
     */
    String version();

    /** The installed voices the generator uses, in a fixed order. */
    List<Voice> voices();

    /** Base voices that a clip's voice is spoken with (espeak-ng's accents); empty when voices stand alone. */
    default List<String> accents() {
        return List.of();
    }

    /** True when {@link Request#pitch} is passed to the program; false when the generator resamples. */
    boolean nativePitch();

    /** Requests worth one process: 1 for programs that start fast, more when start-up dominates. */
    int batchSize();

    /** Writes every request's WAV, throwing IllegalStateException with the program's output if it fails. */
    void synthesise(List<Request> requests, Path scratch) throws IOException, InterruptedException;

    /** Every synthesiser the generator knows, with these executables. */
    static List<Synthesiser> all(String espeak, String flite, String festival) {
        return List.of(new EspeakNg(espeak), new Flite(flite), new Festival(festival));
    }

    /** Runs a command to completion and returns its output; throws with the install line if it cannot start. */
    static String run(Synthesiser s, List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(missing(s, command.getFirst(), e.getMessage()), e);
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("make-speech-data: `" + String.join(" ", command) + "` failed (exit "
                    + p.exitValue() + "): " + text);
        }
        return text;
    }

    /** The message for a synthesiser that cannot run: what failed and the apt-get line. */
    static String missing(Synthesiser s, String executable, String why) {
        return "make-speech-data: cannot run " + s.name() + " (" + executable + ": " + why + "); install it with "
                + "`apt-get install " + s.packages() + "` (Debian/Ubuntu) and make sure it is on PATH";
    }

    /** The output of a command that exits non-zero even when it works ({@code flite --version}). */
    static String outputOf(Synthesiser s, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(missing(s, command.getFirst(), e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("make-speech-data: interrupted", e);
        }
    }

    /** {@link #version()} without the checked exceptions of {@link #run}. */
    /** The voices of {@code known}, in their order, whose names the program listed as installed. */
    static List<Voice> installed(List<Voice> known, java.util.Collection<String> listed) {
        return known.stream().filter(v -> listed.contains(v.name())).toList();
    }

    static String versionOf(Synthesiser s, List<String> command) {
        try {
            return run(s, command);
        } catch (IOException e) {
            throw new IllegalStateException(missing(s, command.getFirst(), e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("make-speech-data: interrupted", e);
        }
    }
}

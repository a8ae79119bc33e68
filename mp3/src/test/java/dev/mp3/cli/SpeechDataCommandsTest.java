package dev.mp3.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mp3.speech.SpeechTestData;
import dev.mp3.speech.SyntheticSpeechTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The two picocli commands, run as a user would, on small directories in the real layout. */
class SpeechDataCommandsTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void speechDataReportsSplitsAndSpeed() throws Exception {
        Path root = SpeechTestData.write(dir.resolve("speech_commands_v0.01"));
        Run r = run(new SpeechDataCommand(), "--data", root.toString(), "--batch-size", "8", "--batches", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("13 word folders, 2 background files")
                .containsPattern("total\\s+36\\s+12\\s+12")
                .containsPattern("yes\\s+3\\s+1\\s+1")
                .contains("98 frames x 40 MFCCs")
                .containsPattern("training front end \\(augment \\+ MFCC\\): 16 clips in [0-9.]+ s");
    }

    @Test
    void speechDataExplainsAMissingDataset() {
        Run r = run(new SpeechDataCommand(), "--data", dir.resolve("absent").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("error: Speech Commands:").contains("is not a directory")
                .contains("make-speech-data");
    }

    @Test
    void makeSpeechDataWithoutEspeakSaysHowToInstallIt() {
        Run r = run(new MakeSpeechDataCommand(), dir.resolve("out").toString(), "--synth", "espeak-ng",
                "--espeak", "/nonexistent/espeak");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("apt-get install espeak-ng");
    }

    @Test
    void makeSpeechDataRefusesABadSnrRangeAndUnknownSynthesisers() {
        Run snr = run(new MakeSpeechDataCommand(), dir.resolve("out").toString(), "--snr", "5");
        assertThat(snr.exit()).isEqualTo(2);
        assertThat(snr.err()).contains("--snr takes MIN,MAX");
        Run synth = run(new MakeSpeechDataCommand(), dir.resolve("out").toString(), "--synth", "say");
        assertThat(synth.exit()).isEqualTo(2);
        assertThat(synth.err()).contains("unknown synthesiser 'say'; choose from espeak-ng, flite, festival");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void makeSpeechDataThenSpeechData() {
        assumeTrue(SyntheticSpeechTest.espeakInstalled(),
                "espeak-ng is not installed (apt-get install espeak-ng): generator command test skipped");
        Path out = dir.resolve("synthetic");
        Run made = run(new MakeSpeechDataCommand(), out.toString(), "--per-keyword", "3", "--per-other-word", "1",
                "--threads", "2", "--seed", "3");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).contains("wrote 50 clips to " + out).contains("check it with: speech-data --data");
        // The same command again keeps every clip; other options into the same folder are refused.
        Run again = run(new MakeSpeechDataCommand(), out.toString(), "--per-keyword", "3", "--per-other-word", "1",
                "--threads", "2", "--seed", "3");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("(0 new, 50 kept from an earlier run)");
        Run other = run(new MakeSpeechDataCommand(), out.toString(), "--per-keyword", "3", "--per-other-word", "1",
                "--seed", "4");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).contains("error: make-speech-data: " + out + " holds another set");
        Run checked = run(new SpeechDataCommand(), "--data", out.toString(), "--batch-size", "4", "--batches", "1");
        assertThat(checked.exit()).as(checked.err()).isZero();
        // 10 keywords x 1 clip per split; unknown = ceil(0.1 * 10) = 1 (20 one-clip words, all training).
        assertThat(checked.out()).containsPattern("unknown\\s+1\\s+0\\s+0").containsPattern("total\\s+12\\s+11\\s+11");
    }
}

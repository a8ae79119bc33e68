package dev.mp3.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final long SECOND = 1_000_000_000L;

    /** A clock the test sets by hand. */
    private static final class FakeClock {
        long now;

        long get() {
            return now;
        }
    }

    @Test
    void etaAndThroughputFromTheAverageRate() {
        FakeClock clock = new FakeClock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("pretrain", 100, 32, "img", new PrintStream(bytes), false, clock::get, 10 * SECOND);
        clock.now = 10 * SECOND;
        // 25 steps in 10 s: 2.5 steps/s = 80 img/s; 75 steps left: 30 s.
        assertThat(bar.format(25, 2.34567, clock.now)).isEqualTo(
                "pretrain  25/100 [######..................]  25.0%  loss 2.3457  80.0 img/s  ETA 30s");
        clock.now = 40 * SECOND;
        assertThat(bar.format(100, 0.5, clock.now)).isEqualTo(
                "pretrain  100/100 [########################] 100.0%  loss 0.5000  80.0 img/s  took 40s");
        assertThat(bar.format(0, Double.NaN, 0)).isEqualTo("pretrain  0/100 [........................]   0.0%  ETA ?");
    }

    @Test
    void aNoteStaysAtTheEndOfLaterLines() {
        FakeClock clock = new FakeClock();
        ProgressBar bar = new ProgressBar("train", 100, 64, "img", new PrintStream(new ByteArrayOutputStream()), false,
                clock::get, SECOND);
        clock.now = 10 * SECOND;
        bar.note("val_accuracy 78.33 % (best 79.00 % at update 40)");
        assertThat(bar.format(50, 0.75, clock.now)).isEqualTo("train  50/100 [############............]  50.0%"
                + "  loss 0.7500  320 img/s  ETA 10s  val_accuracy 78.33 % (best 79.00 % at update 40)");
        bar.note(null);
        assertThat(bar.format(50, 0.75, clock.now)).endsWith("ETA 10s");
    }

    @Test
    void resumedRunCountsOnlyItsOwnSteps() {
        FakeClock clock = new FakeClock();
        ProgressBar bar = new ProgressBar("finetune", 1000, 256, "img", new PrintStream(new ByteArrayOutputStream()),
                false, clock::get, SECOND);
        clock.now = 5 * SECOND;
        bar.start(400); // resumed from a checkpoint at step 400
        clock.now = 65 * SECOND;
        // 100 steps in 60 s: 1.667 steps/s = 427 img/s; 500 steps left: 300 s = 5m00s.
        assertThat(bar.format(500, Double.NaN, clock.now)).endsWith("  427 img/s  ETA 5m00s");
    }

    @Test
    void durations() {
        assertThat(ProgressBar.formatDuration(0.4)).isEqualTo("0s");
        assertThat(ProgressBar.formatDuration(59.4)).isEqualTo("59s");
        assertThat(ProgressBar.formatDuration(185)).isEqualTo("3m05s");
        assertThat(ProgressBar.formatDuration(3725)).isEqualTo("1h02m05s");
        assertThat(ProgressBar.formatDuration(90000)).isEqualTo("25h00m00s");
        assertThat(ProgressBar.formatRate(0.5)).isEqualTo("0.50");
        assertThat(ProgressBar.formatRate(12.34)).isEqualTo("12.3");
        assertThat(ProgressBar.formatRate(850.4)).isEqualTo("850");
    }

    @Test
    void logModePrintsALineOnlyEveryInterval() {
        FakeClock clock = new FakeClock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("x", 100, 1, "it", new PrintStream(bytes, true, StandardCharsets.UTF_8),
                false, clock::get, 10 * SECOND);
        for (int step = 1; step <= 100; step++) {
            clock.now = step * SECOND;
            bar.update(step, 1.0);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        // First update (t = 1 s), then t = 11, 21, ..., 91 s, then the final step 100: 1 + 9 + 1.
        assertThat(lines).hasSize(11);
        assertThat(lines[1]).startsWith("x  11/100");
        assertThat(lines[10]).startsWith("x  100/100").contains("took 1m40s");
        bar.finish(100, 1.0); // the final line is already out: not repeated
        assertThat(bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator())).hasSize(11);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    }

    @Test
    void terminalModeRedrawsInPlace() {
        FakeClock clock = new FakeClock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("x", 10, 1, "it", new PrintStream(bytes, true, StandardCharsets.UTF_8),
                true, clock::get, 10 * SECOND);
        clock.now = SECOND;
        bar.update(1, 123.456);
        clock.now = 2 * SECOND;
        bar.update(2, 1.0); // shorter line: padded to wipe the old tail
        clock.now = 2 * SECOND + 1000;
        bar.update(3, 1.0); // within 100 ms of the last draw: skipped
        clock.now = 3 * SECOND;
        bar.finish(10, 1.0);
        String out = bytes.toString(StandardCharsets.UTF_8);
        String[] draws = out.split("\r", -1);
        assertThat(draws).hasSize(4); // "", draw 1, draw 2, final
        assertThat(draws[1]).doesNotContain("\n");
        assertThat(draws[2]).hasSameSizeAs(draws[1]).contains("loss 1.0000 ");
        assertThat(draws[3]).startsWith("x  10/10").endsWith(System.lineSeparator());
    }

    /** A bar started while another console bar runs (a validation inside training) prints nothing. */
    @Test
    void aConsoleBarInsideAnotherStaysSilentAndTheLauncherDecidesTheMode() {
        PrintStream saved = System.err;
        String savedMode = System.getProperty("mp3.progress");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setProperty("mp3.progress", "lines");
        try {
            assertThat(ProgressBar.isTerminal()).isFalse();
            ProgressBar outer = ProgressBar.console("train", 10, 1, "img");
            outer.update(1, 2.0);
            ProgressBar inner = ProgressBar.console("test", 3, 1, "img");
            inner.update(3, Double.NaN);
            inner.finish(3, Double.NaN);
            outer.finish(10, 1.0);
            ProgressBar after = ProgressBar.console("eval", 2, 1, "img");
            after.finish(2, Double.NaN);
            String text = err.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("train  1/10").contains("train  10/10").contains("eval  2/2")
                    .doesNotContain("test").doesNotContain("\r");
            System.setProperty("mp3.progress", "terminal");
            assertThat(ProgressBar.isTerminal()).isTrue();
        } finally {
            System.setErr(saved);
            if (savedMode == null) {
                System.clearProperty("mp3.progress");
            } else {
                System.setProperty("mp3.progress", savedMode);
            }
        }
    }
}

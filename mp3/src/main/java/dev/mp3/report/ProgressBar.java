package dev.mp3.report;

import java.io.Console;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A terminal progress line for long loops:
 * {@code pretrain  1200/5000 [#####...........]  24.0%  loss 2.3456  850 img/s  ETA 3m05s}.
 *
 * <p>On a terminal the line is redrawn in place with a carriage return (at most 10 times a second).
 * When output goes to a file or a CI log there is no terminal to redraw in, so a full line is
 * printed at most every {@code lineInterval} instead, plus the final line.
 *
 * <p>Throughput and ETA come from the average rate since {@link #start}: steps done this run over
 * elapsed time. A run resumed at step s starts counting at s, so the ETA is not fooled by steps
 * done before the restart. The clock is injected so tests can drive it.
 */
public final class ProgressBar {

    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final long total;
    private final long itemsPerStep;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long lineIntervalNanos;

    private long startStep;
    private long startNanos;
    private long lastPrintNanos;
    private boolean printedOnce;
    private boolean ended;
    private int lastLength;
    private String note = "";

    /**
     * @param itemsPerStep examples per step (the batch size), so throughput reads in {@code unit}/s
     * @param terminal     redraw in place (true) or print separate lines (false)
     */
    public ProgressBar(String label, long total, long itemsPerStep, String unit, PrintStream out, boolean terminal,
                       LongSupplier nanoClock, long lineIntervalNanos) {
        if (total <= 0 || itemsPerStep <= 0) {
            throw new IllegalArgumentException("ProgressBar '" + label + "': total " + total + " and items per step "
                    + itemsPerStep + " must be positive");
        }
        this.label = label;
        this.total = total;
        this.itemsPerStep = itemsPerStep;
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.lineIntervalNanos = lineIntervalNanos;
        start(0);
    }

    /** The console bar being drawn, if any; a bar started while another runs (a validation inside training) stays silent. */
    private static volatile ProgressBar onConsole;
    /** Set in a data-parallel rank other than 0, whose bars would repeat rank 0's. */
    private static volatile boolean silenced;

    /** Makes every console bar of this process print nothing. */
    public static void silence() {
        silenced = true;
    }
    private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

    /**
     * A bar on standard error, redrawn in place when that is an interactive terminal, lines every
     * 10 s otherwise. While another console bar is running (evaluation inside a training loop, say)
     * the new one prints nothing, so the outer bar keeps its line.
     */
    public static ProgressBar console(String label, long total, long itemsPerStep, String unit) {
        ProgressBar outer = onConsole;
        boolean busy = (outer != null && !outer.ended) || silenced;
        ProgressBar bar = new ProgressBar(label, total, itemsPerStep, unit, busy ? SILENT : System.err, isTerminal(),
                System::nanoTime, 10_000_000_000L);
        if (!busy) {
            onConsole = bar;
        }
        return bar;
    }

    /**
     * Whether standard error, where the bars go, is an interactive terminal. The launcher knows
     * ({@code [ -t 2 ]}) and says so in {@code -Dmp3.progress=terminal|lines}; without it, the
     * JVM's console decides (since JDK 22 {@code System.console()} can be non-null with redirected
     * streams, so {@link Console#isTerminal()} does).
     */
    public static boolean isTerminal() {
        String mode = System.getProperty("mp3.progress");
        if (mode != null) {
            return mode.equals("terminal");
        }
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** Starts (or restarts, after a resume) the clock with {@code step} steps already done. */
    public void start(long step) {
        startStep = step;
        startNanos = nanoClock.getAsLong();
        lastPrintNanos = startNanos;
        printedOnce = false;
        ended = false;
    }

    /** Reports that {@code step} of {@code total} steps are done; {@code loss} may be NaN when there is none. */
    public void update(long step, double loss) {
        if (ended) {
            return;
        }
        long now = nanoClock.getAsLong();
        long interval = terminal ? REDRAW_NANOS : lineIntervalNanos;
        if (printedOnce && now - lastPrintNanos < interval && step < total) {
            return;
        }
        print(format(step, loss, now), step >= total);
        lastPrintNanos = now;
        printedOnce = true;
    }

    /**
     * A short status kept at the end of every later line, e.g. the latest validation and the best
     * so far; empty or null for none.
     */
    public void note(String text) {
        note = text == null ? "" : text;
    }

    /** Prints the final state and ends the line (unless the last update already did). */
    public void finish(long step, double loss) {
        if (!ended) {
            print(format(step, loss, nanoClock.getAsLong()), true);
        }
    }

    private void print(String line, boolean last) {
        ended = last;
        if (terminal) {
            // Pad with spaces to wipe the tail of a longer previous line.
            String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
            out.print("\r" + padded + (last ? System.lineSeparator() : ""));
            lastLength = last ? 0 : line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The progress line for {@code step} steps done at time {@code nowNanos}. */
    String format(long step, double loss, long nowNanos) {
        long done = Math.max(0, Math.min(step, total));
        double fraction = (double) done / total;
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double seconds = (nowNanos - startNanos) / 1e9;
        long stepsThisRun = done - startStep;
        StringBuilder s = new StringBuilder();
        s.append(label).append("  ").append(done).append('/').append(total)
                .append(" [").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%5.1f%%", 100 * fraction));
        if (!Double.isNaN(loss)) {
            s.append(String.format(Locale.ROOT, "  loss %.4f", loss));
        }
        if (stepsThisRun > 0 && seconds > 0) {
            double stepsPerSecond = stepsThisRun / seconds;
            s.append("  ").append(formatRate(stepsPerSecond * itemsPerStep)).append(' ').append(unit).append("/s");
            s.append("  ").append(done >= total ? "took " + formatDuration(seconds)
                    : "ETA " + formatDuration((total - done) / stepsPerSecond));
        } else {
            s.append("  ETA ?");
        }
        if (!note.isEmpty()) {
            s.append("  ").append(note);
        }
        return s.toString();
    }

    /** 0.5 -> "0.50", 12.3 -> "12.3", 850.2 -> "850". */
    static String formatRate(double rate) {
        return String.format(Locale.ROOT, rate < 10 ? "%.2f" : rate < 100 ? "%.1f" : "%.0f", rate);
    }

    /** Seconds, rounded to a whole second: "45s", "3m05s", "2h07m00s". */
    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }
}

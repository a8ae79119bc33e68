package dev.mp3.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart for training curves (loss, accuracy, learning rate against step or epoch), drawn
 * with Java2D and the built-in {@link BitmapFont}, so it needs no charting library and no system
 * fonts. Axes get "nice" ticks (1, 2 or 5 times a power of ten), or powers of ten on a log y axis.
 * Non-finite points (and non-positive ones on a log axis) are skipped and break the line.
 */
public final class Chart {

    /** One curve: {@code y[i]} plotted at {@code x[i]}. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("Chart series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values");
            }
        }
    }

    /** The plot area and value ranges of a rendered chart, to map data to pixels. */
    record Frame(int left, int top, int right, int bottom, double x0, double x1, double y0, double y1, boolean logY) {
        double px(double x) {
            return left + (x - x0) / (x1 - x0) * (right - left);
        }

        double py(double y) {
            double t = logY ? (Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : (y - y0) / (y1 - y0);
            return bottom - t * (bottom - top);
        }
    }

    // Tableau 10: distinguishable, and readable by most colour-blind viewers.
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC),
    };
    private static final Color INK = new Color(30, 30, 30);
    private static final Color GRID = new Color(225, 225, 225);
    private static final int TEXT = 2;
    private static final int TICKS = 6;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public Chart line(String name, double[] x, double[] y) {
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** Plots y on a base-10 log scale (for losses spanning decades). */
    public Chart logY() {
        logY = true;
        return this;
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    /** Renders at 900x540 and writes the PNG atomically. */
    public void write(Path path) throws IOException {
        Png.write(path, render(900, 540));
    }

    public static Color color(int seriesIndex) {
        return PALETTE[seriesIndex % PALETTE.length];
    }

    public BufferedImage render(int width, int height) {
        Frame f = frame(width, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        List<Double> xTicks = linearTicks(f.x0, f.x1);
        List<Double> yTicks = logY ? logTicks(f.y0, f.y1) : linearTicks(f.y0, f.y1);
        g.setColor(GRID);
        for (double t : xTicks) {
            g.drawLine((int) Math.round(f.px(t)), f.top, (int) Math.round(f.px(t)), f.bottom);
        }
        for (double t : yTicks) {
            g.drawLine(f.left, (int) Math.round(f.py(t)), f.right, (int) Math.round(f.py(t)));
        }

        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int s = 0; s < series.size(); s++) {
            g.setColor(color(s));
            g.draw(path(series.get(s), f));
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setStroke(new BasicStroke(1f));
        g.setColor(INK);
        g.drawRect(f.left, f.top, f.right - f.left, f.bottom - f.top);
        g.dispose();

        int th = BitmapFont.height(TEXT);
        for (double t : xTicks) {
            String label = format(t, xTicks);
            BitmapFont.draw(image, label, (int) Math.round(f.px(t)) - BitmapFont.width(label, TEXT) / 2,
                    f.bottom + 6, TEXT, INK);
        }
        for (double t : yTicks) {
            String label = logY ? formatPower(t) : format(t, yTicks);
            BitmapFont.draw(image, label, f.left - 6 - BitmapFont.width(label, TEXT),
                    (int) Math.round(f.py(t)) - th / 2, TEXT, INK);
        }
        BitmapFont.draw(image, title, (width - BitmapFont.width(title, TEXT)) / 2, 8, TEXT, INK);
        BitmapFont.draw(image, xLabel, (f.left + f.right - BitmapFont.width(xLabel, TEXT)) / 2,
                f.bottom + 12 + th, TEXT, INK);
        BitmapFont.drawVertical(image, yLabel, 8, (f.top + f.bottom - BitmapFont.width(yLabel, TEXT)) / 2, TEXT, INK);
        legend(image, f);
        return image;
    }

    /** Plot area and axis ranges for a {@code width x height} image (package-private for tests). */
    Frame frame(int width, int height) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("Chart '" + title + "': no series to plot");
        }
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (plottable(s.x[i], s.y[i])) {
                    x0 = Math.min(x0, s.x[i]);
                    x1 = Math.max(x1, s.x[i]);
                    y0 = Math.min(y0, s.y[i]);
                    y1 = Math.max(y1, s.y[i]);
                }
            }
        }
        if (x0 > x1) {
            throw new IllegalArgumentException("Chart '" + title + "': no finite" + (logY ? ", positive" : "")
                    + " points to plot");
        }
        double[] xr = widen(x0, x1);
        double[] yr;
        if (logY) {
            yr = new double[] {Math.pow(10, Math.floor(Math.log10(y0))), Math.pow(10, Math.ceil(Math.log10(y1)))};
            if (yr[0] == yr[1]) {
                yr[1] = yr[0] * 10;
            }
        } else {
            yr = widen(y0, y1);
            double step = niceStep(yr[0], yr[1]);
            yr = new double[] {Math.floor(yr[0] / step) * step, Math.ceil(yr[1] / step) * step};
        }
        int th = BitmapFont.height(TEXT);
        int yLabelWidth = 0;
        for (double t : logY ? logTicks(yr[0], yr[1]) : linearTicks(yr[0], yr[1])) {
            String label = logY ? formatPower(t) : format(t, linearTicks(yr[0], yr[1]));
            yLabelWidth = Math.max(yLabelWidth, BitmapFont.width(label, TEXT));
        }
        int left = 8 + th + 10 + yLabelWidth + 6;
        int top = 8 + th + 12;
        int right = width - 20;
        int bottom = height - (6 + th + 6 + th + 10);
        if (right - left < 50 || bottom - top < 50) {
            throw new IllegalArgumentException("Chart '" + title + "': " + width + "x" + height
                    + " is too small to draw a plot area");
        }
        return new Frame(left, top, right, bottom, xr[0], xr[1], yr[0], yr[1], logY);
    }

    private boolean plottable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    private Path2D path(Series s, Frame f) {
        Path2D.Double path = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < s.x.length; i++) {
            if (!plottable(s.x[i], s.y[i])) {
                pen = false;
                continue;
            }
            double px = f.px(s.x[i]);
            double py = f.py(s.y[i]);
            if (pen) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                // A lone point between gaps still shows as a dot.
                path.lineTo(px, py);
                pen = true;
            }
        }
        return path;
    }

    private void legend(BufferedImage image, Frame f) {
        int th = BitmapFont.height(TEXT);
        int rowH = th + 6;
        int textW = 0;
        for (Series s : series) {
            textW = Math.max(textW, BitmapFont.width(s.name, TEXT));
        }
        int boxW = 8 + 24 + 8 + textW + 8;
        int boxH = 6 + series.size() * rowH;
        int x = f.right - boxW - 8;
        int y = f.top + 8;
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(x, y, boxW, boxH);
        g.setColor(GRID.darker());
        g.drawRect(x, y, boxW, boxH);
        for (int s = 0; s < series.size(); s++) {
            int cy = y + 6 + s * rowH + th / 2;
            g.setColor(color(s));
            g.fillRect(x + 8, cy - 1, 24, 3);
        }
        g.dispose();
        for (int s = 0; s < series.size(); s++) {
            BitmapFont.draw(image, series.get(s).name, x + 40, y + 6 + s * rowH, TEXT, INK);
        }
    }

    /** Extends an empty range so that a constant series still gets an axis. */
    private static double[] widen(double lo, double hi) {
        if (lo < hi) {
            return new double[] {lo, hi};
        }
        double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
        return new double[] {lo - pad, hi + pad};
    }

    /** 1, 2 or 5 times a power of ten, giving about {@value #TICKS} intervals over [lo, hi]. */
    static double niceStep(double lo, double hi) {
        double raw = (hi - lo) / TICKS;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / power;
        double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        return nice * power;
    }

    /** Multiples of the nice step inside [lo, hi]. */
    static List<Double> linearTicks(double lo, double hi) {
        double step = niceStep(lo, hi);
        List<Double> ticks = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
            ticks.add(k * step);
        }
        return ticks;
    }

    static List<Double> logTicks(double lo, double hi) {
        List<Double> ticks = new ArrayList<>();
        for (int e = (int) Math.round(Math.log10(lo)); e <= (int) Math.round(Math.log10(hi)); e++) {
            ticks.add(Math.pow(10, e));
        }
        return ticks;
    }

    /** A tick value with just enough decimals to tell neighbouring ticks apart. */
    static String format(double value, List<Double> ticks) {
        double step = ticks.size() > 1 ? ticks.get(1) - ticks.get(0) : Math.abs(value);
        int decimals = step > 0 ? Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)) : 0;
        String s = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
    }

    static String formatPower(double value) {
        int e = (int) Math.round(Math.log10(value));
        return e >= -2 && e <= 3 ? format(value, List.of(value)) : "1e" + e;
    }
}

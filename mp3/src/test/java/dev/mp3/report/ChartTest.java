package dev.mp3.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

    @TempDir
    Path dir;

    @Test
    void niceTicks() {
        assertThat(Chart.niceStep(0, 1)).isEqualTo(0.2);
        assertThat(Chart.linearTicks(0, 1)).hasSize(6).first().isEqualTo(0.0);
        assertThat(Chart.linearTicks(0, 1).get(5)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(Chart.niceStep(0, 3000)).isEqualTo(500.0);
        assertThat(Chart.niceStep(2.1, 2.4)).isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(Chart.logTicks(1e-3, 10)).containsExactly(1e-3, 1e-2, 1e-1, 1.0, 10.0);
        assertThat(Chart.format(0.4, List.of(0.0, 0.2))).isEqualTo("0.4");
        assertThat(Chart.format(2.15, List.of(2.1, 2.15))).isEqualTo("2.15");
        assertThat(Chart.format(1500, List.of(1000.0, 1500.0))).isEqualTo("1500");
        assertThat(Chart.format(-0.0, List.of(0.0, 0.5))).isEqualTo("0.0");
        assertThat(Chart.formatPower(1e-5)).isEqualTo("1e-5");
        assertThat(Chart.formatPower(0.01)).isEqualTo("0.01");
    }

    /** Whether a pixel near (x, y) has exactly the colour of series {@code s}. */
    private static boolean seriesNear(BufferedImage im, double x, double y, int s) {
        int rgb = Chart.color(s).getRGB() & 0xFFFFFF;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                if ((im.getRGB((int) Math.round(x) + dx, (int) Math.round(y) + dy) & 0xFFFFFF) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void linesPassThroughTheirPointsAndBreakAtNaN() throws IOException {
        double[] x = new double[21];
        double[] up = new double[21];
        double[] flat = new double[21];
        for (int i = 0; i <= 20; i++) {
            x[i] = i * 50;
            up[i] = i / 20.0;
            flat[i] = i >= 8 && i <= 12 ? Double.NaN : 0.3;
        }
        Chart chart = new Chart("loss", "step", "value").line("up", x, up).line("flat", x, flat);
        BufferedImage im = chart.render(900, 540);
        Chart.Frame f = chart.frame(900, 540);
        assertThat(f.x0()).isEqualTo(0.0);
        assertThat(f.x1()).isEqualTo(1000.0);
        for (int i = 0; i <= 20; i += 4) {
            assertThat(seriesNear(im, f.px(x[i]), f.py(up[i]), 0)).as("up at %d", i).isTrue();
        }
        assertThat(seriesNear(im, f.px(100), f.py(0.3), 1)).isTrue();
        assertThat(seriesNear(im, f.px(800), f.py(0.3), 1)).isTrue();
        // x = 500 is inside the NaN gap (points 8..12 = x 400..600): no flat-series pixels there.
        assertThat(seriesNear(im, f.px(500), f.py(0.3), 1)).isFalse();
        Path file = dir.resolve("curves.png");
        chart.write(file);
        assertThat(Png.read(file).getWidth()).isEqualTo(900);
    }

    @Test
    void logAxisMapsDecadesEvenly() {
        Chart chart = new Chart("loss", "step", "loss").logY()
                .line("loss", new double[] {0, 1, 2, 3}, new double[] {5, 0.5, 0.05, -1});
        Chart.Frame f = chart.frame(900, 540);
        assertThat(f.y0()).isEqualTo(0.01);
        assertThat(f.y1()).isEqualTo(10.0);
        double decade = f.py(0.1) - f.py(1);
        assertThat(f.py(0.01) - f.py(0.1)).isCloseTo(decade, org.assertj.core.api.Assertions.within(1e-9));
        BufferedImage im = chart.render(900, 540);
        assertThat(seriesNear(im, f.px(1), f.py(0.5), 0)).isTrue();
    }

    @Test
    void nothingToPlotIsAnError() {
        Chart chart = new Chart("empty", "x", "y").line("nan", new double[] {1}, new double[] {Double.NaN});
        assertThatThrownBy(() -> chart.render(900, 540)).hasMessageContaining("no finite points");
        assertThatThrownBy(() -> new Chart("t", "x", "y").line("bad", new double[2], new double[3]))
                .hasMessageContaining("2 x values but 3 y values");
    }

    @Test
    void bitmapFontDrawsAMinusAsOneRow() {
        BufferedImage im = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        BitmapFont.draw(im, "-", 1, 1, 1, java.awt.Color.WHITE);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                boolean lit = (im.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF;
                // '-' is bit 3 of each of the five columns: row 1 + 3, columns 1..5.
                assertThat(lit).as("(%d, %d)", x, y).isEqualTo(y == 4 && x >= 1 && x <= 5);
            }
        }
        assertThat(BitmapFont.width("abc", 2)).isEqualTo((3 * 6 - 1) * 2);
    }
}

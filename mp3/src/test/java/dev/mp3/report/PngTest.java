package dev.mp3.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {

    @TempDir
    Path dir;

    @Test
    void greyImageRoundTripsExactly() throws IOException {
        int h = 5;
        int w = 7;
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / (float) (v.length - 1);
        }
        v[3] = -0.5f; // clamped to 0
        v[4] = 2f; // clamped to 255
        v[5] = Float.NaN; // black
        Path file = dir.resolve("grey.png");
        Png.write(file, Png.image(v, 0, 1, h, w));
        BufferedImage back = Png.read(file);
        assertThat(back.getWidth()).isEqualTo(w);
        assertThat(back.getHeight()).isEqualTo(h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int expected = i == 3 || i == 5 ? 0 : i == 4 ? 255 : Math.round(v[i] * 255f);
                assertThat(back.getRaster().getSample(x, y, 0)).as("pixel %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void rgbPlanesBecomeRedGreenBlue() throws IOException {
        // 1 x 2 image: pixel 0 pure red, pixel 1 (0.2, 0.4, 0.6).
        float[] chw = {1f, 0.2f, 0f, 0.4f, 0f, 0.6f};
        Path file = dir.resolve("rgb.png");
        Png.write(file, Png.image(chw, 0, 3, 1, 2));
        BufferedImage back = Png.read(file);
        assertThat(back.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(back.getRGB(1, 0) & 0xFFFFFF).isEqualTo(51 << 16 | 102 << 8 | 153);
    }

    @Test
    void gridPlacesScaledImagesAndCaptions() {
        // Three 2 x 2 grey images with values 0.0, 0.5, 1.0 everywhere, two per row, scale 3.
        float[] v = new float[12];
        for (int i = 0; i < 4; i++) {
            v[4 + i] = 0.5f;
            v[8 + i] = 1f;
        }
        BufferedImage g = Png.grid(v, 3, 1, 2, 2, 2, 3, List.of("a", "b", "c"));
        int cellW = 6;
        int cellH = 6 + BitmapFont.CELL_HEIGHT + 2;
        assertThat(g.getWidth()).isEqualTo(2 + 2 * (cellW + 2));
        assertThat(g.getHeight()).isEqualTo(2 + 2 * (cellH + 2));
        // Image 1 sits in row 0, column 1: its top-left pixel is at (2 + 8, 2).
        assertThat(g.getRGB(10, 2) & 0xFFFFFF).isEqualTo(0x808080);
        assertThat(g.getRGB(15, 7) & 0xFFFFFF).isEqualTo(0x808080);
        // Image 2 sits in row 1, column 0.
        assertThat(g.getRGB(2, 2 + cellH + 2) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        // The gap between cells is white, image 0 is black.
        assertThat(g.getRGB(8, 2) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(g.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0x000000);
        // Caption "a" under image 0 puts dark pixels in the caption band.
        boolean ink = false;
        for (int y = 2 + 6; y < 2 + cellH; y++) {
            for (int x = 2; x < 2 + cellW; x++) {
                ink |= (g.getRGB(x, y) & 0xFF) < 128;
            }
        }
        assertThat(ink).isTrue();
    }

    @Test
    void badShapesAreNamed() {
        assertThatThrownBy(() -> Png.image(new float[8], 0, 2, 2, 2)).hasMessageContaining("2 channels");
        assertThatThrownBy(() -> Png.grid(new float[7], 2, 1, 2, 2, 2, 1, null)).hasMessageContaining("7 values");
    }
}

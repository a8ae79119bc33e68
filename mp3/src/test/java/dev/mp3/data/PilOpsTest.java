package dev.mp3.data;

import static dev.mp3.data.ResizeTest.gray;
import static dev.mp3.data.ResizeTest.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mp3.data.Resize.Interpolation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link PilOps} on tiny images computed by hand. */
class PilOpsTest {

    private static Image rgb(int h, int w, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return new Image(b, 3, h, w);
    }

    @Test
    void invert() {
        assertThat(values(PilOps.invert(gray(1, 3, 0, 10, 255)))).containsExactly(255, 245, 0);
    }

    @Test
    void posterizeKeepsTheTopBits() {
        assertThat(values(PilOps.posterize(gray(1, 1, 0b10110111), 4))).containsExactly(0b10110000);
        assertThat(values(PilOps.posterize(gray(1, 1, 0b10110111), 1))).containsExactly(0b10000000);
        assertThat(values(PilOps.posterize(gray(1, 1, 0b10110111), 0))).containsExactly(0);
        assertThat(values(PilOps.posterize(gray(1, 1, 0b10110111), 8))).containsExactly(0b10110111);
    }

    @Test
    void solarizeInvertsFromTheThreshold() {
        assertThat(values(PilOps.solarize(gray(1, 4, 0, 25, 26, 200), 26))).containsExactly(0, 25, 229, 55);
        // Threshold 256 (magnitude 0 of SolarizeIncreasing) changes nothing.
        assertThat(values(PilOps.solarize(gray(1, 2, 0, 255), 256))).containsExactly(0, 255);
    }

    @Test
    void solarizeAddRaisesDarkSamplesOnly() {
        assertThat(values(PilOps.solarizeAdd(gray(1, 4, 0, 100, 127, 128), 99, 128))).containsExactly(99, 199, 226, 128);
        assertThat(values(PilOps.solarizeAdd(gray(1, 2, 100, 127), 150, 128))).containsExactly(250, 255);
    }

    @Test
    void autoContrastStretchesEachChannel() {
        // [64, 192] -> [0, 255]: scale 255 / 128, offset -127.5; 96 -> 63.75 -> 63, 128 -> 127.5 -> 127.
        // Second and third channels: constant (left alone) and already full range.
        Image im = rgb(1, 4, 64, 96, 128, 192, 7, 7, 7, 7, 0, 1, 2, 255);
        assertThat(values(PilOps.autoContrast(im))).containsExactly(0, 63, 127, 255, 7, 7, 7, 7, 0, 1, 2, 255);
        // Pillow gives 0 51 127 254 for 50 60 75 100 (255 / 50 is inexact, and int() truncates).
        assertThat(values(PilOps.autoContrast(gray(1, 4, 50, 60, 75, 100)))).containsExactly(0, 51, 127, 254);
    }

    @Test
    void equalizeOnAKnownHistogram() {
        // 512 zeros, 256 x 128, 256 x 255: step = (1024 - 256) / 256 = 3; n starts at step / 2 = 1.
        // 0 -> 1 / 3 = 0; 128 -> (1 + 512) / 3 = 171; 255 -> (1 + 768) / 3 = 256, clipped to 255 (Pillow agrees).
        int[] v = new int[1024];
        Arrays.fill(v, 512, 768, 128);
        Arrays.fill(v, 768, 1024, 255);
        int[] out = values(PilOps.equalize(gray(1, 1024, v)));
        assertThat(out[0]).isZero();
        assertThat(out[600]).isEqualTo(171);
        assertThat(out[900]).isEqualTo(255);
        // Too few pixels (step 0) or a single value: unchanged.
        assertThat(values(PilOps.equalize(gray(1, 3, 5, 9, 200)))).containsExactly(5, 9, 200);
    }

    @Test
    void contrastBlendsWithTheRoundedMean() {
        // Mean 87.5 -> int(88.0) = 88. Factor 0.5: 88 + 0.5 (v - 88), truncated: 44, 94, 144, 69.
        Image im = gray(1, 4, 0, 100, 200, 50);
        assertThat(values(PilOps.contrast(im, 0.5))).containsExactly(44, 94, 144, 69);
        // Factor 2: -88 -> 0, 112, 312 -> 255, 12.
        assertThat(values(PilOps.contrast(im, 2.0))).containsExactly(0, 112, 255, 12);
    }

    @Test
    void brightnessBlendsWithBlack() {
        Image im = gray(1, 4, 0, 100, 200, 51);
        assertThat(values(PilOps.brightness(im, 0.5))).containsExactly(0, 50, 100, 25);
        assertThat(values(PilOps.brightness(im, 1.5))).containsExactly(0, 150, 255, 76);
    }

    @Test
    void colorUsesPillowsGrayscale() {
        // Pure red: L = (255 * 19595 + 32768) >> 16 = 76; factor 0 is the gray image.
        assertThat(values(PilOps.color(rgb(1, 1, 255, 0, 0), 0.0))).containsExactly(76, 76, 76);
        // Factor 0.5: 76 + 0.5 (255 - 76) = 165.5 -> 165; 76 - 38 = 38 for the others.
        assertThat(values(PilOps.color(rgb(1, 1, 255, 0, 0), 0.5))).containsExactly(165, 38, 38);
        // One channel: the image is its own grayscale, so nothing changes.
        assertThat(values(PilOps.color(gray(1, 3, 3, 80, 250), 1.9))).containsExactly(3, 80, 250);
    }

    @Test
    void sharpnessBlendsWithSmoothKeepingBorders() {
        // Only the centre is filtered: (5 * 130 + 9) / 13 = 50.69, + 0.5 truncated = 51. Factor 0 is the
        // smoothed image, factor 2 extrapolates: 51 + 2 (130 - 51) = 209. Borders are kept (0 stays 0, 9 stays 9).
        Image im = gray(3, 3, 0, 0, 0, 0, 130, 0, 0, 0, 9);
        assertThat(values(PilOps.sharpness(im, 0.0))).containsExactly(0, 0, 0, 0, 51, 0, 0, 0, 9);
        assertThat(values(PilOps.sharpness(im, 2.0))).containsExactly(0, 0, 0, 0, 209, 0, 0, 0, 9);
    }

    @Test
    void rotate90OfASquareIsExact() {
        Image im = gray(2, 2, 1, 2, 3, 4);
        // Counter-clockwise: the right column becomes the top row.
        assertThat(values(PilOps.rotate(im, 90, Interpolation.BICUBIC, new byte[] {0}))).containsExactly(2, 4, 1, 3);
        assertThat(values(PilOps.rotate(im, -90, Interpolation.BICUBIC, new byte[] {0}))).containsExactly(3, 1, 4, 2);
        assertThat(values(PilOps.rotate(gray(1, 3, 1, 2, 3), 180, Interpolation.BILINEAR, new byte[] {0})))
                .containsExactly(3, 2, 1);
        assertThat(PilOps.rotate(im, 0, Interpolation.BICUBIC, new byte[] {0})).isSameAs(im);
    }

    @Test
    void translateByWholePixelsShiftsAndFills() {
        byte[] fill = {7, 8, 9};
        Image im = rgb(1, 4, 10, 20, 30, 40, 1, 2, 3, 4, 5, 6, 7, 8);
        // pct 0.25 of width 4 = 1 pixel: source x = x + 1, so content moves left; the last column is fill.
        assertThat(values(PilOps.translateX(im, 0.25, Interpolation.BICUBIC, fill)))
                .containsExactly(20, 30, 40, 7, 2, 3, 4, 8, 6, 7, 8, 9);
        assertThat(values(PilOps.translateX(im, -0.5, Interpolation.BILINEAR, fill)))
                .containsExactly(7, 7, 10, 20, 8, 8, 1, 2, 9, 9, 5, 6);
        Image col = gray(3, 1, 10, 20, 30);
        assertThat(values(PilOps.translateY(col, 1.0 / 3, Interpolation.BICUBIC, new byte[] {99})))
                .containsExactly(20, 30, 99);
    }

    @Test
    void shearOfWholePixelsByHand() {
        // ShearX 2: source x = (x + 0.5) + 2 (y + 0.5), which lands on pixel centres:
        // row 0 reads pixel x + 1, row 1 pixel x + 3; past the edge is fill (0).
        Image im = gray(2, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(values(PilOps.shearX(im, 2.0, Interpolation.BICUBIC, new byte[] {0})))
                .containsExactly(2, 3, 4, 5, 0, 9, 10, 0, 0, 0);
        // ShearX -2: row 0 reads x - 1, row 1 reads x - 3.
        assertThat(values(PilOps.shearX(im, -2.0, Interpolation.BILINEAR, new byte[] {0})))
                .containsExactly(0, 1, 2, 3, 4, 0, 0, 0, 6, 7);
        // ShearY 2 on the transpose: column x reads row y + 2x + 1 (source y = 2 (x + 0.5) + y + 0.5).
        Image col = gray(5, 2, 1, 6, 2, 7, 3, 8, 4, 9, 5, 10);
        assertThat(values(PilOps.shearY(col, 2.0, Interpolation.BICUBIC, new byte[] {0})))
                .containsExactly(2, 9, 3, 10, 4, 0, 5, 0, 0, 0);
    }
}

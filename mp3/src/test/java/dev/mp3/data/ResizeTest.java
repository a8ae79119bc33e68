package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.data.Resize.Interpolation;
import org.junit.jupiter.api.Test;

class ResizeTest {

    static Image gray(int h, int w, int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return new Image(b, 1, h, w);
    }

    static int[] values(Image im) {
        int[] v = new int[im.pixels().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = im.pixels()[i] & 0xFF;
        }
        return v;
    }

    /**
     * A 4 x 5 image of random bytes; the expected outputs below were computed with Pillow 9.4
     * ({@code Image.resize}) on the same array, as an independent reference
     * (script: PIL {@code Image.new('L', (5, 4)).putdata(SRC).resize((w, h), filter)}).
     */
    private static final Image SRC = gray(4, 5,
            165, 77, 202, 24, 37, 48, 187, 29, 109, 19, 44, 222, 214, 35, 123, 46, 217, 30, 63, 114);

    @Test
    void sameSizeIsIdentity() {
        for (Interpolation f : Interpolation.values()) {
            assertThat(values(Resize.resize(SRC, 4, 5, f))).containsExactly(values(SRC));
        }
    }

    @Test
    void bilinearDownscaleByHand() {
        // 1 x 4 -> 1 x 2: scale 2 stretches the triangle to support 2. Output 0 has centre 1.0 and
        // window x = 0..2 with weights 0.75, 0.75, 0.25 (normalised by 1.75):
        // (0 * 0.75 + 100 * 0.75 + 200 * 0.25) / 1.75 = 71.43 -> 71.
        // Output 1 has centre 3.0, window 1..3, weights 0.25, 0.75, 0.75: (25 + 150 + 30) / 1.75 = 117.1 -> 117.
        Image out = Resize.resize(gray(1, 4, 0, 100, 200, 40), 1, 2, Interpolation.BILINEAR);
        assertThat(values(out)).containsExactly(71, 117);
    }

    @Test
    void bilinearUpscaleByHand() {
        // 1 x 2 -> 1 x 4: centres 0.25, 0.75, 1.25, 1.75 in source coordinates; pixel centres at 0.5, 1.5.
        // Left of the first centre only pixel 0 is in reach (weights renormalised): 0, 0.25*100, 0.75*100, 100.
        Image out = Resize.resize(gray(1, 2, 0, 100), 1, 4, Interpolation.BILINEAR);
        assertThat(values(out)).containsExactly(0, 25, 75, 100);
    }

    @Test
    void nearestPicksFloorOfTheScaledCentre() {
        // 1 x 3 -> 1 x 2: x = floor((x + 0.5) * 1.5) = 0, 2.
        assertThat(values(Resize.resize(gray(1, 3, 10, 20, 30), 1, 2, Interpolation.NEAREST))).containsExactly(10, 30);
    }

    @Test
    void matchesPillowNearest() {
        assertThat(values(Resize.resize(SRC, 2, 3, Interpolation.NEAREST))).containsExactly(48, 29, 19, 46, 30, 114);
        assertThat(values(Resize.resize(SRC, 5, 2, Interpolation.NEAREST)))
                .containsExactly(77, 24, 187, 109, 222, 35, 222, 35, 217, 63);
    }

    @Test
    void matchesPillowBilinear() {
        assertThat(values(Resize.resize(SRC, 2, 3, Interpolation.BILINEAR))).containsExactly(118, 118, 50, 118, 121, 84);
        assertThat(values(Resize.resize(SRC, 6, 7, Interpolation.BILINEAR))).containsExactly(
                165, 115, 113, 202, 75, 30, 37, 107, 121, 128, 116, 81, 50, 28, 47, 130, 155, 60, 86, 71, 36,
                45, 143, 207, 183, 86, 72, 106, 45, 145, 192, 122, 70, 79, 119, 46, 144, 164, 30, 54, 85, 114);
        assertThat(values(Resize.resize(SRC, 5, 2, Interpolation.BILINEAR)))
                .containsExactly(131, 71, 111, 67, 129, 89, 142, 102, 113, 79);
    }

    @Test
    void matchesPillowBicubic() {
        assertThat(values(Resize.resize(SRC, 2, 3, Interpolation.BICUBIC))).containsExactly(119, 121, 45, 121, 126, 83);
        assertThat(values(Resize.resize(SRC, 6, 7, Interpolation.BICUBIC))).containsExactly(
                179, 105, 103, 213, 69, 14, 40, 109, 120, 125, 110, 82, 46, 20, 32, 139, 170, 43, 91, 76, 26,
                33, 143, 232, 200, 76, 63, 115, 35, 150, 214, 127, 57, 75, 129, 36, 155, 179, 18, 44, 90, 116);
        assertThat(values(Resize.resize(SRC, 5, 2, Interpolation.BICUBIC)))
                .containsExactly(138, 68, 110, 61, 131, 90, 147, 108, 110, 76);
    }

    @Test
    void bicubicOvershootIsClamped() {
        // Pillow: Image.new('L', (4, 1)) with 0, 255, 0, 255 resized to 7 x 1 bicubic.
        assertThat(values(Resize.resize(gray(1, 4, 0, 255, 0, 255), 1, 7, Interpolation.BICUBIC)))
                .containsExactly(0, 87, 251, 128, 4, 168, 255);
    }

    @Test
    void resizedCropMatchesPillowCropThenResize() {
        // Pillow: im.crop((1, 1, 4, 3)).resize((4, 4), BICUBIC).
        assertThat(values(Resize.resizedCrop(SRC, 1, 1, 2, 3, 4, 4, Interpolation.BICUBIC))).containsExactly(
                193, 69, 39, 121, 201, 113, 69, 95, 216, 199, 126, 44, 224, 243, 156, 18);
    }

    @Test
    void channelsAreResizedIndependently() {
        Image rgb = new Image(new byte[] {0, 100, 5, 5, 7, 7}, 3, 1, 2);
        Image out = Resize.resize(rgb, 1, 4, Interpolation.BILINEAR);
        assertThat(values(out)).containsExactly(0, 25, 75, 100, 5, 5, 5, 5, 7, 7, 7, 7);
    }

    @Test
    void centerCropUsesTorchvisionRounding() {
        // 4 x 5 -> 2 x 2: top = round(1.0) = 1, left = round(1.5) = 2 (half to even).
        assertThat(values(Resize.centerCrop(SRC, 2, 2))).containsExactly(29, 109, 214, 35);
        // 4 x 5 -> 1 x 2: top = round(1.5) = 2, left = 2.
        assertThat(values(Resize.centerCrop(SRC, 1, 2))).containsExactly(214, 35);
        assertThatThrownBy(() -> Resize.centerCrop(SRC, 5, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resizeShorterKeepsAspectWithTruncation() {
        // 4 x 5 with shorter side 3: width int(3 * 5 / 4) = int(3.75) = 3.
        Image a = Resize.resizeShorter(SRC, 3, Interpolation.BILINEAR);
        assertThat(a.height()).isEqualTo(3);
        assertThat(a.width()).isEqualTo(3);
        // 7 x 3 (portrait) with shorter side 2: height int(2 * 7 / 3) = 4.
        Image b = Resize.resizeShorter(Image.blank(1, 7, 3), 2, Interpolation.NEAREST);
        assertThat(b.height()).isEqualTo(4);
        assertThat(b.width()).isEqualTo(2);
    }
}

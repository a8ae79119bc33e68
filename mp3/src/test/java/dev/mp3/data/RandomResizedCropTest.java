package dev.mp3.data;

import static dev.mp3.data.ResizeTest.gray;
import static dev.mp3.data.ResizeTest.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mp3.data.RandomResizedCrop.Crop;
import dev.mp3.data.Resize.Interpolation;
import org.junit.jupiter.api.Test;

class RandomResizedCropTest {

    @Test
    void fallbackClampsAWideImageToTheLargestRatio() {
        // Area fraction 1 of a 10 x 100 image needs a box at most 4/3 wide: w = sqrt(1000 * 4/3) = 36.5,
        // h = 27 > 10, so no attempt fits; fallback h = 10, w = round(10 * 4/3) = 13, centred: left = 87 / 2 = 43.
        RandomResizedCrop rrc = new RandomResizedCrop(8, 1.0, 1.0, 3.0 / 4, 4.0 / 3, Interpolation.BICUBIC);
        assertThat(rrc.draw(5L, 0, 10, 100)).isEqualTo(new Crop(0, 43, 10, 13));
        // Tall image: w = 10, h = round(10 / 0.75) = 13, top = 43.
        assertThat(rrc.draw(5L, 1, 100, 10)).isEqualTo(new Crop(43, 0, 13, 10));
    }

    @Test
    void fallbackIsTheWholeImageWhenItsRatioIsAllowed() {
        // Twice the image area never fits.
        RandomResizedCrop rrc = new RandomResizedCrop(8, 2.0, 2.0, 3.0 / 4, 4.0 / 3, Interpolation.BICUBIC);
        for (int e = 0; e < 20; e++) {
            assertThat(rrc.draw(9L, e, 10, 12)).isEqualTo(new Crop(0, 0, 10, 12));
        }
    }

    @Test
    void drawnCropsLieInsideWithAreaAndRatioInRange() {
        RandomResizedCrop rrc = RandomResizedCrop.deit(16);
        int h = 60;
        int w = 80;
        int distinctTops = 0;
        int fullWidth = 0;
        for (int e = 0; e < 5000; e++) {
            Crop c = rrc.draw(77L, e, h, w);
            assertThat(rrc.draw(77L, e, h, w)).isEqualTo(c);
            assertThat(c.top()).isBetween(0, h - c.height());
            assertThat(c.left()).isBetween(0, w - c.width());
            // Rounding the sides moves area and ratio a little; half a pixel per side bounds it.
            double area = (double) c.height() * c.width() / (h * w);
            assertThat(area).isBetween(0.08 * 0.95, 1.0);
            double ratio = (double) c.width() / c.height();
            assertThat(ratio).isBetween(0.75 * 0.95, 4.0 / 3 * 1.05);
            distinctTops += c.top() > 0 ? 1 : 0;
            fullWidth += c.width() == w ? 1 : 0;
        }
        assertThat(distinctTops).isGreaterThan(3000);
        assertThat(fullWidth).isLessThan(500);
    }

    @Test
    void applyCutsTheBoxAndResizes() {
        Image src = gray(4, 4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        RandomResizedCrop rrc = new RandomResizedCrop(4, 0.08, 1, 0.75, 4.0 / 3, Interpolation.NEAREST);
        // Box rows 1..2, columns 1..2 holds 5 6 / 9 10; nearest 2x doubles every pixel.
        assertThat(values(rrc.apply(src, new Crop(1, 1, 2, 2))))
                .containsExactly(5, 5, 6, 6, 5, 5, 6, 6, 9, 9, 10, 10, 9, 9, 10, 10);
        // A box the size of the output is a plain crop, whatever the filter.
        RandomResizedCrop two = RandomResizedCrop.deit(2);
        assertThat(values(two.apply(src, new Crop(2, 1, 2, 2)))).containsExactly(9, 10, 13, 14);
    }
}

package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.data.RandomErasing.Erase;
import dev.mp3.tensor.Rng;
import org.junit.jupiter.api.Test;

class RandomErasingTest {

    @Test
    void applyOverwritesExactlyTheBoxWithNormals() {
        int c = 2;
        int h = 4;
        int w = 5;
        float[] data = new float[3 + c * h * w];
        java.util.Arrays.fill(data, 7f);
        Erase e = new Erase(1, 2, 2, 3, 99L);
        RandomErasing.apply(data, 3, c, h, w, e);
        for (int i = 0; i < 3; i++) {
            assertThat(data[i]).isEqualTo(7f); // before the offset
        }
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = data[3 + (ch * h + y) * w + x];
                    boolean inside = y >= 1 && y < 3 && x >= 2 && x < 5;
                    if (inside) {
                        assertThat(v).isEqualTo(Rng.normalAt(99L, (ch * 2L + (y - 1)) * 3 + (x - 2)));
                    } else {
                        assertThat(v).isEqualTo(7f);
                    }
                }
            }
        }
    }

    @Test
    void emptyEraseChangesNothingAndBadBoxesAreRejected() {
        float[] data = {1, 2, 3, 4};
        RandomErasing.apply(data, 0, 1, 2, 2, Erase.NONE);
        assertThat(data).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> RandomErasing.apply(data, 0, 1, 2, 2, new Erase(1, 1, 2, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void drawnBoxesAreInsideWithAreaAndAspectInRange() {
        RandomErasing re = RandomErasing.deit();
        int h = 64;
        int w = 48;
        int erased = 0;
        int n = 8000;
        for (int e = 0; e < n; e++) {
            Erase d = re.draw(11L, e, h, w);
            assertThat(re.draw(11L, e, h, w)).isEqualTo(d);
            if (d.isEmpty()) {
                continue;
            }
            erased++;
            assertThat(d.top()).isBetween(0, h - d.height());
            assertThat(d.left()).isBetween(0, w - d.width());
            assertThat(d.height()).isLessThan(h);
            assertThat(d.width()).isLessThan(w);
            // Rounding each side by up to half a pixel moves area and aspect a little.
            double area = (double) d.height() * d.width() / (h * w);
            assertThat(area).isBetween(0.02 * 0.8, 1.0 / 3 * 1.1);
            double aspect = (double) d.height() / d.width();
            assertThat(aspect).isBetween(0.3 * 0.8, 1 / 0.3 * 1.25);
        }
        // Probability 0.25 (the attempts almost always fit at this size): 2000 expected, sd ~39.
        assertThat(erased).isBetween(1800, 2200);
    }

    @Test
    void neverFittingBoxesEraseNothing() {
        // Square boxes of 90..95% of a 4 x 4 image round to 4 x 4, never strictly smaller than the image.
        RandomErasing always = new RandomErasing(1.0, 0.9, 0.95, 1.0, 1.0);
        for (int e = 0; e < 50; e++) {
            assertThat(always.draw(5L, e, 4, 4)).isEqualTo(Erase.NONE);
        }
    }
}

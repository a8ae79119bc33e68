package dev.mp3.data;

import static dev.mp3.data.ResizeTest.values;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HorizontalFlipTest {

    @Test
    void mirrorsEveryRowOfEveryChannel() {
        Image im = new Image(new byte[] {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60}, 2, 2, 3);
        assertThat(values(HorizontalFlip.apply(im, true))).containsExactly(3, 2, 1, 6, 5, 4, 30, 20, 10, 60, 50, 40);
        assertThat(HorizontalFlip.apply(im, false)).isSameAs(im);
    }

    @Test
    void flipsAboutHalfTheExamplesDeterministically() {
        int flips = 0;
        for (int e = 0; e < 10_000; e++) {
            boolean f = HorizontalFlip.DEFAULT.draw(3L, e);
            assertThat(HorizontalFlip.DEFAULT.draw(3L, e)).isEqualTo(f);
            flips += f ? 1 : 0;
        }
        assertThat(flips).isBetween(4700, 5300);
        assertThat(new HorizontalFlip(0).draw(3L, 1)).isFalse();
        assertThat(new HorizontalFlip(1).draw(3L, 1)).isTrue();
    }
}

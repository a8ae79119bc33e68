package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AugmentTest {

    /** 3 x 3 image 1..9 row by row. */
    private static final byte[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static byte[] apply(Augment a, byte[] src, int channels, int dy, int dx, boolean flip) {
        byte[] out = new byte[src.length];
        a.apply(src, 0, channels, 3, 3, new Augment.Draw(dy, dx, flip), out, 0);
        return out;
    }

    @Test
    void cropWithZeroPaddingByHand() {
        Augment pad1 = new Augment(1, true);
        // Padded 5x5 image has the 3x3 in its centre; offset (1, 1) is the original.
        assertThat(apply(pad1, NINE, 1, 1, 1, false)).containsExactly(NINE);
        // Offset (0, 0): window starts one row and column into the padding, so the image moves down-right.
        assertThat(apply(pad1, NINE, 1, 0, 0, false)).containsExactly(0, 0, 0, 0, 1, 2, 0, 4, 5);
        // Offset (2, 2): the image moves up-left.
        assertThat(apply(pad1, NINE, 1, 2, 2, false)).containsExactly(5, 6, 0, 8, 9, 0, 0, 0, 0);
        // Offset (0, 2): down and left.
        assertThat(apply(pad1, NINE, 1, 0, 2, false)).containsExactly(0, 0, 0, 2, 3, 0, 5, 6, 0);
    }

    @Test
    void flipMirrorsTheCrop() {
        Augment pad1 = new Augment(1, true);
        assertThat(apply(pad1, NINE, 1, 1, 1, true)).containsExactly(3, 2, 1, 6, 5, 4, 9, 8, 7);
        // Crop (0, 0) gives 0 0 0 / 0 1 2 / 0 4 5; mirrored: 0 0 0 / 2 1 0 / 5 4 0.
        assertThat(apply(pad1, NINE, 1, 0, 0, true)).containsExactly(0, 0, 0, 2, 1, 0, 5, 4, 0);
    }

    @Test
    void everyChannelMovesTogether() {
        byte[] two = new byte[18];
        for (int i = 0; i < 9; i++) {
            two[i] = NINE[i];
            two[9 + i] = (byte) (10 * NINE[i]);
        }
        byte[] out = apply(new Augment(1, true), two, 2, 2, 0, true);
        // Crop (2, 0): rows 1..2 of the image, shifted right: 0 4 5 / 0 7 8 / 0 0 0; mirrored: 5 4 0 / 8 7 0 / 0 0 0.
        assertThat(out).containsExactly(5, 4, 0, 8, 7, 0, 0, 0, 0, 50, 40, 0, 80, 70, 0, 0, 0, 0);
    }

    @Test
    void drawsAreDeterministicAndCoverTheRange() {
        Augment a = new Augment(2, true);
        int[] dyHits = new int[5];
        int[] dxHits = new int[5];
        int flips = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            Augment.Draw d = a.draw(1234L, i);
            assertThat(a.draw(1234L, i)).isEqualTo(d);
            dyHits[d.dy()]++;
            dxHits[d.dx()]++;
            flips += d.flip() ? 1 : 0;
        }
        for (int k = 0; k < 5; k++) {
            // Each of the 5 offsets expects 2,000 hits; 5 sigma is about 200.
            assertThat(dyHits[k]).isBetween(1800, 2200);
            assertThat(dxHits[k]).isBetween(1800, 2200);
        }
        assertThat(flips).isBetween(4750, 5250);
        assertThat(new Augment(2, false).draw(1234L, 7).flip()).isFalse();
        assertThat(Augment.NONE.draw(99L, 3)).isEqualTo(new Augment.Draw(0, 0, false));
    }

    @Test
    void defaultPaddingFollowsImageSize() {
        assertThat(Augment.cropAndFlip(28)).isEqualTo(new Augment(2, true));
        assertThat(Augment.cropAndFlip(32)).isEqualTo(new Augment(4, true));
    }
}

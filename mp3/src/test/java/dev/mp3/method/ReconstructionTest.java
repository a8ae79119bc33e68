package dev.mp3.method;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Figure 2's drawing pieces by hand: the shuffled input, the context outline, grey to RGB. */
class ReconstructionTest {

    /** A 4 x 4 grey image of four 2 x 2 patches filled with 0.1, 0.2, 0.3, 0.4 (row by row). */
    private static float[] fourPatches() {
        float[] img = new float[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img[y * 4 + x] = 0.1f * (1 + (y / 2) * 2 + x / 2);
            }
        }
        return img;
    }

    @Test
    void theShuffledInputShowsPatchOrderSAtSlotS() {
        float[] out = new float[16];
        Reconstruction.shuffled(fourPatches(), new int[] {3, 0, 2, 1}, 1, 4, 4, 2, out);
        // Slot 0 (top left) shows patch 3 (0.4), slot 1 patch 0 (0.1), slot 2 patch 2 (0.3), slot 3 patch 1 (0.2).
        assertThat(out).containsExactly(
                0.4f, 0.4f, 0.1f, 0.1f,
                0.4f, 0.4f, 0.1f, 0.1f,
                0.3f, 0.3f, 0.2f, 0.2f,
                0.3f, 0.3f, 0.2f, 0.2f);
    }

    @Test
    void theOutlineFramesOneSlotInGreenAndGreyBecomesRgb() {
        float[] cells = new float[2 * 3 * 16];
        Reconstruction.rgb(fourPatches(), 1, 16, cells, 1);
        assertThat(cells[3 * 16 + 5]).isEqualTo(0.1f);          // cell 1, red plane, (1, 1)
        assertThat(cells[3 * 16 + 2 * 16 + 15]).isEqualTo(0.4f); // cell 1, blue plane, (3, 3)
        Reconstruction.outline(cells, 1, 3, 4, 4, 2);
        // Slot 3 is the bottom-right 2 x 2 patch; with p = 2 every one of its pixels is on the frame.
        int green = 3 * 16 + 16;
        assertThat(cells[green + 2 * 4 + 2]).isEqualTo(0.85f);
        assertThat(cells[green + 3 * 4 + 3]).isEqualTo(0.85f);
        assertThat(cells[green + 0]).isEqualTo(0.1f);           // slot 0 untouched
        assertThat(cells[0]).isZero();                          // cell 0 untouched
    }
}

package dev.mp3.method;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionMaskTest {

    @Test
    void fivePercentOfNinetyEightFramesIsFive() {
        assertThat(PositionMask.count(98, 0.05f)).isEqualTo(5);   // round(4.9)
        assertThat(PositionMask.count(100, 0.05f)).isEqualTo(5);
        assertThat(PositionMask.count(98, 0f)).isZero();
        assertThat(PositionMask.count(98, 1f)).isEqualTo(98);
        assertThatThrownBy(() -> PositionMask.count(98, 1.5f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position fraction 1.5").hasMessageContaining("[0, 1]");
    }

    /** Each row: exactly k ones, at the first k entries of that row's permutation from the same generator state. */
    @Test
    void eachExampleGetsExactlyKFramesFromItsOwnPermutation() {
        int b = 16;
        int t = 98;
        Tensor mask = PositionMask.sample(new Rng(11, 3), b, t, 0.05f);
        assertThat(mask.shape()).containsExactly(b, t);
        float[] m = mask.toFloatArray();
        int[] perms = new Rng(11, 3).permutationArray(b, t);
        Set<Set<Integer>> distinctRows = new HashSet<>();
        for (int row = 0; row < b; row++) {
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                expected.add(perms[row * t + i]);
            }
            Set<Integer> ones = new HashSet<>();
            for (int j = 0; j < t; j++) {
                float v = m[row * t + j];
                assertThat(v).isIn(0f, 1f);
                if (v == 1f) {
                    ones.add(j);
                }
            }
            assertThat(ones).as("row %d", row).hasSize(5).isEqualTo(expected);
            distinctRows.add(ones);
        }
        assertThat(distinctRows).as("rows draw their own frames").hasSizeGreaterThan(b / 2);
    }

    @Test
    void seededAndAdvancingTheGenerator() {
        Rng a = new Rng(4);
        Rng b = new Rng(4);
        float[] first = PositionMask.sample(a, 8, 98, 0.05f).toFloatArray();
        assertThat(PositionMask.sample(b, 8, 98, 0.05f).toFloatArray()).containsExactly(first);
        assertThat(a.counter()).isEqualTo(1);
        assertThat(PositionMask.sample(a, 8, 98, 0.05f).toFloatArray()).isNotEqualTo(first);
        assertThat(PositionMask.sample(new Rng(5), 8, 98, 0.05f).toFloatArray()).isNotEqualTo(first);
    }

    /** Every frame is equally likely: over 4,000 rows each of 98 frames is chosen about 4000 * 5/98 = 204 times. */
    @Test
    void everyFrameIsEquallyLikely() {
        int rows = 4000;
        float[] m = PositionMask.sample(new Rng(9), rows, 98, 0.05f).toFloatArray();
        double expected = rows * 5.0 / 98;
        double chi2 = 0;
        for (int j = 0; j < 98; j++) {
            int count = 0;
            for (int r = 0; r < rows; r++) {
                count += (int) m[r * 98 + j];
            }
            chi2 += (count - expected) * (count - expected) / expected;
        }
        // 97 degrees of freedom: the 99.9% quantile is about 146.
        assertThat(chi2).isLessThan(146);
    }

    @Test
    void allFramesIsNullAndNoFramesIsZerosWithoutADraw() {
        Rng rng = new Rng(1);
        assertThat(PositionMask.sample(rng, 4, 98, 1f)).isNull();
        Tensor none = PositionMask.sample(rng, 4, 98, 0f);
        assertThat(none.toFloatArray()).containsOnly(0f);
        assertThat(rng.counter()).isZero();
    }
}

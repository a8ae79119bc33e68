package dev.mp3.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shape logic both backends share: axes around an axis, merged iteration axes, matmul sizes. */
class ShapeTest {

    /** Storage offsets of every element, in row-major order of {@code shape}. */
    private static List<Integer> offsets(int[] shape, int[] strides) {
        List<Integer> out = new ArrayList<>();
        int[] index = new int[shape.length];
        for (int e = 0; e < Shape.numel(shape); e++) {
            int off = 0;
            for (int a = 0; a < shape.length; a++) {
                off += index[a] * strides[a];
            }
            out.add(off);
            for (int a = shape.length - 1; a >= 0 && ++index[a] == shape[a]; a--) {
                index[a] = 0;
            }
        }
        return out;
    }

    /** Merging must visit every operand's elements in the same order as the unmerged axes. */
    private static Shape.MergedAxes mergesFaithfully(int[] shape, int[]... strides) {
        Shape.MergedAxes merged = Shape.mergeAxes(shape, strides);
        for (int i = 0; i < strides.length; i++) {
            assertThat(merged.strides()[i]).hasSameSizeAs(merged.dims());
            assertThat(offsets(merged.dims(), merged.strides()[i])).as("operand %d", i)
                    .isEqualTo(offsets(shape, strides[i]));
        }
        return merged;
    }

    @Test
    void mergeAxesJoinsWhatEveryOperandStepsThroughContiguously() {
        Shape.MergedAxes contiguous = mergesFaithfully(new int[] {2, 3, 4}, new int[] {12, 4, 1});
        assertThat(contiguous.dims()).containsExactly(24);
        assertThat(contiguous.strides()[0]).containsExactly(1);

        Shape.MergedAxes rowBroadcast = mergesFaithfully(new int[] {5, 3, 4}, new int[] {12, 4, 1}, new int[] {0, 0, 1});
        assertThat(rowBroadcast.dims()).containsExactly(15, 4);
        assertThat(rowBroadcast.strides()[1]).containsExactly(0, 1);

        Shape.MergedAxes transposed = mergesFaithfully(new int[] {3, 4}, new int[] {1, 3}, new int[] {4, 1});
        assertThat(transposed.dims()).containsExactly(3, 4);

        Shape.MergedAxes ones = mergesFaithfully(new int[] {1, 6, 1, 2}, new int[] {0, 2, 7, 1});
        assertThat(ones.dims()).containsExactly(12);

        Shape.MergedAxes slice = mergesFaithfully(new int[] {3, 2, 5}, new int[] {20, 5, 1});
        assertThat(slice.dims()).containsExactly(3, 10);

        assertThat(mergesFaithfully(new int[] {}, new int[] {}).dims()).isEmpty();
        assertThat(mergesFaithfully(new int[] {1, 1}, new int[] {3, 1}).dims()).isEmpty();
    }

    @Test
    void around() {
        assertThat(Shape.around(new int[] {2, 3, 4, 5}, 2)).containsExactly(6, 4, 5);
        assertThat(Shape.around(new int[] {7}, 0)).containsExactly(1, 7, 1);
    }

    @Test
    void matmulSizes() {
        Shape.MatMul plain = Shape.matmul(new int[] {3, 4}, false, new int[] {4, 5}, false);
        assertThat(new int[] {plain.m(), plain.n(), plain.k()}).containsExactly(3, 5, 4);
        assertThat(plain.batch()).isEmpty();
        assertThat(plain.out()).containsExactly(3, 5);

        Shape.MatMul transposed = Shape.matmul(new int[] {2, 1, 4, 3}, true, new int[] {6, 5, 4}, true);
        assertThat(new int[] {transposed.m(), transposed.n(), transposed.k()}).containsExactly(3, 5, 4);
        assertThat(transposed.out()).containsExactly(2, 6, 3, 5);
    }

    @Test
    void matmulRejectsOperandsThatDoNotMultiply() {
        assertThatThrownBy(() -> Shape.matmul(new int[] {4}, false, new int[] {4, 2}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank >= 2");
        assertThatThrownBy(() -> Shape.matmul(new int[] {3, 4}, true, new int[] {4, 2}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 4]^T @ [4, 2] (3 vs 4)");
        assertThatThrownBy(() -> Shape.matmul(new int[] {2, 3, 4}, false, new int[] {5, 4, 2}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch axes");
    }
}

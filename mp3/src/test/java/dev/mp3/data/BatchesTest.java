package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mp3.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static final Normalization NORM = new Normalization(new float[] {0.3f}, new float[] {0.4f});

    /** 23 examples of 1 x 3 x 3 with distinct pixel patterns, 3 classes. */
    private static ImageDataset data() {
        int n = 23;
        byte[] pixels = new byte[n * 9];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 9; p++) {
                pixels[i * 9 + p] = (byte) (i * 11 + p * 3 + 1);
            }
            labels[i] = i % 3;
        }
        return new ImageDataset("toy", pixels, labels, 1, 3, 3, List.of("a", "b", "c"), NORM);
    }

    private static double normalized(int pixel) {
        return (pixel / 255.0 - 0.3) / 0.4;
    }

    @Test
    void trainingEpochIsAShuffledPartitionWithNormalizedImages() {
        ImageDataset d = data();
        Batches b = Batches.training(d, 5, Augment.NONE, 7);
        assertThat(b.stepsPerEpoch()).isEqualTo(4);
        Set<Integer> seen = new HashSet<>();
        int steps = 0;
        for (Batch batch : b.epoch(0)) {
            assertThat(batch.step()).isEqualTo(steps++);
            assertThat(batch.images().shape()).containsExactly(5, 1, 3, 3);
            assertThat(batch.labels().shape()).containsExactly(5);
            assertThat(batch.labels().dtype()).isEqualTo(DType.I32);
            float[] images = batch.images().toFloatArray();
            int[] labels = batch.labels().toIntArray();
            for (int k = 0; k < 5; k++) {
                int i = batch.indices()[k];
                assertThat(seen.add(i)).isTrue();
                assertThat(labels[k]).isEqualTo(i % 3);
                for (int p = 0; p < 9; p++) {
                    assertThat((double) images[k * 9 + p]).isCloseTo(normalized((i * 11 + p * 3 + 1) & 0xFF), within(1e-5));
                }
            }
        }
        assertThat(steps).isEqualTo(4);
        assertThat(seen).hasSize(20); // 23 = 4 x 5 + 3: the last 3 are dropped
        int[] order = b.order(0);
        assertThat(order).isNotEqualTo(identity(23));
        assertThat(Arrays.stream(order).sorted().toArray()).isEqualTo(identity(23));
    }

    @Test
    void shuffleDependsOnSeedAndEpochOnly() {
        ImageDataset d = data();
        Batches a = Batches.training(d, 5, Augment.NONE, 7);
        Batches same = Batches.training(d, 5, Augment.NONE, 7);
        Batches other = Batches.training(d, 5, Augment.NONE, 8);
        assertThat(same.order(0)).isEqualTo(a.order(0));
        assertThat(same.order(3)).isEqualTo(a.order(3));
        assertThat(a.order(1)).isNotEqualTo(a.order(0));
        assertThat(other.order(0)).isNotEqualTo(a.order(0));
    }

    @Test
    void resumeMidEpochEqualsUninterruptedRun() {
        ImageDataset d = data();
        Augment augment = new Augment(1, true);
        List<float[]> uninterrupted = new ArrayList<>();
        List<int[]> uninterruptedLabels = new ArrayList<>();
        Batches first = Batches.training(d, 4, augment, 99);
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Batch batch : first.epoch(epoch)) {
                uninterrupted.add(batch.images().toFloatArray());
                uninterruptedLabels.add(batch.labels().toIntArray());
            }
        }
        // A fresh loader (as after a restart) resumed at epoch 1, step 2.
        Batches resumed = Batches.training(d, 4, augment, 99);
        int steps = first.stepsPerEpoch();
        int k = steps + 2;
        for (Batch batch : resumed.epoch(1, 2)) {
            assertThat(batch.images().toFloatArray()).containsExactly(uninterrupted.get(k));
            assertThat(batch.labels().toIntArray()).containsExactly(uninterruptedLabels.get(k));
            k++;
        }
        assertThat(k).isEqualTo(2 * steps);
    }

    @Test
    void augmentedImagesAreCropsOrMirrorsOfTheirSource() {
        ImageDataset d = data();
        Augment augment = new Augment(1, true);
        Batches b = Batches.training(d, 5, augment, 3);
        int changed = 0;
        for (Batch batch : b.epoch(0)) {
            float[] images = batch.images().toFloatArray();
            for (int k = 0; k < batch.size(); k++) {
                float[] got = Arrays.copyOfRange(images, k * 9, k * 9 + 9);
                List<float[]> candidates = allTransforms(d, batch.indices()[k], augment);
                assertThat(candidates).anySatisfy(c -> assertThat(c).containsExactly(got));
                changed += Arrays.equals(got, candidates.get(4)) ? 0 : 1; // candidate 4: (1, 1), no flip
            }
        }
        assertThat(changed).isGreaterThan(10); // 8 of 9 offsets and half the flips move the image
    }

    /** The 18 possible outputs (3 x 3 offsets, flip or not) of example i, normalised. */
    private static List<float[]> allTransforms(ImageDataset d, int i, Augment augment) {
        List<float[]> out = new ArrayList<>();
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                for (boolean flip : new boolean[] {false, true}) {
                    byte[] dst = new byte[9];
                    augment.apply(d.imageBytes(i), 0, 1, 3, 3, new Augment.Draw(dy, dx, flip), dst, 0);
                    float[] f = new float[9];
                    for (int p = 0; p < 9; p++) {
                        f[p] = NORM.apply(0, dst[p] & 0xFF);
                    }
                    out.add(f);
                }
            }
        }
        // Reorder so that index 4 is (dy 1, dx 1, no flip) -- the identity -- for the caller's count.
        float[] identity = out.get((1 * 3 + 1) * 2);
        out.remove(identity);
        out.add(4, identity);
        return out;
    }

    @Test
    void evaluationKeepsOrderAndTheLastPartialBatch() {
        ImageDataset d = data();
        Batches b = Batches.evaluation(d, 5);
        assertThat(b.stepsPerEpoch()).isEqualTo(5);
        List<Integer> all = new ArrayList<>();
        for (Batch batch : b.epoch(0)) {
            for (int i : batch.indices()) {
                all.add(i);
            }
        }
        assertThat(all).containsExactlyElementsOf(Arrays.stream(identity(23)).boxed().toList());
        Batch last = b.batch(3, 4);
        assertThat(last.size()).isEqualTo(3);
        assertThat(last.images().shape()).containsExactly(3, 1, 3, 3);
    }

    @Test
    void badArgumentsAreNamed() {
        ImageDataset d = data();
        assertThatThrownBy(() -> Batches.training(d, 0, Augment.NONE, 1)).hasMessageContaining("batch size 0");
        assertThatThrownBy(() -> Batches.training(d, 24, Augment.NONE, 1))
                .hasMessageContaining("23 examples make no full batch of 24");
        Batches b = Batches.training(d, 5, Augment.NONE, 1);
        assertThatThrownBy(() -> b.batch(0, 4)).hasMessageContaining("step in 0..3");
        assertThatThrownBy(() -> b.epoch(0, 5)).hasMessageContaining("step in 0..4");
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}

package dev.mp3.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Batches with DeiT's whole augmentation: the same seed gives the same batches whichever thread
 * builds them and in whatever order; repeated augmentation takes each image three times in a row,
 * augmented anew each time; Mixup/CutMix pair image k with image B-1-k; pad-and-crop alone keeps
 * the bytes of the earlier pipeline.
 */
class DeitBatchesTest {

    /** 40 RGB images of 12 x 12 with distinct patterns, 4 classes. */
    private static ImageDataset data() {
        int n = 40;
        int size = 3 * 12 * 12;
        byte[] pixels = new byte[n * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < size; p++) {
                pixels[i * size + p] = (byte) ((i * 37 + p * 11 + (p / 12) * 5) % 256);
            }
            labels[i] = i % 4;
        }
        return new ImageDataset("toy", pixels, labels, 3, 12, 12, List.of("a", "b", "c", "d"),
                Normalization.CIFAR100);
    }

    private static float[] images(Batch b) {
        return b.images().toFloatArray();
    }

    @Test
    void theSameSeedGivesTheSameBatchesOnOneOrTwoThreadsInAnyOrder() throws Exception {
        Batches one = Batches.training(data(), 8, Augmentation.deit(), 11);
        Map<Integer, float[]> sequential = new HashMap<>();
        for (int s = 0; s < 10; s++) {
            sequential.put(s, images(one.batch(s / 5, s % 5)));
        }
        Batches other = Batches.training(data(), 8, Augmentation.deit(), 11);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<float[]>> built = new ArrayList<>();
            for (int s = 9; s >= 0; s--) {   // the other way round, two at a time
                int step = s;
                built.add(pool.submit(() -> images(other.batch(step / 5, step % 5))));
            }
            for (int k = 0; k < 10; k++) {
                assertThat(built.get(k).get()).containsExactly(sequential.get(9 - k));
            }
        } finally {
            pool.shutdownNow();
        }
        float[] reseeded = images(Batches.training(data(), 8, Augmentation.deit(), 12).batch(0, 0));
        assertThat(reseeded).isNotEqualTo(sequential.get(0));
    }

    @Test
    void repeatedAugmentationTakesEachImageThreeTimesInARowEachAugmentedAnew() {
        Augmentation noMix = Augmentation.deit().withMixing(0f, 0f).withReprob(0f);
        Batches b = Batches.training(data(), 6, noMix, 5);
        Batch first = b.batch(0, 0);
        int[] idx = first.indices();
        assertThat(idx[0]).isEqualTo(idx[1]).isEqualTo(idx[2]);
        assertThat(idx[3]).isEqualTo(idx[4]).isEqualTo(idx[5]);
        assertThat(idx[0]).isNotEqualTo(idx[3]);
        float[] x = images(first);
        int size = 3 * 12 * 12;
        boolean allSame = true;
        for (int k = 1; k < 3; k++) {
            for (int j = 0; j < size && allSame; j++) {
                allSame = x[j] == x[k * size + j];
            }
        }
        assertThat(allSame).as("three copies of one image, each augmented anew").isFalse();
        // An epoch holds as many images as the dataset (40 -> 6 full batches of 6), a third of them distinct.
        assertThat(b.stepsPerEpoch()).isEqualTo(6);
    }

    @Test
    void mixingPairsEachImageWithItsMirrorInTheBatch() {
        Batches b = Batches.training(data(), 8, Augmentation.deit().withRepeats(1), 3);
        for (int s = 0; s < 4; s++) {
            Batch batch = b.batch(0, s);
            assertThat(batch.mix()).isNotNull();
            int[] labels = batch.labels().toIntArray();
            int[] partners = batch.mix().partnerLabels().toIntArray();
            for (int k = 0; k < 8; k++) {
                assertThat(partners[k]).isEqualTo(labels[7 - k]);
            }
            assertThat(batch.mix().lam()).isBetween(0f, 1f);
        }
        assertThatThrownBy(() -> Batches.training(data(), 7, Augmentation.deit(), 3).batch(0, 0))
                .hasMessageContaining("even batch size");
    }

    @Test
    void padAndCropAloneGivesTheSameBytesAsTheEarlierAugment() {
        ImageDataset d = data();
        float[] viaRecipe = images(Batches.training(d, 8, Augmentation.padCropFlip(), 9).batch(1, 2));
        float[] viaAugment = images(Batches.training(d, 8, new Augment(Augment.padFor(12), true), 9).batch(1, 2));
        assertThat(viaRecipe).containsExactly(viaAugment);
    }
}

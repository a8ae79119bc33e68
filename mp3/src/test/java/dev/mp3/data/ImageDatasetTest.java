package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {

    /**
     * {@code counts[c]} examples of class c, interleaved; each 1 x 2 x 2 image stores its own index
     * (low byte, high byte) so a subset can be traced back to its source examples.
     */
    static ImageDataset traceable(int... counts) {
        List<Integer> labels = new ArrayList<>();
        int[] left = counts.clone();
        boolean any = true;
        while (any) {
            any = false;
            for (int c = 0; c < counts.length; c++) {
                if (left[c] > 0) {
                    labels.add(c);
                    left[c]--;
                    any = true;
                }
            }
        }
        int n = labels.size();
        byte[] pixels = new byte[n * 4];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[4 * i] = (byte) i;
            pixels[4 * i + 1] = (byte) (i >> 8);
            pixels[4 * i + 2] = (byte) labels.get(i).intValue();
            pixels[4 * i + 3] = (byte) 200;
            l[i] = labels.get(i);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            names.add("c" + c);
        }
        return new ImageDataset("traceable", pixels, l, 1, 2, 2, names, Normalization.unitRange(1));
    }

    static int sourceIndex(ImageDataset d, int i) {
        return d.pixel(i, 0, 0, 0) | d.pixel(i, 0, 0, 1) << 8;
    }

    @Test
    void labelFractionIsStratifiedAndEqualPerClassOnBalancedData() {
        ImageDataset full = traceable(60, 60, 60, 60, 60, 60, 60, 60, 60, 60);
        ImageDataset tenth = full.labelFraction(0.1, 42);
        assertThat(tenth.size()).isEqualTo(60);
        assertThat(tenth.classCounts()).containsOnly(6);
        Set<Integer> sources = new HashSet<>();
        int previous = -1;
        for (int i = 0; i < tenth.size(); i++) {
            int src = sourceIndex(tenth, i);
            assertThat(src).isGreaterThan(previous); // original order kept
            previous = src;
            assertThat(tenth.label(i)).isEqualTo(full.label(src)); // labels travel with their images
            sources.add(src);
        }
        assertThat(sources).hasSize(60);
        // Same seed, same subset; another seed, another subset.
        assertThat(sourcesOf(full.labelFraction(0.1, 42))).isEqualTo(sourcesOf(tenth));
        assertThat(sourcesOf(full.labelFraction(0.1, 43))).isNotEqualTo(sourcesOf(tenth));
    }

    private static List<Integer> sourcesOf(ImageDataset d) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            out.add(sourceIndex(d, i));
        }
        return out;
    }

    @Test
    void stratifiedCountsByLargestRemainder() {
        // 25% of (50, 30, 20): exact 12.5, 7.5, 5 -> floors 12, 7, 5 = 24; target round(25) = 25;
        // the tie between the two 0.5 remainders goes to the lower class index.
        assertThat(ImageDataset.stratifiedCounts(new int[] {50, 30, 20}, 0.25)).containsExactly(13, 7, 5);
        // 10% of 6,000 per class: 600 each.
        int[] fashion = new int[10];
        java.util.Arrays.fill(fashion, 6000);
        assertThat(ImageDataset.stratifiedCounts(fashion, 0.1)).containsOnly(600);
        // 1/3 of (10, 10, 10, 1): exact 3.33, 3.33, 3.33, 0.33 -> 3, 3, 3, 0 = 9 < round(10.33) = 10;
        // the largest remainders are the three 0.333s, so class 0 gets the extra one.
        assertThat(ImageDataset.stratifiedCounts(new int[] {10, 10, 10, 1}, 1.0 / 3)).containsExactly(4, 3, 3, 0);
    }

    @Test
    void fractionTooSmallToKeepEveryClassIsAnError() {
        ImageDataset d = traceable(50, 3);
        assertThatThrownBy(() -> d.labelFraction(0.1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class 1 (c1, 3 examples)");
        assertThatThrownBy(() -> d.labelFraction(0, 1)).hasMessageContaining("must be in (0, 1]");
        assertThatThrownBy(() -> d.labelFraction(1.5, 1)).hasMessageContaining("must be in (0, 1]");
    }

    @Test
    void firstPerClassKeepsFileOrder() {
        ImageDataset d = traceable(3, 5, 4);
        ImageDataset first = d.firstPerClass(2);
        // Interleaved labels 0,1,2,0,1,2,... so the first two of each class are examples 0..5.
        assertThat(sourcesOf(first)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThatThrownBy(() -> d.firstPerClass(4)).hasMessageContaining("class 0 (c0) has only 3");
    }

    @Test
    void subsetCopiesPixelsAndLabels() {
        ImageDataset d = traceable(4, 4);
        ImageDataset s = d.subset(new int[] {7, 0, 7});
        assertThat(sourcesOf(s)).containsExactly(7, 0, 7);
        assertThat(s.labels()).containsExactly(d.label(7), d.label(0), d.label(7));
        assertThatThrownBy(() -> d.subset(new int[] {8})).hasMessageContaining("example 8 outside 0..7");
    }

    @Test
    void constructorValidatesShapesAndLabels() {
        List<String> two = List.of("a", "b");
        assertThatThrownBy(() -> new ImageDataset("x", new byte[7], new int[] {0, 1}, 1, 2, 2, two,
                Normalization.unitRange(1))).hasMessageContaining("7 pixel bytes do not make 2 images of 1x2x2");
        assertThatThrownBy(() -> new ImageDataset("x", new byte[8], new int[] {0, 2}, 1, 2, 2, two,
                Normalization.unitRange(1))).hasMessageContaining("example 1 has label 2; expected 0..1");
        assertThatThrownBy(() -> new ImageDataset("x", new byte[8], new int[] {0, 1}, 1, 2, 2, two,
                Normalization.CIFAR10)).hasMessageContaining("normalisation has 3 channels, images have 1");
    }

    @Test
    void normalizationFormulaAndInverse() {
        Normalization n = new Normalization(new float[] {0.5f, 0.25f}, new float[] {0.2f, 0.5f});
        // byte 204 of channel 0: (204/255 - 0.5)/0.2 = (0.8 - 0.5)/0.2 = 1.5
        assertThat(n.apply(0, 204)).isCloseTo(1.5f, within(1e-5f));
        // byte 0 of channel 1: (0 - 0.25)/0.5 = -0.5
        assertThat(n.apply(1, 0)).isCloseTo(-0.5f, within(1e-6f));
        float[] back = n.toUnit(new float[] {1.5f, 1.5f, -0.5f, -0.5f}, 2);
        assertThat(back[0]).isCloseTo(0.8f, within(1e-6f));
        assertThat(back[2]).isCloseTo(0f, within(1e-6f));
        assertThatThrownBy(() -> new Normalization(new float[] {0f}, new float[] {0f}))
                .hasMessageContaining("std > 0");
    }

    @Test
    void measureMatchesAHandComputedMeanAndStd() {
        // Two 1x1x2 images with bytes (0, 255) and (255, 255): mean 0.75, population std sqrt(0.1875).
        ImageDataset d = new ImageDataset("m", new byte[] {0, (byte) 255, (byte) 255, (byte) 255}, new int[] {0, 0},
                1, 1, 2, List.of("a"), Normalization.unitRange(1));
        Normalization n = Normalization.measure(d);
        assertThat(n.mean(0)).isCloseTo(0.75f, within(1e-6f));
        assertThat(n.std(0)).isCloseTo((float) Math.sqrt(0.1875), within(1e-6f));
    }

    @Test
    void aHoldOutIsStratifiedAndDisjointFromTheRest() {
        int n = 40;
        byte[] px = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) i;            // 1x1 images whose pixel names the example
            labels[i] = i % 4;
        }
        ImageDataset d = new ImageDataset("d", px, labels, 1, 1, 1, java.util.List.of("a", "b", "c", "d"),
                Normalization.unitRange(1));
        ImageDataset[] split = d.holdOut(0.25, 3);
        assertThat(split[0].size()).isEqualTo(10);
        assertThat(split[1].size()).isEqualTo(30);
        assertThat(split[0].classCounts()).containsExactly(3, 3, 2, 2);   // 2.5 per class: largest remainders to the first
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (ImageDataset part : split) {
            for (int i = 0; i < part.size(); i++) {
                assertThat(seen.add(part.pixel(i, 0, 0, 0))).as("example in both parts").isTrue();
            }
        }
        assertThat(seen).hasSize(40);
        assertThat(d.holdOut(0.25, 3)[0].labels()).containsExactly(split[0].labels());
    }
}

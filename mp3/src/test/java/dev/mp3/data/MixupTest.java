package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mp3.data.Mixup.Mix;
import org.junit.jupiter.api.Test;

class MixupTest {

    @Test
    void targetsMixSmoothedOneHotsByHand() {
        // smoothing 0.3 over 3 classes: off = 0.1, on = 0.8; lam 0.75.
        // Row 0 (label 0, partner label 2): 0.75 [.8 .1 .1] + 0.25 [.1 .1 .8] = [.625 .1 .275].
        float[] t = Mixup.targets(new int[] {0, 2}, 3, Mix.mixup(0.75), 0.3f);
        assertThat(t).containsExactly(new float[] {0.625f, 0.1f, 0.275f, 0.275f, 0.1f, 0.625f}, within(1e-6f));
    }

    @Test
    void targetRowsSumToOne() {
        int[] labels = {3, 1, 4, 1, 5, 9};
        float[] t = Mixup.targets(labels, 10, Mix.mixup(0.37), 0.1f);
        for (int k = 0; k < labels.length; k++) {
            double sum = 0;
            for (int j = 0; j < 10; j++) {
                sum += t[k * 10 + j];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
        // Unmixed (lam 1): plain smoothing, 0.91 on the label and 0.01 elsewhere.
        float[] plain = Mixup.targets(new int[] {2, 0}, 10, Mix.NONE, 0.1f);
        assertThat(plain[2]).isCloseTo(0.91f, within(1e-6f));
        assertThat(plain[0]).isCloseTo(0.01f, within(1e-6f));
    }

    @Test
    void oddBatchIsRejected() {
        assertThatThrownBy(() -> Mixup.targets(new int[] {1, 2, 3}, 4, Mix.NONE, 0.1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
        assertThatThrownBy(() -> Mixup.apply(new float[3], 3, 1, 1, 1, Mix.mixup(0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
    }

    @Test
    void mixupBlendsWithTheFlippedPartnerFromOriginals() {
        // Batch of 4 two-pixel images; pairs (0, 3) and (1, 2). lam 0.25.
        float[] x = {4, 8, 1, 1, 3, 7, 0, 16};
        Mixup.apply(x, 4, 1, 1, 2, Mix.mixup(0.25));
        // Image 0: 0.25 [4 8] + 0.75 [0 16] = [1 14]; image 3: 0.25 [0 16] + 0.75 [4 8] = [3 10].
        // Image 1: 0.25 [1 1] + 0.75 [3 7] = [2.5 5.5]; image 2: 0.25 [3 7] + 0.75 [1 1] = [1.5 2.5].
        assertThat(x).containsExactly(new float[] {1, 14, 2.5f, 5.5f, 1.5f, 2.5f, 3, 10}, within(1e-6f));
    }

    @Test
    void cutmixPastesExactlyTheBoxFromThePartner() {
        float[] x = new float[2 * 2 * 9];
        for (int i = 0; i < 18; i++) {
            x[i] = i + 1;            // image 0: channels 1..9, 10..18
            x[18 + i] = -(i + 1);    // image 1: the negatives
        }
        // Rows 1..2, column 0..1 of both channels.
        Mix box = new Mix(true, 1 - 4.0 / 9, 1, 3, 0, 2);
        Mixup.apply(x, 2, 2, 3, 3, box);
        assertThat(x).containsExactly(
                1, 2, 3, -4, -5, 6, -7, -8, 9, 10, 11, 12, -13, -14, 15, -16, -17, 18,
                -1, -2, -3, 4, 5, -6, 7, 8, -9, -10, -11, -12, 13, 14, -15, 16, 17, -18);
    }

    @Test
    void cutmixBoxFollowsRandBboxAndCorrectsLam() {
        Mixup m = Mixup.deit();
        // lam 0.75 on 8 x 8: cut = int(8 * 0.5) = 4; centre (4, 4): rows 2..5, columns 2..5; 16 / 64 pasted.
        assertThat(m.cutmixBox(0.75, 8, 8, 0.5f, 0.5f)).isEqualTo(new Mix(true, 0.75, 2, 6, 2, 6));
        // Centre (0, 0): clipped to rows 0..1, columns 0..1; corrected lam 1 - 4 / 64.
        assertThat(m.cutmixBox(0.75, 8, 8, 0f, 0f)).isEqualTo(new Mix(true, 1 - 4.0 / 64, 0, 2, 0, 2));
        // Without correction lam stays.
        Mixup raw = new Mixup(0.8, 1.0, 1.0, 0.5, false);
        assertThat(raw.cutmixBox(0.75, 8, 8, 0f, 0f).lam()).isEqualTo(0.75);
    }

    @Test
    void drawsMixupOrCutmixAboutEvenlyWithLamInRange() {
        Mixup m = Mixup.deit();
        int cutmix = 0;
        for (long key = 0; key < 2000; key++) {
            Mix mix = m.draw(key, 16, 16);
            assertThat(m.draw(key, 16, 16)).isEqualTo(mix);
            assertThat(mix.lam()).isBetween(0.0, 1.0);
            if (mix.cutmix()) {
                cutmix++;
                assertThat(mix.top()).isBetween(0, mix.bottom());
                assertThat(mix.bottom()).isLessThanOrEqualTo(16);
                assertThat(mix.lam()).isEqualTo(1 - (mix.bottom() - mix.top()) * (mix.right() - mix.left()) / 256.0);
            }
        }
        assertThat(cutmix).isBetween(900, 1100);
        // prob 0: never mixed.
        assertThat(new Mixup(0.8, 1.0, 0.0, 0.5, true).draw(1L, 8, 8)).isEqualTo(Mix.NONE);
    }

    @Test
    void betaSamplesHaveTheBetaMeanAndVariance() {
        checkBeta(0.8, 0.8);   // mixup's alpha < 1: the boosted Gamma path
        checkBeta(1.0, 1.0);   // cutmix: uniform
        checkBeta(2.0, 5.0);
    }

    private static void checkBeta(double a, double b) {
        int n = 20_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double v = Mixup.beta(a, b, dev.mp3.tensor.Rng.mix(i * 31L + 7));
            assertThat(v).isBetween(0.0, 1.0);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        double expMean = a / (a + b);
        double expVar = a * b / ((a + b) * (a + b) * (a + b + 1));
        // Standard errors are about 0.0022 (mean) and 0.0006 (variance) here; tolerances are ~5 of them.
        assertThat(mean).as("mean of Beta(%s, %s)", a, b).isCloseTo(expMean, within(0.012));
        assertThat(var).as("variance of Beta(%s, %s)", a, b).isCloseTo(expVar, within(0.004));
    }
}

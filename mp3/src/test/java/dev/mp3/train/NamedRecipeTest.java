package dev.mp3.train;

import dev.mp3.data.Augmentation;
import dev.mp3.nn.LrSchedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The named recipes against the paper's Table 1 and Section 4.1, and the recipe's learning-rate rules. */
class NamedRecipeTest {

    @Test
    void thePapersSettingsMatchTable1() {
        // Table 1: dataset, input size, patch, positions; Section 4.1: eta and batch.
        check(NamedRecipe.of("cifar100-vits"), 32, 4, 64, "small", 0.5f, 256);
        check(NamedRecipe.of("tinyimagenet-vits"), 64, 8, 64, "small", 0.8f, 512);
        check(NamedRecipe.of("imagenet-vitb"), 224, 16, 196, "base", 0.75f, 2048);
        NamedRecipe fmnist = NamedRecipe.of("fmnist");
        assertThat(fmnist.imageSize()).isEqualTo(28);
        assertThat(fmnist.patchSize()).isEqualTo(4);
        assertThat(fmnist.pretrain().eta()).isEqualTo(0.75f);
        // This project's CPU setting: no augmentation in pretraining, pad-and-crop and flip in classification.
        assertThat(fmnist.pretrain().augment()).isEqualTo(Augmentation.NONE);
        assertThat(fmnist.classify().augment()).isEqualTo(Augmentation.padCropFlip());
        assertThat(fmnist.classify().labelSmoothing()).isEqualTo(0.1f);
    }

    private static void check(NamedRecipe r, int size, int patch, int positions, String model, float eta, int batch) {
        assertThat(r.imageSize()).isEqualTo(size);
        assertThat(r.patchSize()).isEqualTo(patch);
        assertThat((size / patch) * (size / patch)).isEqualTo(positions);
        assertThat(r.model()).isEqualTo(model);
        assertThat(r.pretrain().eta()).isEqualTo(eta);
        assertThat(r.pretrain().batchSize()).isEqualTo(batch);
        assertThat(r.classify().batchSize()).isEqualTo(batch);
        assertThat(r.pretrain().task()).isEqualTo(ImageRecipe.Task.PRETRAIN);
        assertThat(r.classify().task()).isEqualTo(ImageRecipe.Task.CLASSIFY);
        // Pretraining: crops and RandAugment, no Mixup, CutMix, erasing, repeats or label smoothing (Section 4.1).
        Augmentation pre = r.pretrain().augment();
        assertThat(pre.randAugment()).isEqualTo("rand-m9-mstd0.5-inc1");
        assertThat(pre.mixes()).isFalse();
        assertThat(pre.reprob()).isZero();
        assertThat(pre.repeats()).isEqualTo(1);
        assertThat(r.pretrain().labelSmoothing()).isZero();
        // Finetuning and the supervised baseline: all of DeiT's.
        Augmentation cls = r.classify().augment();
        assertThat(cls.mixup()).isEqualTo(0.8f);
        assertThat(cls.cutmix()).isEqualTo(1.0f);
        assertThat(cls.mixupSwitchProb()).isEqualTo(0.5f);
        assertThat(cls.reprob()).isEqualTo(0.25f);
        assertThat(cls.repeats()).isEqualTo(3);
        assertThat(r.classify().labelSmoothing()).isEqualTo(0.1f);
    }

    @Test
    void thePapersRecipesUseDeiTsOptimiserAndRandomResizedCrops() {
        for (String name : new String[] {"cifar100-vits", "tinyimagenet-vits", "imagenet-vitb"}) {
            NamedRecipe r = NamedRecipe.of(name);
            for (ImageRecipe x : new ImageRecipe[] {r.pretrain(), r.classify()}) {
                assertThat(x.lr()).isEqualTo(5e-4f);
                assertThat(x.minLr()).isEqualTo(1e-5f);
                assertThat(x.warmupEpochs()).isEqualTo(5f);
                assertThat(x.weightDecay()).isEqualTo(0.05f);
                assertThat(x.augment().crop()).isEqualTo(Augmentation.Crop.RANDOM_RESIZED);
                assertThat(x.augment().interpolation()).isEqualTo("bicubic");
            }
        }
        assertThat(NamedRecipe.of("imagenet-vitb").pretrain().epochs()).isEqualTo(100);   // Table 4
        assertThat(NamedRecipe.of("imagenet-vitb").classify().epochs()).isEqualTo(150);
    }

    @Test
    void theLearningRateScalesWithTheBatchAsDeiTs() {
        ImageRecipe r = NamedRecipe.of("cifar100-vits").classify();
        assertThat(r.peakLr()).isEqualTo(5e-4f * 256 / 512);                 // 2.5e-4 at the paper's batch 256
        assertThat(r.withBatchSize(2048).peakLr()).isEqualTo(5e-4f * 4);      // 2e-3
        assertThat(r.withBatchSize(100).peakLr()).isCloseTo(9.765625e-5f, within(1e-10f));
        // withPeakLr inverts it.
        assertThat(ImageRecipe.classify(3).withBatchSize(64).withPeakLr(1e-3f).peakLr()).isEqualTo(1e-3f);
    }

    @Test
    void theScheduleWarmsUpOverTheRecipesEpochsAndPeaksAtTheScaledRate() {
        ImageRecipe r = NamedRecipe.of("fmnist").classify().withEpochs(10);   // 1 epoch of warm-up
        LrSchedule s = r.schedule(20);
        assertThat(s.at(0)).isCloseTo(r.peakLr() / 20.0, within(1e-9));
        assertThat(s.at(19)).isCloseTo(r.peakLr(), within(1e-9));             // the 20th update reaches the peak
        assertThat(s.at(20)).isCloseTo(r.peakLr(), within(1e-9));
        assertThat(s.at(199)).isLessThan(r.peakLr() / 50.0);
        assertThat(r.peakLr()).isEqualTo(1e-3f);                               // fmnist: 4e-3 x 128 / 512
        // A run too short for the recipe's warm-up gets half of itself.
        assertThat(NamedRecipe.of("cifar100-vits").pretrain().withEpochs(4).warmupEpochs()).isEqualTo(2f);
    }

    @Test
    void mixingNeedsLabelsAndAnEvenBatch() {
        ImageRecipe c = NamedRecipe.of("cifar100-vits").classify();
        assertThatThrownBy(() -> c.withBatchSize(33)).hasMessageContaining("batch size must be even, got 33");
        ImageRecipe p = NamedRecipe.of("fmnist").pretrain();
        assertThatThrownBy(() -> p.withAugment(Augmentation.deit())).hasMessageContaining("pretraining does not mix");
        assertThatThrownBy(() -> NamedRecipe.of("cifar")).hasMessageContaining("unknown recipe 'cifar'")
                .hasMessageContaining("imagenet-vitb");
    }
}

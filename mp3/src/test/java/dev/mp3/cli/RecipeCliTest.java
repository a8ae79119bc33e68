package dev.mp3.cli;

import dev.mp3.nn.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.mp3.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code --recipe}: the paper's CIFAR-100 setting starts pretrain, finetune and train on a CIFAR-100
 * directory (a tiny generated one), and config.json holds every Table 1 field, the DeiT recipe and
 * the learning rate after batch scaling; a flag overrides one field and the warm-up is the recipe's.
 */
class RecipeCliTest {
    @TempDir
    static Path dir;
    static Path cifar;

    /** 64 training and 16 test records of CIFAR-100's binary format, labels spread over the 100 classes. */
    @BeforeAll
    static void writeCifar100() throws Exception {
        cifar = dir.resolve("cifar-100-binary");
        Files.createDirectories(cifar);
        Files.write(cifar.resolve("train.bin"), records(0, 64));
        Files.write(cifar.resolve("test.bin"), records(64, 16));
    }

    private static byte[] records(int first, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < count; k++) {
            int r = first + k;
            out.write(r % 20);         // coarse
            out.write((r * 7) % 100);  // fine
            for (int i = 0; i < 3 * 32 * 32; i++) {
                out.write((r * 31 + i * 7) % 251);
            }
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Path runDir) throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(runDir.resolve("config.json")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** The model is shrunk (--dim/--depth/--heads) and the run cut to one epoch of batch 16: all else is the recipe's. */
    private static final String[] SMALL = {"--recipe", "cifar100-vits", "--dim", "24", "--depth", "1", "--heads", "2",
            "--epochs", "1", "--batch", "16"};

    private static String[] args(String command, Path out, String... more) {
        String[] base = {command, "--data", "cifar100:" + dir, "--out", out.toString()};
        String[] all = new String[base.length + SMALL.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(SMALL, 0, all, base.length, SMALL.length);
        System.arraycopy(more, 0, all, base.length + SMALL.length, more.length);
        return all;
    }

    @Test
    void cifar100VitsPretrainFinetuneAndTrainRecordTheTable1Setting() throws Exception {
        Path pt = dir.resolve("pt");
        CliTest.Run pre = run(args("pretrain", pt));
        assertThat(pre.exit()).as(pre.err()).isZero();
        assertThat(pre.out()).contains("recipe cifar100-vits").contains("eta 0.50");
        Map<String, Object> c = config(pt);
        assertThat(c.get("recipe")).isEqualTo("cifar100-vits");
        Map<String, Object> model = map(c, "model");
        // Table 1: CIFAR-100, 32x32, patch 4, 64 positions; ViT-S would be 384/12/6 (shrunk here by flags).
        assertThat(number(model, "imageSize")).isEqualTo(32);
        assertThat(number(model, "patchSize")).isEqualTo(4);
        assertThat(number(model, "channels")).isEqualTo(3);
        assertThat(number(model, "dropPath")).isEqualTo(0.1, within(1e-6));
        Map<String, Object> train = map(c, "train");
        assertThat(train.get("task")).isEqualTo("PRETRAIN");
        assertThat(number(train, "eta")).isEqualTo(0.5, within(1e-6));         // Section 4.1: eta 0.5 on CIFAR-100
        assertThat(number(train, "lr")).isEqualTo(5e-4, within(1e-9));         // DeiT's base rate per 512
        assertThat(number(train, "weightDecay")).isEqualTo(0.05, within(1e-6));
        assertThat(number(train, "labelSmoothing")).isZero();
        // Five warm-up epochs do not fit a one-epoch run: half of it.
        assertThat(number(train, "warmupEpochs")).isEqualTo(0.5, within(1e-6));
        assertThat(number(c, "peak_lr")).isEqualTo(5e-4 * 16 / 512, within(1e-9));
        Map<String, Object> aug = map(train, "augment");
        assertThat(aug.get("crop")).isEqualTo("RANDOM_RESIZED");
        assertThat(aug.get("randAugment")).isEqualTo("rand-m9-mstd0.5-inc1");
        assertThat(number(aug, "mixup")).isZero();   // pretraining: no Mixup, CutMix, erasing, repeats
        assertThat(number(aug, "cutmix")).isZero();
        assertThat(number(aug, "reprob")).isZero();
        assertThat(number(aug, "repeats")).isEqualTo(1);

        Path ft = dir.resolve("ft");
        CliTest.Run fine = run("finetune", "--data", "cifar100:" + dir, "--recipe", "cifar100-vits", "--init",
                pt.resolve("checkpoint.safetensors").toString(), "--epochs", "1", "--batch", "16", "--out",
                ft.toString());
        assertThat(fine.exit()).as(fine.err()).isZero();
        Map<String, Object> f = map(config(ft), "train");
        assertThat(f.get("task")).isEqualTo("CLASSIFY");
        assertThat(number(f, "labelSmoothing")).isEqualTo(0.1, within(1e-6));
        Map<String, Object> fa = map(f, "augment");
        assertThat(number(fa, "mixup")).isEqualTo(0.8, within(1e-6));
        assertThat(number(fa, "cutmix")).isEqualTo(1.0, within(1e-6));
        assertThat(number(fa, "mixupSwitchProb")).isEqualTo(0.5, within(1e-6));
        assertThat(number(fa, "reprob")).isEqualTo(0.25, within(1e-6));
        assertThat(number(fa, "repeats")).isEqualTo(3);

        Path tr = dir.resolve("tr");
        CliTest.Run sup = run(args("train", tr, "--mixup", "0", "--aa", "rand-m7-mstd0.5"));
        assertThat(sup.exit()).as(sup.err()).isZero();
        Map<String, Object> ta = map(map(config(tr), "train"), "augment");
        assertThat(number(ta, "mixup")).isZero();                         // overridden
        assertThat(number(ta, "cutmix")).isEqualTo(1.0, within(1e-6));    // the recipe's
        assertThat(ta.get("randAugment")).isEqualTo("rand-m7-mstd0.5");
    }

    @Test
    void theWarmupIsTheRecipesWhateverTheRunLength() throws Exception {
        Path fm = dir.resolve("fm");
        Path data = TinyFashionMnist.write(dir.resolve("fmnist"), 64, 16, 28, 3);
        CliTest.Run r = run("train", "--data", data.toString(), "--model", "demo", "--epochs", "4", "--batch", "16",
                "--out", fm.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> train = map(config(fm), "train");
        // The fmnist recipe's one epoch of warm-up, not a tenth of some default run length.
        assertThat(number(train, "warmupEpochs")).isEqualTo(1.0, within(1e-6));
        assertThat(number(train, "epochs")).isEqualTo(4);
    }

    @Test
    void aValidationSplitKeepsTheBestEpochAndStopsAfterThePatience() throws Exception {
        Path data = TinyFashionMnist.write(dir.resolve("fmnist-val"), 80, 16, 28, 4);
        Path out = dir.resolve("val");
        CliTest.Run r = run("train", "--data", data.toString(), "--model", "demo", "--epochs", "8", "--batch", "16",
                "--val-fraction", "0.2", "--patience", "2", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("64 labelled images").contains("validation on 16 held-out labelled images");
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        assertThat(number(metrics, "val_images")).isEqualTo(16);
        double best = number(metrics, "best_val_accuracy");
        assertThat(best * 16).isCloseTo(Math.rint(best * 16), within(1e-9));   // a count out of 16
        long updates = (long) number(metrics, "updates");
        long bestEpoch = (long) number(metrics, "best_epoch");
        // 64 images in batches of 16: 4 updates an epoch; a stop comes 2 epochs after the best one.
        if ((Boolean) metrics.get("stopped_early")) {
            assertThat(updates).isEqualTo(4 * (bestEpoch + 2));
        } else {
            assertThat(updates).isEqualTo(4 * 8);
        }
    }

    @Test
    void anUnknownRecipeNamesTheKnownOnes() {
        CliTest.Run r = run("pretrain", "--recipe", "cifar10-vitt", "--out", dir.resolve("x").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown recipe 'cifar10-vitt'").contains("cifar100-vits").contains("fmnist");
    }
}

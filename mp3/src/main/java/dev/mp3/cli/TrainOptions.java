package dev.mp3.cli;

import dev.mp3.data.Augmentation;
import dev.mp3.train.ImageRecipe;
import dev.mp3.train.NamedRecipe;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Recipe options shared by pretrain, finetune and train: {@code --recipe} picks a whole setting
 * ({@link NamedRecipe}), and every other option given overrides one field of it.
 */
final class TrainOptions {

    @Option(names = "--recipe", defaultValue = "fmnist", paramLabel = "NAME",
            description = "A named setting: cifar100-vits, tinyimagenet-vits, imagenet-vitb (the paper's Table 1 with"
                    + " DeiT's recipe) or fmnist (this project's small one). It sets the model, patch, image size,"
                    + " eta, epochs, batch, learning rate, warm-up and augmentation; the options below override"
                    + " single fields. Default: ${DEFAULT-VALUE}.")
    String recipe;

    @Option(names = "--epochs", description = "Passes over the training data (default: the recipe's).")
    Integer epochs;

    @Option(names = "--batch", description = "Batch size (default: the recipe's).")
    Integer batch;

    @Option(names = "--lr", description = "Base learning rate for a batch of 512, scaled to the batch as DeiT does:"
            + " the peak rate is lr x batch / 512 (default: the recipe's; 5e-4 for the paper's, 4e-3 for fmnist).")
    Float lr;

    @Option(names = "--min-lr", description = "Final learning rate of the cosine decay (default 1e-5).")
    Float minLr;

    @Option(names = "--warmup", description = "Linear warm-up, in epochs (default: the recipe's: 5 for the paper's,"
            + " 1 for fmnist; at most half the run).")
    Float warmup;

    @Option(names = "--wd", description = "AdamW weight decay (default 0.05).")
    Float weightDecay;

    @Option(names = "--clip-grad", description = "Clip the global gradient norm to this; 0 = off (default: the"
            + " recipe's: 0 for the paper's, 1 for fmnist).")
    Float clipGrad;

    @Option(names = "--smoothing", description = "Label smoothing of classification (default 0.1; pretraining has none).")
    Float smoothing;

    @Option(names = "--crop", paramLabel = "KIND", description = "rrc (RandomResizedCrop), pad (zero padding and a"
            + " random crop, for small images) or none (default: the recipe's).")
    String crop;

    @Option(names = "--scale", description = "RandomResizedCrop's smallest area share (default 0.08).")
    Float scaleMin;

    @Option(names = "--hflip", description = "Horizontal flip probability (default 0.5).")
    Float hflip;

    @Option(names = "--aa", paramLabel = "POLICY", description = "RandAugment policy in timm's notation, or none"
            + " (default rand-m9-mstd0.5-inc1).")
    String randAugment;

    @Option(names = "--mixup", description = "Mixup alpha, 0 = off (default: 0.8 for classification, 0 for pretraining).")
    Float mixup;

    @Option(names = "--cutmix", description = "CutMix alpha, 0 = off (default: 1.0 for classification, 0 for pretraining).")
    Float cutmix;

    @Option(names = "--mixup-prob", description = "Probability of mixing a batch (default 1.0).")
    Float mixupProb;

    @Option(names = "--mixup-switch-prob", description = "With both on, probability of CutMix over Mixup (default 0.5).")
    Float mixupSwitchProb;

    @Option(names = "--reprob", description = "Random erasing probability (default: 0.25 for classification, 0 for"
            + " pretraining).")
    Float reprob;

    @Option(names = "--aug-repeats", description = "Repeated augmentation: copies of each image per epoch, 1 = off"
            + " (default: 3 for classification, 1 for pretraining).")
    Integer repeats;

    @Option(names = "--interpolation", description = "bicubic or bilinear resampling of crops and RandAugment (default"
            + " bicubic).")
    String interpolation;

    @Option(names = "--patience", description = "finetune and train with --val-fraction: stop after this many epochs"
            + " without a better validation accuracy, keeping the best epoch's weights (default 0: train every epoch,"
            + " still ending with the best epoch's weights).")
    Integer patience;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    /** The named setting of {@code --recipe}. */
    NamedRecipe named() {
        return NamedRecipe.of(recipe);
    }

    /** On {@code --resume}: every recipe option given must equal the run's recipe {@code r}. */
    void check(RunFolder folder, ImageRecipe r) {
        recipe = folder.setting("recipe", "--recipe", NamedRecipe.of(recipe).name());
        folder.check("--epochs", epochs, r.epochs());
        folder.check("--batch", batch, r.batchSize());
        folder.check("--lr", lr, r.lr());
        folder.check("--min-lr", minLr, r.minLr());
        folder.check("--warmup", warmup, r.warmupEpochs());
        folder.check("--wd", weightDecay, r.weightDecay());
        folder.check("--clip-grad", clipGrad, r.clipNorm());
        folder.check("--smoothing", smoothing, r.labelSmoothing());
        Augmentation a = r.augment();
        folder.check("--crop", crop == null ? null : parseCrop(crop), a.crop());
        folder.check("--scale", scaleMin, a.scaleMin());
        folder.check("--hflip", hflip, a.hflip());
        folder.check("--aa", randAugment == null ? null : randAugment.trim().toLowerCase(Locale.ROOT), a.randAugment());
        folder.check("--mixup", mixup, a.mixup());
        folder.check("--cutmix", cutmix, a.cutmix());
        folder.check("--mixup-prob", mixupProb, a.mixupProb());
        folder.check("--mixup-switch-prob", mixupSwitchProb, a.mixupSwitchProb());
        folder.check("--reprob", reprob, a.reprob());
        folder.check("--aug-repeats", repeats, a.repeats());
        folder.check("--interpolation", interpolation == null ? null : interpolation.trim().toLowerCase(Locale.ROOT),
                a.interpolation());
        folder.check("--patience", patience, r.patience());
        folder.check("--seed", seed, r.seed());
    }

    /** {@code base} (a named recipe's) with every option given in place of its field, and the seed. */
    ImageRecipe apply(ImageRecipe base) {
        ImageRecipe c = base.withSeed(seed);
        if (epochs != null) c = c.withEpochs(epochs);
        if (batch != null) c = c.withBatchSize(batch);
        if (lr != null || minLr != null) c = c.withLr(lr != null ? lr : c.lr(), minLr != null ? minLr : c.minLr());
        if (warmup != null) c = c.withWarmup(warmup);
        if (weightDecay != null) c = c.withWeightDecay(weightDecay);
        if (clipGrad != null) c = c.withClipNorm(clipGrad);
        if (smoothing != null) c = c.withLabelSmoothing(smoothing);
        if (patience != null) c = c.withPatience(patience);
        return c.withAugment(augmentation(c.augment()));
    }

    private Augmentation augmentation(Augmentation a) {
        if (crop != null) a = a.withCrop(parseCrop(crop));
        if (scaleMin != null) a = a.withScaleMin(scaleMin);
        if (hflip != null) a = a.withHflip(hflip);
        if (randAugment != null) a = a.withRandAugment(randAugment);
        if (mixup != null || cutmix != null) {
            a = a.withMixing(mixup != null ? mixup : a.mixup(), cutmix != null ? cutmix : a.cutmix());
        }
        if (mixupProb != null || mixupSwitchProb != null) {
            a = new Augmentation(a.crop(), a.scaleMin(), a.hflip(), a.randAugment(), a.mixup(), a.cutmix(),
                    mixupProb != null ? mixupProb : a.mixupProb(),
                    mixupSwitchProb != null ? mixupSwitchProb : a.mixupSwitchProb(), a.reprob(), a.repeats(),
                    a.interpolation());
        }
        if (reprob != null) a = a.withReprob(reprob);
        if (repeats != null) a = a.withRepeats(repeats);
        if (interpolation != null) {
            a = new Augmentation(a.crop(), a.scaleMin(), a.hflip(), a.randAugment(), a.mixup(), a.cutmix(),
                    a.mixupProb(), a.mixupSwitchProb(), a.reprob(), a.repeats(), interpolation);
        }
        return a;
    }

    static Augmentation.Crop parseCrop(String kind) {
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "rrc", "random-resized", "random_resized" -> Augmentation.Crop.RANDOM_RESIZED;
            case "pad" -> Augmentation.Crop.PAD;
            case "none" -> Augmentation.Crop.NONE;
            default -> throw new IllegalArgumentException("--crop: unknown crop '" + kind + "'; expected rrc, pad or"
                    + " none");
        };
    }

    /** What config.json says about the recipe: its name, every field, and the learning rate after scaling. */
    static Map<String, Object> describe(String name, ImageRecipe r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recipe", name);
        out.put("train", r);
        out.put("peak_lr", r.peakLr());
        out.put("peak_lr_rule", String.format(Locale.ROOT, "lr %s x batch %d / %d (DeiT's scaling)", r.lr(),
                r.batchSize(), ImageRecipe.LR_BATCH));
        return out;
    }
}

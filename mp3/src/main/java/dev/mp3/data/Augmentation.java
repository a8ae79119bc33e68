package dev.mp3.data;

import java.util.Locale;

/**
 * What a training run does to its images, with timm's option names and DeiT's values (the paper's
 * recipe, Section 4.1). Per image, in this order: a crop ({@link Crop}), a horizontal flip,
 * RandAugment, then normalisation and random erasing; per batch, Mixup or CutMix; per epoch,
 * repeated augmentation (each image several times in one epoch, each time augmented anew).
 *
 * @param crop            RANDOM_RESIZED (timm's RandomResizedCrop, scale [scaleMin, 1], ratio [3/4, 4/3]),
 *                        PAD (zero padding and a random crop back to the size: 4 pixels at 32x32 and above,
 *                        2 below, the usual small-image variant) or NONE
 * @param scaleMin        RandomResizedCrop's smallest crop area, as a share of the image (timm {@code --scale} 0.08)
 * @param hflip           probability of a horizontal flip (timm {@code --hflip} 0.5)
 * @param randAugment     timm's {@code --aa} policy string, e.g. {@code rand-m9-mstd0.5-inc1}, or {@code none}
 * @param mixup           Mixup's Beta(alpha, alpha) parameter (timm {@code --mixup} 0.8); 0 = off
 * @param cutmix          CutMix's Beta parameter (timm {@code --cutmix} 1.0); 0 = off
 * @param mixupProb       probability that a batch is mixed at all (timm {@code --mixup-prob} 1.0)
 * @param mixupSwitchProb with both on, the probability of CutMix rather than Mixup (timm {@code --mixup-switch-prob} 0.5)
 * @param reprob          random erasing probability per image (timm {@code --reprob} 0.25); 0 = off
 * @param repeats         repeated augmentation: copies of each image per epoch (DeiT's {@code --repeated-aug}: 3); 1 = off
 * @param interpolation   resampling of crops and geometric RandAugment ops: bicubic (DeiT) or bilinear
 */
public record Augmentation(Crop crop, float scaleMin, float hflip, String randAugment, float mixup, float cutmix,
                           float mixupProb, float mixupSwitchProb, float reprob, int repeats, String interpolation) {

    public enum Crop { RANDOM_RESIZED, PAD, NONE }

    /** Nothing: evaluation, or a run without augmentation. */
    public static final Augmentation NONE = new Augmentation(Crop.NONE, 1f, 0f, "none", 0f, 0f, 0f, 0f, 0f, 1,
            "bicubic");

    public Augmentation {
        requireProbability("--hflip", hflip);
        requireProbability("--mixup-prob", mixupProb);
        requireProbability("--mixup-switch-prob", mixupSwitchProb);
        requireProbability("--reprob", reprob);
        if (!(scaleMin > 0 && scaleMin <= 1)) {
            throw new IllegalArgumentException("augmentation: --scale " + scaleMin + " must lie in (0, 1]");
        }
        if (!(mixup >= 0) || !(cutmix >= 0)) {
            throw new IllegalArgumentException("augmentation: --mixup " + mixup + " and --cutmix " + cutmix
                    + " must be >= 0 (0 turns one off)");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("augmentation: --aug-repeats " + repeats + " must be >= 1 (1 = off)");
        }
        randAugment = randAugment.trim().toLowerCase(Locale.ROOT);
        if (!randAugment.equals("none")) {
            RandAugment.parse(randAugment);  // fails with a message naming the bad field
        }
        interpolation = interpolation.trim().toLowerCase(Locale.ROOT);
        if (!interpolation.equals("bicubic") && !interpolation.equals("bilinear")) {
            throw new IllegalArgumentException("augmentation: interpolation '" + interpolation
                    + "'; expected bicubic or bilinear");
        }
    }

    /** DeiT's training augmentation, as the paper's finetuning and supervised baselines use it. */
    public static Augmentation deit() {
        return new Augmentation(Crop.RANDOM_RESIZED, 0.08f, 0.5f, "rand-m9-mstd0.5-inc1", 0.8f, 1.0f, 1.0f, 0.5f,
                0.25f, 3, "bicubic");
    }

    /**
     * MP3 pretraining's: DeiT's crops, flip and RandAugment, but no Mixup, CutMix, random erasing or
     * repeated augmentation (paper Section 4.1).
     */
    public static Augmentation pretraining() {
        return deit().withMixing(0f, 0f).withReprob(0f).withRepeats(1);
    }

    /** The crop-and-flip variant for small images, and nothing else (this project's recipe before DeiT's). */
    public static Augmentation padCropFlip() {
        return new Augmentation(Crop.PAD, 1f, 0.5f, "none", 0f, 0f, 0f, 0f, 0f, 1, "bicubic");
    }

    public boolean mixes() {
        return (mixup > 0 || cutmix > 0) && mixupProb > 0;
    }

    public boolean randAugments() {
        return !randAugment.equals("none");
    }

    public Resize.Interpolation resampling() {
        return interpolation.equals("bilinear") ? Resize.Interpolation.BILINEAR : Resize.Interpolation.BICUBIC;
    }

    public Augmentation withCrop(Crop c) {
        return new Augmentation(c, scaleMin, hflip, randAugment, mixup, cutmix, mixupProb, mixupSwitchProb, reprob,
                repeats, interpolation);
    }

    public Augmentation withScaleMin(float s) {
        return new Augmentation(crop, s, hflip, randAugment, mixup, cutmix, mixupProb, mixupSwitchProb, reprob,
                repeats, interpolation);
    }

    public Augmentation withHflip(float p) {
        return new Augmentation(crop, scaleMin, p, randAugment, mixup, cutmix, mixupProb, mixupSwitchProb, reprob,
                repeats, interpolation);
    }

    public Augmentation withRandAugment(String policy) {
        return new Augmentation(crop, scaleMin, hflip, policy, mixup, cutmix, mixupProb, mixupSwitchProb, reprob,
                repeats, interpolation);
    }

    public Augmentation withMixing(float mixupAlpha, float cutmixAlpha) {
        return new Augmentation(crop, scaleMin, hflip, randAugment, mixupAlpha, cutmixAlpha, mixupProb,
                mixupSwitchProb, reprob, repeats, interpolation);
    }

    public Augmentation withReprob(float p) {
        return new Augmentation(crop, scaleMin, hflip, randAugment, mixup, cutmix, mixupProb, mixupSwitchProb, p,
                repeats, interpolation);
    }

    public Augmentation withRepeats(int r) {
        return new Augmentation(crop, scaleMin, hflip, randAugment, mixup, cutmix, mixupProb, mixupSwitchProb, reprob,
                r, interpolation);
    }

    @Override
    public String toString() {
        if (equals(NONE)) {
            return "none";
        }
        return String.format(Locale.ROOT, "crop %s%s, hflip %s, aa %s, mixup %s, cutmix %s (prob %s, switch %s),"
                        + " reprob %s, repeats %d, %s",
                crop.name().toLowerCase(Locale.ROOT), crop == Crop.RANDOM_RESIZED ? " scale " + scaleMin + "-1" : "",
                hflip, randAugment, mixup, cutmix, mixupProb, mixupSwitchProb, reprob, repeats, interpolation);
    }

    private static void requireProbability(String flag, float p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("augmentation: " + flag + " " + p + " must lie in [0, 1]");
        }
    }
}

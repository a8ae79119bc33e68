package dev.mp3.data;

import dev.mp3.tensor.Rng;

/**
 * An {@link Augmentation} put to work on one dataset: turns example i, at position p of an epoch,
 * into the normalised floats the model reads. Per image: a crop (RandomResizedCrop, pad-and-crop,
 * or only the fit to the model's size), a horizontal flip, RandAugment, normalisation, random
 * erasing; per batch: Mixup or CutMix ({@link #mix}).
 *
 * <p>Every random choice is a pure function of the epoch's key, the transform and the position,
 * so a batch is the same whichever thread builds it and whenever (a resumed run sees the same
 * images). Each transform draws from its own key, derived from the epoch's.
 */
final class Augmenter {
    private static final long CROP = 0;      // the pad-and-crop keeps the epoch's key itself, as before mixing existed
    private static final long FLIP = 1;
    private static final long RAND_AUGMENT = 2;
    private static final long ERASE = 3;
    private static final long MIX = 4;

    private final ImageDataset data;
    private final Augmentation spec;
    private final Augment padCrop;
    private final RandomResizedCrop resizedCrop;
    private final HorizontalFlip flip;
    private final RandAugment randAugment;
    private final RandomErasing erasing;
    private final Mixup mixup;

    /** {@code padCrop}: the crop with padding to use when {@code spec} asks for one ({@link Augment#NONE} otherwise). */
    Augmenter(ImageDataset data, Augmentation spec, Augment padCrop) {
        this.data = data;
        this.spec = spec;
        int size = data.height();
        this.padCrop = spec.crop() == Augmentation.Crop.PAD && !padCrop.isNone() ? padCrop : null;
        this.resizedCrop = spec.crop() == Augmentation.Crop.RANDOM_RESIZED
                ? new RandomResizedCrop(size, spec.scaleMin(), 1f, 3f / 4, 4f / 3, spec.resampling()) : null;
        this.flip = spec.crop() != Augmentation.Crop.PAD && spec.hflip() > 0 ? new HorizontalFlip(spec.hflip()) : null;
        this.randAugment = spec.randAugments()
                ? new RandAugment(RandAugment.parse(spec.randAugment()), spec.resampling(), meanColour(data)) : null;
        RandomErasing deit = RandomErasing.deit();
        this.erasing = spec.reprob() > 0 ? new RandomErasing(spec.reprob(), deit.minArea(), deit.maxArea(),
                deit.minAspect(), deit.maxAspect()) : null;
        this.mixup = spec.mixes()
                ? new Mixup(spec.mixup(), spec.cutmix(), spec.mixupProb(), spec.mixupSwitchProb(), true) : null;
    }

    /**
     * Whether example images can be copied as stored: no per-image transform but the pad-and-crop,
     * and every image already at the model's size (the in-memory datasets). The path of every
     * evaluation and of the small-image recipes, kept as fast as a table lookup per pixel.
     */
    boolean bytesOnly() {
        return randAugment == null && erasing == null && resizedCrop == null && flip == null && data.inMemory();
    }

    /** Writes example {@code i}, drawn at {@code position} of the epoch keyed {@code key}, as floats at {@code out[offset..]}. */
    void example(int i, long position, long key, float[] out, int offset) {
        Image stored = data.image(i);   // read (for files: decoded) once
        Image image;
        if (resizedCrop != null) {
            image = resizedCrop.apply(stored, resizedCrop.draw(sub(key, CROP), position, stored.height(),
                    stored.width()));
        } else {
            image = fit(stored);
        }
        if (padCrop != null) {
            byte[] cropped = new byte[image.pixels().length];
            padCrop.apply(image.pixels(), 0, image.channels(), image.height(), image.width(),
                    padCrop.draw(key, position), cropped, 0);
            image = new Image(cropped, image.channels(), image.height(), image.width());
        }
        if (flip != null) {
            image = HorizontalFlip.apply(image, flip.draw(sub(key, FLIP), position));
        }
        if (randAugment != null) {
            image = randAugment.apply(image, randAugment.draw(sub(key, RAND_AUGMENT), position));
        }
        normalise(image, out, offset);
        if (erasing != null) {
            RandomErasing.Erase box = erasing.draw(sub(key, ERASE), position, image.height(), image.width());
            RandomErasing.apply(out, offset, image.channels(), image.height(), image.width(), box);
        }
    }

    /**
     * Mixes batch {@code step} of the epoch keyed {@code key} in place, and returns how its labels
     * mix (null when the augmentation does not mix, or this batch drew no mixing).
     */
    /** Whether batches may be mixed (Mixup or CutMix on), pairing rows across the batch. */
    boolean mixes() {
        return mixup != null;
    }

    Batch.Mix mix(float[] images, int count, int[] labels, long key, int step) {
        if (mixup == null) {
            return null;
        }
        if (count % 2 != 0) {
            throw new IllegalArgumentException("Mixup/CutMix: a batch of " + count + " images cannot be paired; use"
                    + " an even batch size");
        }
        Mixup.Mix m = mixup.draw(sub(key, MIX) ^ Rng.mix(step + 1L), data.height(), data.width());
        if (m.lam() == 1.0) {
            return null;   // this batch drew no mixing (--mixup-prob < 1), or a box of nothing
        }
        Mixup.apply(images, count, data.channels(), data.height(), data.width(), m);
        int[] partners = new int[count];
        for (int k = 0; k < count; k++) {
            partners[k] = labels[count - 1 - k];
        }
        return new Batch.Mix((float) m.lam(), dev.mp3.tensor.Tensor.ofInts(partners, count));
    }

    /** Image as stored, brought to the model's size when it is not: DeiT's evaluation resize and centre crop. */
    Image fit(Image stored) {
        return ImageDataset.fit(stored, data.height(), data.width());
    }

    void normalise(Image image, float[] out, int offset) {
        Normalization norm = data.normalization();
        byte[] px = image.pixels();
        int plane = image.plane();
        for (int j = 0; j < px.length; j++) {
            out[offset + j] = norm.apply(j / plane, px[j] & 0xFF);
        }
    }

    private static long sub(long key, long transform) {
        return transform == CROP ? key : Rng.mix(key ^ (transform * 0x9E3779B97F4A7C15L));
    }

    /** RandAugment's fill for pixels that geometric ops uncover: the data's mean colour (timm's img_mean). */
    private static byte[] meanColour(ImageDataset data) {
        double[] mean = new double[data.channels()];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = data.normalization().mean(c);
        }
        return RandAugment.fillFromMean(mean);
    }
}

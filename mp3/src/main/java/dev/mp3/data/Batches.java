package dev.mp3.data;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Mini-batches over an {@link ImageDataset}. A training schedule reshuffles every epoch and drops
 * the last incomplete batch; an evaluation schedule walks the data in order and keeps every example.
 *
 * <p>Batch (epoch, step) is a pure function of the seed, the epoch and the step: epoch e shuffles
 * with {@code Rng(seed ^ mix(e + 1))}, whose next key drives that epoch's augmentation (each
 * transform a pure function of the key and the position in the epoch, see {@link Augmenter}). So a
 * run resumed from a checkpoint at (epoch, step) sees exactly the batches an uninterrupted run
 * would have seen, with no generator state to save, and batches may be built on any thread.
 *
 * <p>Repeated augmentation (DeiT's RASampler, {@link Augmentation#repeats()} = r): the epoch's
 * order is the shuffled examples each taken r times in a row, cut to the size of the dataset, so an
 * epoch holds as many images as without it, about 1/r of them distinct, each copy augmented anew.
 */
public final class Batches {

    private final ImageDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Augmentation augment;
    private final Augment padCrop;
    private final Augmenter augmenter;
    private final long seed;

    /** One epoch's example order and augmentation key; cached for the epoch being read. */
    private record Plan(int epoch, int[] order, long augmentKey) {
    }

    // Volatile and immutable, so batches may be built from a prefetching thread too.
    private volatile Plan plan;

    private Batches(ImageDataset data, int batchSize, boolean shuffle, boolean dropLast, Augmentation augment,
                    Augment padCrop, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be positive");
        }
        if (dropLast && data.size() < batchSize) {
            throw new IllegalArgumentException(data.name() + ": " + data.size() + " examples make no full batch of "
                    + batchSize + "; use a smaller batch size");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(data.name() + ": no examples to batch");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.augment = augment;
        this.padCrop = padCrop;
        this.augmenter = new Augmenter(data, augment, padCrop);
        this.seed = seed;
    }

    /** Shuffled every epoch, last incomplete batch dropped, {@code augment} applied. */
    public static Batches training(ImageDataset data, int batchSize, Augmentation augment, long seed) {
        Augment padCrop = augment.crop() == Augmentation.Crop.PAD
                ? new Augment(Augment.padFor(data.height()), augment.hflip()) : Augment.NONE;
        return new Batches(data, batchSize, true, true, augment, padCrop, seed);
    }

    /** Shuffled every epoch, last incomplete batch dropped, only {@code padCrop}'s crop with padding and flip. */
    public static Batches training(ImageDataset data, int batchSize, Augment padCrop, long seed) {
        Augmentation a = padCrop.isNone() ? Augmentation.NONE : Augmentation.padCropFlip().withHflip(padCrop.hflip());
        return new Batches(data, batchSize, true, true, a, padCrop, seed);
    }

    /**
     * In dataset order, all examples (the last batch may be smaller), no augmentation; images not at
     * the dataset's size get DeiT's evaluation resize and centre crop.
     */
    public static Batches evaluation(ImageDataset data, int batchSize) {
        return new Batches(data, batchSize, false, false, Augmentation.NONE, Augment.NONE, 0);
    }

    public ImageDataset data() {
        return data;
    }

    public int batchSize() {
        return batchSize;
    }

    public int stepsPerEpoch() {
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    /** All batches of {@code epoch}. */
    public Iterable<Batch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of {@code epoch} from {@code startStep} on (to resume mid-epoch). */
    public Iterable<Batch> epoch(int epoch, int startStep) {
        if (epoch < 0 || startStep < 0 || startStep > stepsPerEpoch()) {
            throw new IllegalArgumentException("epoch " + epoch + ", step " + startStep + ": expected epoch >= 0 and step in 0.."
                    + stepsPerEpoch());
        }
        return () -> new Iterator<>() {
            private int step = startStep;

            @Override
            public boolean hasNext() {
                return step < stepsPerEpoch();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + stepsPerEpoch() + " steps");
                }
                return batch(epoch, step++);
            }
        };
    }

    /** Batch {@code step} of {@code epoch}. */
    public Batch batch(int epoch, int step) {
        return batch(epoch, step, 0, batchSize);
    }

    /**
     * Rows {@code [from, to)} of batch {@code step} of {@code epoch}: one data-parallel rank's shard,
     * exactly those rows of {@link #batch(int, int)} (each example's augmentation is keyed by its
     * position in the epoch). Only the shard's images are read, except under Mixup/CutMix, which
     * pairs row k with row B-1-k of the whole batch: then the whole batch is built and cut.
     */
    public Batch batch(int epoch, int step, int from, int to) {
        if (epoch < 0 || step < 0 || step >= stepsPerEpoch()) {
            throw new IllegalArgumentException("batch (epoch " + epoch + ", step " + step + "): expected epoch >= 0 and step in 0.."
                    + (stepsPerEpoch() - 1));
        }
        if (from < 0 || to > batchSize || from >= to) {
            throw new IllegalArgumentException("batch rows [" + from + ", " + to + "): expected 0 <= from < to <= "
                    + batchSize);
        }
        int start = step * batchSize;
        int whole = Math.min(batchSize, data.size() - start);
        if (augmenter.mixes() && (from > 0 || to < whole)) {
            return batch(epoch, step, 0, batchSize).rows(from, Math.min(to, whole));
        }
        Plan p = plan(epoch);
        start += from;
        int count = Math.min(to, whole) - from;
        int[] indices = new int[count];
        System.arraycopy(p.order, start, indices, 0, count);

        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int size = data.imageSize();
        float[] images = new float[count * size];
        int[] labels = new int[count];
        if (augmenter.bytesOnly()) {
            copyBytes(indices, start, p.augmentKey, images);
        } else {
            for (int k = 0; k < count; k++) {
                augmenter.example(indices[k], start + k, p.augmentKey, images, k * size);
            }
        }
        for (int k = 0; k < count; k++) {
            labels[k] = data.label(indices[k]);
        }
        Batch.Mix mix = augmenter.mix(images, count, labels, p.augmentKey, step);
        return new Batch(epoch, step, indices, Tensor.of(images, count, c, h, w), Tensor.ofInts(labels, count), mix);
    }

    /** The fast path of in-memory images at the model's size: bytes through the pad-and-crop (if any) and a lookup table. */
    private void copyBytes(int[] indices, int start, long augmentKey, float[] images) {
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int size = data.imageSize();
        int plane = h * w;
        byte[] source = data.pixels();
        byte[] augmented = new byte[size];
        Normalization norm = data.normalization();
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            byte[] from = source;
            int offset = i * size;
            if (!padCrop.isNone()) {
                padCrop.apply(source, offset, c, h, w, padCrop.draw(augmentKey, start + k), augmented, 0);
                from = augmented;
                offset = 0;
            }
            for (int j = 0; j < size; j++) {
                images[k * size + j] = norm.apply(j / plane, from[offset + j] & 0xFF);
            }
        }
    }


    /** The example order of {@code epoch} (the identity for evaluation). */
    int[] order(int epoch) {
        return plan(epoch).order.clone();
    }

    private Plan plan(int epoch) {
        Plan current = plan;
        if (current != null && current.epoch == epoch) {
            return current;
        }
        Plan fresh;
        if (shuffle) {
            Rng rng = new Rng(seed ^ Rng.mix(epoch + 1L));
            int[] order = rng.permutationArray(1, data.size());
            int repeats = augment.repeats();
            if (repeats > 1) {
                int[] repeated = new int[order.length];
                for (int k = 0; k < repeated.length; k++) {
                    repeated[k] = order[k / repeats];
                }
                order = repeated;
            }
            fresh = new Plan(epoch, order, rng.nextKey());
        } else {
            int[] order = new int[data.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            fresh = new Plan(epoch, order, 0);
        }
        plan = fresh;
        return fresh;
    }
}

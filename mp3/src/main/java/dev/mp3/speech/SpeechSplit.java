package dev.mp3.speech;

import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.cpu.Parallel;
import java.util.ArrayList;
import java.util.List;

/**
 * One split of labelled speech examples, ready to batch. A training split keeps the 16-bit audio
 * in memory and augments and featurises every clip each time it is batched (the augmentation is
 * random, so features cannot be cached); an evaluation split computed its MFCCs once when it was
 * loaded and batches copy them.
 */
public final class SpeechSplit {

    private final SpeechCommandsLayout.Split split;
    private final List<String> classes;
    private final List<String> sources;
    private final int[] labels;
    private final Mfcc mfcc;
    /** Training only: the clips as 16-bit samples (half the memory of floats, and exact). */
    private final short[][] audio;
    private final SpeechAugment augment;
    /** Evaluation only: each example's MFCCs. */
    private final float[][] features;

    private SpeechSplit(SpeechCommandsLayout.Split split, List<String> classes, List<String> sources, int[] labels,
                        Mfcc mfcc, short[][] audio, SpeechAugment augment, float[][] features) {
        this.split = split;
        this.classes = classes;
        this.sources = List.copyOf(sources);
        this.labels = labels;
        this.mfcc = mfcc;
        this.audio = audio;
        this.augment = augment;
        this.features = features;
    }

    /** A training split: audio kept, augmented on every batch. */
    static SpeechSplit training(List<String> classes, List<String> sources, int[] labels, short[][] audio, Mfcc mfcc,
                                SpeechAugment augment) {
        return new SpeechSplit(SpeechCommandsLayout.Split.TRAIN, classes, sources, labels, mfcc, audio, augment, null);
    }

    /** An evaluation split: MFCCs computed now, in parallel over clips; the audio is not kept. */
    static SpeechSplit evaluation(SpeechCommandsLayout.Split split, List<String> classes, List<String> sources,
                                  int[] labels, short[][] audio, Mfcc mfcc) {
        float[][] features = new float[audio.length][];
        Parallel.forRange(audio.length, 4, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                features[i] = mfcc.compute(toFloat(audio[i]));
            }
        });
        return new SpeechSplit(split, classes, sources, labels, mfcc, null, null, features);
    }

    public SpeechCommandsLayout.Split split() {
        return split;
    }

    public int size() {
        return labels.length;
    }

    /** Whether batches are augmented (the training split). */
    public boolean augmented() {
        return augment != null;
    }

    public List<String> classes() {
        return classes;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Where example i came from: "yes/0a7c2a8d_nohash_0.wav", or "silence #k". */
    public String source(int i) {
        return sources.get(i);
    }

    /** Examples per class, indexed like {@link #classes()}. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * The examples at {@code indices} as a batch. A training split draws one key from {@code rng}
     * and augments example b of the batch with stream mix(key + b), so the batch is a function of
     * the generator's state and the indices alone; evaluation splits ignore {@code rng} (it may be
     * null). Clips are featurised in parallel.
     */
    public SpeechBatch batch(int[] indices, Rng rng) {
        int b = indices.length;
        int fs = mfcc.featureSize();
        int[] batchLabels = new int[b];
        for (int i = 0; i < b; i++) {
            if (indices[i] < 0 || indices[i] >= labels.length) {
                throw new IllegalArgumentException("SpeechSplit(" + split + ").batch: index " + indices[i]
                        + " out of range [0, " + labels.length + ")");
            }
            batchLabels[i] = labels[indices[i]];
        }
        float[] data = new float[b * fs];
        if (augment == null) {
            for (int i = 0; i < b; i++) {
                System.arraycopy(features[indices[i]], 0, data, i * fs, fs);
            }
        } else {
            if (rng == null) {
                throw new IllegalArgumentException("SpeechSplit(" + split + ").batch: the training split augments "
                        + "and needs an Rng, got null");
            }
            long key = rng.nextKey();
            Parallel.forRange(b, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    float[] clip = augment.apply(toFloat(audio[indices[i]]), Rng.mix(key + i));
                    mfcc.compute(clip, data, i * fs);
                }
            });
        }
        Mfcc.Config c = mfcc.config();
        return new SpeechBatch(Tensor.of(data, b, c.frames(), c.coefficients()), Tensor.ofInts(batchLabels, b));
    }

    /**
     * One epoch as lists of indices: a fresh permutation from {@code rng} for the training split,
     * the stored order otherwise (where {@code rng} may be null). The last batch may be smaller.
     */
    public List<int[]> epoch(int batchSize, Rng rng) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("SpeechSplit.epoch: batch size must be positive, got " + batchSize);
        }
        int n = labels.length;
        int[] order;
        if (augment != null) {
            if (rng == null) {
                throw new IllegalArgumentException("SpeechSplit(" + split + ").epoch: the training split shuffles "
                        + "and needs an Rng, got null");
            }
            order = rng.permutationArray(1, n);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            batches.add(java.util.Arrays.copyOfRange(order, start, Math.min(n, start + batchSize)));
        }
        return batches;
    }

    static float[] toFloat(short[] pcm) {
        float[] out = new float[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = pcm[i] / 32768f;
        }
        return out;
    }

    static short[] toPcm16(float[] samples) {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = Wav.toPcm16(samples[i]);
        }
        return out;
    }
}

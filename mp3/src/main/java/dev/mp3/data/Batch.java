package dev.mp3.data;

import dev.mp3.tensor.Tensor;

/**
 * One mini-batch: normalised images {@code [B, C, H, W]} (F32, CPU), labels {@code [B]} (I32, CPU),
 * the dataset indices they came from, where in the schedule it sits, and, when Mixup or CutMix
 * mixed its images, how the labels mix ({@code mix}; null otherwise).
 */
public record Batch(int epoch, int step, int[] indices, Tensor images, Tensor labels, Mix mix) {

    /**
     * Mixup/CutMix of a batch: image k is {@code lam} of its own image and {@code 1 - lam} of its
     * partner's (image B-1-k, timm's flipped batch), so its target is {@code lam} of its label and
     * {@code 1 - lam} of {@code partnerLabels[k]}, each smoothed: by linearity of cross entropy in
     * the target, the loss is {@code lam CE(labels) + (1 - lam) CE(partnerLabels)}.
     */
    public record Mix(float lam, Tensor partnerLabels) {}

    /** A batch without mixing. */
    public Batch(int epoch, int step, int[] indices, Tensor images, Tensor labels) {
        this(epoch, step, indices, images, labels, null);
    }

    public int size() {
        return indices.length;
    }

    /** Rows {@code [from, to)} of this batch (a data-parallel shard), mixing included. */
    public Batch rows(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("batch rows [" + from + ", " + to + "): expected 0 <= from < to <= "
                    + size());
        }
        Mix m = mix == null ? null : new Mix(mix.lam(), mix.partnerLabels().slice(0, from, to).contiguous());
        return new Batch(epoch, step, java.util.Arrays.copyOfRange(indices, from, to),
                images.slice(0, from, to).contiguous(), labels.slice(0, from, to).contiguous(), m);
    }
}

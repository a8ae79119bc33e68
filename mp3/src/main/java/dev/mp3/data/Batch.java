package dev.mp3.data;

import dev.mp3.tensor.Tensor;

/**
 * One mini-batch: normalised images {@code [B, C, H, W]} (F32, CPU), labels {@code [B]} (I32, CPU),
 * the dataset indices they came from, and where in the schedule it sits.
 */
public record Batch(int epoch, int step, int[] indices, Tensor images, Tensor labels) {

    public int size() {
        return indices.length;
    }
}

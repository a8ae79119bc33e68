package dev.mp3.speech;

import dev.mp3.tensor.Rng;

import java.util.List;

/**
 * The training schedule over a speech split: epoch e visits the clips in the order drawn from
 * stream (seed ^ ORDER, e), update s augments its clips from stream (seed ^ AUGMENT, s), and the
 * last batch of an epoch may be smaller. Batch s is therefore a pure function of the seed and s, so
 * a resumed run needs no loader state.
 */
public final class SpeechBatches {
    private static final long ORDER_STREAM = 0x4f524452L;    // "ORDR"
    private static final long AUGMENT_STREAM = 0x41554754L;  // "AUGT"

    private final SpeechSplit split;
    private final int batchSize;
    private final long seed;
    /** One epoch's batches of clip indices; cached for the epoch being read. */
    private record Plan(int epoch, List<int[]> order) {}

    // Volatile and immutable, so batches may be built from a prefetching thread (Trainer) too.
    private volatile Plan plan;

    public SpeechBatches(SpeechSplit split, int batchSize, long seed) {
        if (!split.augmented()) {
            throw new IllegalArgumentException("SpeechBatches: expected the training split, got " + split.split());
        }
        this.split = split;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Batches per pass over the split, the last one possibly smaller. */
    public int stepsPerEpoch() {
        return (split.size() + batchSize - 1) / batchSize;
    }

    /** The batch of update {@code step}, counted from 0 over the whole run. */
    public SpeechBatch batch(long step) {
        int epoch = (int) (step / stepsPerEpoch());
        Plan p = plan;
        if (p == null || p.epoch != epoch) {
            p = new Plan(epoch, List.copyOf(split.epoch(batchSize, new Rng(seed ^ ORDER_STREAM, epoch))));
            plan = p;
        }
        return split.batch(p.order.get((int) (step % stepsPerEpoch())), new Rng(seed ^ AUGMENT_STREAM, step));
    }
}
